"""The tracker's answers to the Bürgerkonto's signals (connected in TrackerConfig.ready), so
that accounts need not know about reports.

* Guest reports carry the email address they were made with. Once that address is verified
  for an account it is proof enough that the reports belong to it, so they are attached —
  right when the address is confirmed (allauth's email_confirmed), and again on every login
  (a guest may report with an address that was verified long ago). Attaching is idempotent:
  only reports without a reporter are touched.
* accounts.signals.account_erasing: the reports stay for the authorities, anonymised; the
  person's supports ("Ich bin auch betroffen") go.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.http import HttpRequest

from accounts.models import User

from .services.erasure import reports_anonymise, reports_attach_to_account


def anonymise_on_account_erasing(sender: Any, *, user: User, **kwargs: Any) -> None:
    reports_anonymise(user)


def attach_reports_on_email_confirmed(
    sender: type[EmailAddress],
    *,
    request: HttpRequest | None = None,
    email_address: EmailAddress,
    **kwargs: Any,
) -> None:
    if not email_address.verified:
        return
    user = User.objects.filter(pk=email_address.user_id).first()
    if user is not None:
        reports_attach_to_account(user, email_address.email)


def attach_reports_on_login(
    sender: type[Any], *, request: HttpRequest | None = None, user: Any = None, **kwargs: Any
) -> None:
    # django.contrib.auth's user_logged_in: fires for every login path (allauth, admin, tests'
    # force_login), so no future login method forgets to attach. Only verified addresses count.
    if not isinstance(user, User):
        return
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    for email in verified:
        reports_attach_to_account(user, email)
