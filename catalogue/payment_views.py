"""The citizen's online payment: "pay now" sends the browser to the platform's pay page, the
platform sends it back to the return page, which reads the status and tells what happened."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_stubs_ext import StrOrPromise

from . import selectors
from .epayment import PaymentNotPossible, payment_refresh, payment_start_online
from .models import Application, Payment, PaymentTransaction
from .views import AuthenticatedHttpRequest
from .xbezahl import XBezahlError, XBezahlProvider

Status = PaymentTransaction.Status


def _online_payment(request: AuthenticatedHttpRequest, pk: int) -> Payment:
    try:
        application = selectors.application_for_applicant(request.user, pk)
    except Application.DoesNotExist as exc:
        raise Http404 from exc
    payment = selectors.payment_of(application)
    if payment is None or payment.provider != XBezahlProvider.key:
        raise Http404
    return payment


@login_required
@require_POST
def payment_pay(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Start (or resume) the online payment and go to the platform's pay page."""
    payment = _online_payment(request, pk)
    return_url = request.build_absolute_uri(reverse("catalogue:payment-return", args=[pk]))
    try:
        attempt = payment_start_online(payment, by=request.user, return_url=return_url)
    except PaymentNotPossible as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("catalogue:application", pk=pk)
    except XBezahlError as exc:
        messages.error(
            request,
            _(
                "Die Bezahlung konnte nicht gestartet werden: %(reason)s Ihr Antrag ist "
                "gespeichert; es geht nichts verloren."
            )
            % {"reason": exc},
        )
        return redirect("catalogue:application", pk=pk)
    if attempt.status == Status.PAYED:
        messages.success(request, _("Die Gebühr ist bereits bezahlt."))
        return redirect("catalogue:application", pk=pk)
    # 303: the browser leaves with a GET, whatever the platform's page is.
    return HttpResponseRedirect(attempt.pay_url, status=303)


RESULT_MESSAGES: dict[str, tuple[int, StrOrPromise]] = {
    Status.PAYED: (
        messages.SUCCESS,
        gettext_lazy(
            "Vielen Dank, die Gebühr ist bezahlt (Kassenzeichen %(kassenzeichen)s). Ihr Antrag "
            "wird jetzt bearbeitet."
        ),
    ),
    Status.CANCELED: (
        messages.WARNING,
        gettext_lazy(
            "Sie haben die Bezahlung abgebrochen. Ihr Antrag wartet auf die Zahlung; Sie können "
            "es jederzeit erneut versuchen."
        ),
    ),
    Status.FAILED: (
        messages.ERROR,
        gettext_lazy(
            "Die Zahlung ist fehlgeschlagen; es wurde nichts abgebucht. Bitte versuchen Sie es "
            "erneut, gern mit einer anderen Zahlart."
        ),
    ),
    Status.INITIAL: (
        messages.INFO,
        gettext_lazy(
            "Ihre Zahlung ist noch nicht bestätigt. Wir fragen den Stand automatisch ab und "
            "zeigen ihn hier an."
        ),
    ),
}


@login_required
@require_GET
def payment_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Back from the platform: read the status (the redirect itself proves nothing)."""
    payment = _online_payment(request, pk)
    attempt = payment.transactions.exclude(transaction_id="").order_by("-created_at").first()
    if attempt is None:
        return redirect("catalogue:application", pk=pk)
    try:
        attempt = payment_refresh(attempt)
    except XBezahlError:
        messages.warning(
            request,
            _(
                "Der Bezahldienst antwortet gerade nicht, daher kennen wir den Stand Ihrer Zahlung "
                "noch nicht. Es geht nichts verloren: Wir fragen ihn automatisch erneut ab und "
                "zeigen ihn hier an."
            ),
        )
        return redirect("catalogue:application", pk=pk)
    level, text = RESULT_MESSAGES.get(attempt.status, RESULT_MESSAGES[Status.INITIAL])
    messages.add_message(request, level, str(text) % {"kassenzeichen": attempt.kassenzeichen})
    return redirect("catalogue:application", pk=pk)
