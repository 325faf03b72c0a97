from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Veranstaltungen")

    def ready(self) -> None:
        from accounts import sections
        from privacy import export

        from . import export_part, feed_links
        from .account_sections import my_events

        feed_links.register()
        sections.register(
            sections.Section(
                key="events",
                template="events/account/favourites.html",
                context=my_events,
                order=60,
            )
        )
        export.register_part(export_part.PART)
