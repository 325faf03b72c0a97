from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("Meldungen")

    def ready(self) -> None:
        from core import media

        from .media import photo_access

        media.register("photos/", photo_access)
