from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Bürgerbeteiligung")

    def ready(self) -> None:
        from django.urls import reverse

        from core import feeds, media

        from . import media_access, privacy_parts

        media.register("participation/documents/", media_access.document_access)
        media.register("participation/results/", media_access.result_access)
        media.register("participation/statements/", media_access.statement_access)
        privacy_parts.register()
        # New plans in the site's feed list (/feeds/) and as <link rel="alternate"> on the
        # participation pages.
        feeds.register(
            feeds.FeedLink(
                key="plans",
                title=_("Neue Bebauungspläne in der Auslegung"),
                rss_url=lambda: reverse("participation:rss"),
                atom_url=lambda: reverse("participation:atom"),
                pages=("/beteiligung/",),
                order=40,
            )
        )
