from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Dienstleistungen")

    def ready(self) -> None:
        from accounts import sections

        from .account_sections import my_applications, my_identity

        # An OpenID Connect login with a verified identity raises the account's level.
        # BundID (OpenID Connect and/or SAML) on the login page, when configured; logging
        # out of a session from a SAML login also logs out at BundID (single logout).
        from .identity import connect_signals, login_options
        from .saml_logout import logout_step

        connect_signals()
        sections.register_login_options("bundid", login_options)
        sections.register_logout_step("bundid-saml", logout_step)

        # The search keeps the synonym table per process (catalogue.search).
        from django.db.models.signals import post_delete, post_save

        from .models import SearchSynonym
        from .search import forget_synonyms

        post_save.connect(forget_synonyms, sender=SearchSynonym, dispatch_uid="synonyms-saved")
        post_delete.connect(forget_synonyms, sender=SearchSynonym, dispatch_uid="synonyms-gone")

        from privacy import export

        from . import export_part, retention

        retention.register()
        export.register_part(export_part.PART)
        sections.register(
            sections.Section(
                key="applications",
                template="catalogue/includes/my_applications.html",
                context=my_applications,
                order=20,
            )
        )
        # BundID (SAML): linked logins and, until verified, the way to prove one's identity.
        sections.register(
            sections.Section(
                key="identity",
                template="catalogue/includes/my_identity.html",
                context=my_identity,
                order=90,
            )
        )
        # Erasing an account (accounts.signals.account_erasing) needs nothing here: favourites
        # and saved places go with the user (CASCADE); applications, postbox messages and
        # attachments are administrative records the authority keeps, and lose their link to
        # the person (SET_NULL), like reports. Mails about them are dropped by notifications.

        # The FIT-Connect hand-over's Celery tasks (autodiscovery finds catalogue.tasks only).
        from core import media

        from .fitconnect import tasks as _fitconnect_tasks  # noqa: F401
        from .media import attachment_access, public_access

        media.register("applications/", attachment_access)
        media.register("authority-banners/", public_access)
