"""Fees and pluggable payment providers.

A provider is any class with the PaymentProvider protocol; settings list them by dotted path:

    CATALOGUE_PAYMENT_PROVIDERS = [
        "catalogue.xbezahl.XBezahlProvider",  # online, where the authority has an account
        "catalogue.payments.InvoiceProvider",  # the fallback
    ]

For a new application the first provider that is available for the responsible authority is
used (a provider without `available_for` is available everywhere). `InvoiceProvider`
("Rechnung / Gebührenbescheid") issues an invoice number and a due date; the citizen pays
later by bank transfer and staff record the payment (catalogue.services.payment_mark_paid).
Another e-payment provider (ePayBL, pmPayment, GiroCheckout …) implements `start` to return
the URL of its hosted payment page and calls `payment_mark_paid` from its verified callback
view — see docs/catalogue.md.
`catalogue.xbezahl.XBezahlProvider` speaks FITKO's XBezahldienste interface.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Protocol, cast, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from boundaries.models import Authority

from .models import Application, FeeRule, Payment, Service

INVOICE_DUE_DAYS = 14


@dataclass(frozen=True)
class PaymentStart:
    """What the citizen sees after submitting: a page of ours (invoice) or a provider's URL."""

    redirect_url: str | None
    message: StrOrPromise


@runtime_checkable
class PaymentProvider(Protocol):
    key: str
    label: StrOrPromise

    def prepare(self, payment: Payment) -> None:
        """Fill provider fields of a new payment (called inside the submit transaction)."""

    def start(self, payment: Payment) -> PaymentStart:
        """How the citizen pays: show our invoice or redirect to a hosted payment page."""


class InvoiceProvider:
    """Pay later by invoice (Gebührenbescheid): invoice number, amount and due date."""

    key = "invoice"
    label = _("Rechnung / Gebührenbescheid")

    def prepare(self, payment: Payment) -> None:
        year = timezone.localdate().year
        with connection.cursor() as cursor:
            # One gap-free sequence per database is enough for the demo; real deployments
            # usually take the number from their cash register (Kassenverfahren).
            cursor.execute("CREATE SEQUENCE IF NOT EXISTS catalogue_invoice_number_seq")
            cursor.execute("SELECT nextval('catalogue_invoice_number_seq')")
            (number,) = cursor.fetchone() or (0,)
        payment.invoice_number = f"RE-{year}-{number:06d}"
        payment.due_date = timezone.localdate() + dt.timedelta(days=INVOICE_DUE_DAYS)

    def start(self, payment: Payment) -> PaymentStart:
        return PaymentStart(
            redirect_url=None,
            message=_(
                "Sie erhalten eine Rechnung; bitte überweisen Sie den Betrag bis zum %(due)s."
            )
            % {"due": payment.due_date.strftime("%d.%m.%Y") if payment.due_date else ""},
        )


@cache
def _providers(paths: tuple[str, ...]) -> dict[str, PaymentProvider]:
    providers: dict[str, PaymentProvider] = {}
    for path in paths:
        provider = import_string(path)()
        if not isinstance(provider, PaymentProvider):
            raise ImproperlyConfigured(f"{path} is not a PaymentProvider")
        providers[provider.key] = provider
    if not providers:
        raise ImproperlyConfigured("CATALOGUE_PAYMENT_PROVIDERS names no provider")
    return providers


def providers() -> dict[str, PaymentProvider]:
    paths = getattr(settings, "CATALOGUE_PAYMENT_PROVIDERS", ["catalogue.payments.InvoiceProvider"])
    return _providers(tuple(paths))


def default_provider() -> PaymentProvider:
    return next(iter(providers().values()))


def provider_for_authority(authority: Authority) -> PaymentProvider:
    """The first configured provider that this authority can use (invoice as the last)."""
    for provider in providers().values():
        available = getattr(provider, "available_for", None)
        if available is None or available(authority):
            return provider
    return cast("PaymentProvider", InvoiceProvider())


def provider_for(payment: Payment) -> PaymentProvider:
    return providers().get(payment.provider) or default_provider()


def fee_for(application: Application) -> FeeRule | None:
    """The authority's own fee rule for the service, else the catalogue default, else none."""
    return fee_rule(application.service_id, application.authority_id)


def fee_rule(service_id: int, authority_id: int) -> FeeRule | None:
    rules = {
        rule.authority_id: rule
        for rule in FeeRule.objects.filter(service_id=service_id).filter(
            authority_id__in=[authority_id]
        )
        | FeeRule.objects.filter(service_id=service_id, authority__isnull=True)
    }
    rule = rules.get(authority_id) or rules.get(None)
    if rule is None or rule.amount <= Decimal("0"):
        return None
    return rule


@dataclass(frozen=True)
class FeePreview:
    """What the form shows before submitting: the fee and how it will be paid."""

    rule: FeeRule
    provider: PaymentProvider

    @property
    def online(self) -> bool:
        return self.provider.key != InvoiceProvider.key


def fee_preview(service: Service, authority: Authority) -> FeePreview | None:
    rule = fee_rule(service.pk, authority.pk)
    if rule is None:
        return None
    return FeePreview(rule, provider_for_authority(authority))
