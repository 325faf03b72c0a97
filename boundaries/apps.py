from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoundariesConfig(AppConfig):
    name = "boundaries"
    verbose_name = _("Zuständigkeiten und Gebiete")

    def ready(self) -> None:
        # Authorities' logos are public (core.media serves nothing without a rule).
        from core import media

        media.register("authority-logos/", lambda request, name: media.Access.PUBLIC)
        media.register("authority-portal-banners/", lambda request, name: media.Access.PUBLIC)

        from . import identity

        identity.connect()
