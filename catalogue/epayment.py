"""State changes of online payments (XBezahldienste): start a payment transaction, read its
status back (after the citizen's return and from the beat task) and reconcile late or
failed payments. The platform is called outside database transactions; what it answered is
stored under a row lock, so the return page and the beat task never book a payment twice."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import ApplicationEvent, Payment, PaymentTransaction
from .services import payment_mark_paid
from .xbezahl import (
    Endpoint,
    XBezahlError,
    XBezahlProvider,
    create_transaction,
    endpoint_for,
    payment_request,
    read_transaction,
)

logger = logging.getLogger(__name__)
Status = PaymentTransaction.Status
# A pay page the citizen just opened is offered again instead of a second transaction.
REUSE_MINUTES = 15


class PaymentNotPossible(ValidationError):
    """This fee cannot be paid online (now); the message says why."""


def _event(payment: Payment, note: str, *, public: bool = True) -> None:
    ApplicationEvent.objects.create(
        application_id=payment.application_id,
        kind=ApplicationEvent.Kind.PAYMENT,
        note=note,
        is_public=public,
        authority_id=payment.application.authority_id,
    )


def payment_start_online(payment: Payment, *, by: User, return_url: str) -> PaymentTransaction:
    """Create a payment transaction at the authority's platform (or reuse the one the citizen
    opened a moment ago) and return it; its `pay_url` is where the citizen goes next. Raises
    PaymentNotPossible, or XBezahlError when the platform fails — nothing stored is lost."""
    if payment.application.applicant_id != by.pk:
        raise PermissionDenied(_("Das ist nicht Ihr Antrag."))
    if payment.provider != XBezahlProvider.key or payment.state != Payment.State.OPEN:
        raise PaymentNotPossible(_("Diese Gebühr kann nicht (mehr) online bezahlt werden."))
    endpoint = endpoint_for(payment.application.authority)
    if endpoint is None:
        raise PaymentNotPossible(
            _("Die zuständige Stelle bietet die Online-Bezahlung zurzeit nicht an.")
        )
    for pending in payment.transactions.filter(status=Status.INITIAL).exclude(transaction_id=""):
        pending = payment_refresh(pending)
        if pending.status == Status.PAYED:
            return pending
        recent = timezone.now() - pending.created_at < dt.timedelta(minutes=REUSE_MINUTES)
        if pending.status == Status.INITIAL and recent and pending.pay_url:
            return pending
    with transaction.atomic():
        attempt = PaymentTransaction.objects.create(
            payment=payment,
            base_url=endpoint.base_url,
            originator_id=endpoint.originator_id,
            endpoint_id=endpoint.endpoint_id,
            request_id=str(uuid.uuid4()),
            status=Status.NOT_CREATED,
        )
    request = payment_request(payment, request_id=attempt.request_id, redirect_url=return_url)
    info = create_transaction(endpoint, request)  # XBezahlError: the attempt stays NOT_CREATED
    with transaction.atomic():
        attempt.transaction_id = info.transaction_id
        attempt.kassenzeichen = info.reference or info.transaction_id
        attempt.pay_url = info.pay_url
        attempt.status = info.status
        attempt.status_detail = info.status_detail
        attempt.save()
    return attempt


def _apply(attempt: PaymentTransaction, status: str, detail: str, method: str) -> None:
    """Store a status read back from the platform and what follows from it (locked row)."""
    attempt.checked_at = timezone.now()
    attempt.check_count += 1
    changed = status != attempt.status
    attempt.status, attempt.status_detail, attempt.payment_method = status, detail, method
    attempt.save()
    if not changed:
        return
    payment = Payment.objects.select_related("application").get(pk=attempt.payment_id)
    labels = {"kassenzeichen": attempt.kassenzeichen}
    if status == Status.PAYED:
        if payment.state == Payment.State.OPEN:
            payment_mark_paid(payment, by=None, reference=attempt.kassenzeichen)
        elif payment.external_reference != attempt.kassenzeichen:
            # Paid twice (an old pay page) or after the fee was cancelled: staff refund it.
            _event(
                payment,
                _(
                    "Weitere Online-Zahlung eingegangen (Kassenzeichen %(kassenzeichen)s): bitte "
                    "prüfen und erstatten."
                )
                % labels,
                public=False,
            )
    elif status == Status.CANCELED:
        _event(payment, _("Online-Zahlung abgebrochen (Kassenzeichen %(kassenzeichen)s)") % labels)
    elif status == Status.FAILED:
        _event(
            payment, _("Online-Zahlung fehlgeschlagen (Kassenzeichen %(kassenzeichen)s)") % labels
        )


def payment_refresh(attempt: PaymentTransaction) -> PaymentTransaction:
    """Read the transaction's status from the platform and act on a change (a payment is
    booked with the Kassenzeichen; an abort or failure is noted in the history). Raises
    XBezahlError when the platform cannot be asked; the transaction stays as it was."""
    if not attempt.transaction_id or attempt.status not in (Status.INITIAL, Status.EXPIRED):
        return attempt
    endpoint = endpoint_for(attempt.payment.application.authority)
    if endpoint is None or endpoint.base_url != attempt.base_url:
        # The account changed: ask where the transaction was made, with today's credentials.
        base = endpoint or Endpoint(attempt.base_url, "", "")
        endpoint = Endpoint(
            base_url=attempt.base_url,
            originator_id=attempt.originator_id,
            endpoint_id=attempt.endpoint_id,
            auth=base.auth,
            username=base.username,
            secret=base.secret,
            token_url=base.token_url,
        )
    info = read_transaction(endpoint, attempt.transaction_id)
    with transaction.atomic():
        locked = PaymentTransaction.objects.select_for_update().get(pk=attempt.pk)
        if locked.status in (Status.INITIAL, Status.EXPIRED):
            _apply(locked, info.status, info.status_detail, info.payment_method)
    return locked


@dataclass
class ReconcileSummary:
    checked: int = 0
    paid: int = 0
    ended: int = 0
    expired: int = 0
    errors: list[str] = field(default_factory=list)


def payments_reconcile(*, limit: int = 500) -> ReconcileSummary:
    """Read the status of open transactions (the beat task): a payment that arrives late is
    booked, an abort or failure noted; a transaction still open after XBEZAHL_EXPIRE_HOURS is
    given up (EXPIRED) — it is still read back once more, in case it was paid at the end."""
    summary = ReconcileSummary()
    hours = int(getattr(settings, "XBEZAHL_EXPIRE_HOURS", 72))
    cutoff = timezone.now() - dt.timedelta(hours=hours)
    open_attempts = (
        PaymentTransaction.objects.filter(status=Status.INITIAL)
        .exclude(transaction_id="")
        .select_related("payment__application__authority")
        # Never asked first, then the longest unasked.
        .order_by(F("checked_at").asc(nulls_first=True), "created_at")[:limit]
    )
    for attempt in open_attempts:
        summary.checked += 1
        try:
            updated = payment_refresh(attempt)
        except XBezahlError as exc:
            summary.errors.append(f"{attempt.request_id}: {exc}")
            logger.warning("XBezahldienste status of %s not read: %s", attempt.request_id, exc)
            continue
        if updated.status == Status.PAYED:
            summary.paid += 1
        elif updated.status in (Status.FAILED, Status.CANCELED):
            summary.ended += 1
        elif updated.created_at < cutoff:
            PaymentTransaction.objects.filter(pk=updated.pk, status=Status.INITIAL).update(
                status=Status.EXPIRED
            )
            summary.expired += 1
    return summary
