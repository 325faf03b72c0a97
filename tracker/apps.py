from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("Meldungen")

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed
        from django.contrib.auth.signals import user_logged_in

        from accounts import sections
        from accounts.signals import account_erasing

        from . import account_sections, feed_links, privacy_parts, receivers, tasks  # noqa: F401

        privacy_parts.register()
        feed_links.register()
        self._invalidate_category_cache()

        email_confirmed.connect(
            receivers.attach_reports_on_email_confirmed,
            dispatch_uid="tracker.attach_reports_on_email_confirmed",
        )
        user_logged_in.connect(
            receivers.attach_reports_on_login, dispatch_uid="tracker.attach_reports_on_login"
        )
        account_erasing.connect(
            receivers.anonymise_on_account_erasing,
            dispatch_uid="tracker.anonymise_on_account_erasing",
        )
        sections.register(
            sections.Section(
                key="reports",
                template="tracker/account/my_reports_section.html",
                context=account_sections.my_reports,
                order=10,
            )
        )
        sections.register_deletion_facts("reports", account_sections.deletion_facts)

        from core import media

        from .media import original_access, photo_access

        media.register("photos/", photo_access)
        media.register("photos-original/", original_access)

    @staticmethod
    def _invalidate_category_cache() -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import category_cache
        from .models import Category

        for signal, sender in (
            (post_save, Category),
            (post_delete, Category),
            (m2m_changed, Category.available_in.through),
        ):
            signal.connect(
                category_cache.changed,
                sender=sender,
                dispatch_uid=f"tracker.category_cache.{id(signal)}",
            )
