from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = _("Oberfläche")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
