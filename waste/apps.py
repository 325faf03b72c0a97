from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WasteConfig(AppConfig):
    name = "waste"
    verbose_name = _("Abfallkalender")

    def ready(self) -> None:
        from privacy import export

        from . import export_part, tasks  # noqa: F401

        export.register_part(export_part.PART)
