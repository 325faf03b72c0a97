from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Dienstleistungen")

    def ready(self) -> None:
        # An OpenID Connect login with a verified identity raises the account's level.
        from .identity import connect_signals

        connect_signals()

        from core import media

        from .media import attachment_access, public_access

        media.register("applications/", attachment_access)
        media.register("authority-banners/", public_access)
