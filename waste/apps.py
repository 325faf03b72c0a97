from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WasteConfig(AppConfig):
    name = "waste"
    verbose_name = _("Abfallkalender")

    def ready(self) -> None:
        from . import tasks  # noqa: F401
