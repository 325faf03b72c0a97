from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting helpers without domain knowledge; an app only for its template tags."""

    name = "core"
    verbose_name = "Core"
