from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Bürgerbeteiligung")

    def ready(self) -> None:
        from core import media

        from . import media_access, privacy_parts

        media.register("participation/documents/", media_access.document_access)
        media.register("participation/results/", media_access.result_access)
        media.register("participation/statements/", media_access.statement_access)
        privacy_parts.register()
