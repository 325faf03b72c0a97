from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Bürgerkonto")

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed
        from django.contrib.auth.signals import user_logged_in

        from . import signals

        email_confirmed.connect(
            signals.attach_reports_on_email_confirmed,
            dispatch_uid="accounts.attach_reports_on_email_confirmed",
        )
        user_logged_in.connect(
            signals.attach_reports_on_login, dispatch_uid="accounts.attach_reports_on_login"
        )
