"""Online payment through XBezahldienste, against a payment platform on loopback
(tests/payment/xbezahl_server.py): fees shown before submitting, the application waiting
for the payment, the pay page's success, abort and failure, a platform that answers too late,
and the beat task that books late payments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from celery import current_app
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from accounts.models import User
from catalogue import tasks  # noqa: F401 - registers the task, as a worker's autodiscovery does
from catalogue.models import (
    Application,
    ApplicationEvent,
    Payment,
    PaymentTransaction,
    Service,
    XBezahlAccount,
)
from catalogue.xbezahl import purpose_text
from tests.catalogue.conftest import IN_AUEDORF, IN_STADT, Region
from tests.factories import staff
from tests.payment.xbezahl_server import XBezahlServer

pytestmark = pytest.mark.django_db
Status = PaymentTransaction.Status


@pytest.fixture
def xbezahl(monkeypatch: pytest.MonkeyPatch) -> Iterator[XBezahlServer]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = XBezahlServer().start()
    yield server
    server.stop()


@pytest.fixture
def stadt_account(region: Region, xbezahl: XBezahlServer) -> XBezahlAccount:
    return XBezahlAccount.objects.create(
        authority=region.stadt,
        base_url=xbezahl.base_url,
        originator_id=xbezahl.originator_id,
        endpoint_id="stadt-frei",
        auth=XBezahlAccount.Auth.BASIC,
        username=xbezahl.username,
        secret=xbezahl.password,
    )


def apply(client: Client, point: Any = IN_STADT) -> Any:
    return client.post(
        f"/dienstleistungen/meldebescheinigung/antrag/?lat={point.y}&lon={point.x}&ort=Teststraße",
        {"art": "einfach", "zweck": "Arbeitgeber"},
    )


@pytest.fixture
def applied(
    region: Region,
    catalogue: dict[str, Service],
    stadt_account: XBezahlAccount,
    verified_citizen: User,
    client: Client,
) -> Application:
    client.force_login(verified_citizen)
    assert apply(client).status_code == 302
    return Application.objects.get()


def pay_now(client: Client, application: Application) -> str:
    """Press "pay now": the platform's pay page URL the browser is sent to."""
    response = client.post(f"/dienstleistungen/antraege/{application.pk}/bezahlen/")
    assert response.status_code == 303, response.content
    return str(response["Location"])


def on_pay_page(pay_url: str, action: str, method: str = "CREDITCARD") -> str:
    """Do on the platform's page what the citizen does there; returns where it sends back."""
    page = requests.get(pay_url, timeout=5)
    assert page.status_code == 200 and "Kreditkarte" in page.text and "PayPal" in page.text
    answer = requests.post(
        pay_url, data={"action": action, "method": method}, allow_redirects=False, timeout=5
    )
    assert answer.status_code == 303
    return str(answer.headers["Location"])


def come_back(client: Client, return_url: str) -> str:
    """The browser arrives on our return page; the page it ends on, with the message."""
    response = client.get(urlsplit(return_url).path, follow=True)
    assert response.status_code == 200
    return str(response.content.decode())


# --- before submitting ---------------------------------------------------------------------


def test_fee_and_way_of_payment_are_shown_before_submitting(
    region: Region,
    catalogue: dict[str, Service],
    stadt_account: XBezahlAccount,
    verified_citizen: User,
    client: Client,
) -> None:
    client.force_login(verified_citizen)
    url = "/dienstleistungen/meldebescheinigung/antrag/?lat={}&lon={}&ort=x"
    online = client.get(url.format(IN_STADT.y, IN_STADT.x)).content.decode()
    assert "Gebühr" in online and "10,00 €" in online
    assert "Kreditkarte, PayPal oder giropay" in online
    # The Samtgemeinde has no account: its fee is invoiced, and the form says so.
    invoiced = client.get(url.format(IN_AUEDORF.y, IN_AUEDORF.x)).content.decode()
    assert "10,00 €" in invoiced and "Rechnung" in invoiced
    assert "PayPal" not in invoiced


def test_authority_without_account_still_invoices(
    region: Region,
    catalogue: dict[str, Service],
    stadt_account: XBezahlAccount,
    verified_citizen: User,
    client: Client,
) -> None:
    stadt_account.is_active = False
    stadt_account.save()
    client.force_login(verified_citizen)
    apply(client)
    payment = Payment.objects.get()
    assert payment.provider == "invoice" and payment.invoice_number.startswith("RE-")


# --- the flow ------------------------------------------------------------------------------


def test_citizen_pays_online_and_the_application_proceeds(
    applied: Application, xbezahl: XBezahlServer, client: Client
) -> None:
    payment = applied.payment
    assert payment.provider == "xbezahl" and payment.state == Payment.State.OPEN
    assert payment.invoice_number == ""
    page = client.get(f"/dienstleistungen/antraege/{applied.pk}/").content.decode()
    assert "Gebühr 10,00 € (Online-Bezahlung" in page  # the history in German number format
    assert "Zahlung ausstehend" in page and "Jetzt online bezahlen" in page
    # The application waits for the payment, in "Meine Anliegen" and in the office's queue.
    assert "Zahlung ausstehend" in client.get("/konto/anliegen/").content.decode()
    office = Client()
    office.force_login(staff(applied.authority))
    assert "Zahlung ausstehend" in office.get("/dienstleistungen/bearbeitung/").content.decode()

    pay_url = pay_now(client, applied)
    assert pay_url.startswith(xbezahl.root + "/pay/")
    (sent,) = [t["paymentRequest"] for t in xbezahl.transactions.values()]
    assert sent["grosAmount"] == 10.0 and sent["currency"] == "EUR"
    assert sent["purpose"].startswith(applied.reference) and len(sent["purpose"]) <= 27
    assert (
        "POST",
        "/xbezahldienste/api/v1.0.0/paymenttransaction/mm-serviceportal/stadt-frei",
    ) in xbezahl.requests

    page = come_back(client, on_pay_page(pay_url, "pay", "PAYPAL"))
    attempt = PaymentTransaction.objects.get()
    assert attempt.status == Status.PAYED and attempt.payment_method == "PAYPAL"
    assert "Vielen Dank, die Gebühr ist bezahlt" in page and attempt.kassenzeichen in page
    payment.refresh_from_db()
    assert payment.state == Payment.State.PAID
    # The transaction reference is the Kassenzeichen the cash office books under.
    assert payment.external_reference == attempt.kassenzeichen.strip()
    assert attempt.kassenzeichen.startswith("KZ-")
    assert ApplicationEvent.objects.filter(application=applied, note="Gebühr bezahlt").exists()
    assert "Jetzt online bezahlen" not in page
    assert "Zahlung ausstehend" not in client.get("/konto/anliegen/").content.decode()
    assert "Zahlung ausstehend" not in office.get("/dienstleistungen/bearbeitung/").content.decode()
    # Nothing more to pay.
    again = client.post(f"/dienstleistungen/antraege/{applied.pk}/bezahlen/", follow=True)
    assert "nicht (mehr) online bezahlt" in again.content.decode()


def test_abort_and_failure_can_be_retried(
    applied: Application, xbezahl: XBezahlServer, client: Client
) -> None:
    page = come_back(client, on_pay_page(pay_now(client, applied), "cancel"))
    assert "Sie haben die Bezahlung abgebrochen" in page
    assert "Erneut online bezahlen" in page

    page = come_back(client, on_pay_page(pay_now(client, applied), "fail"))
    assert "Die Zahlung ist fehlgeschlagen; es wurde nichts abgebucht" in page
    applied.payment.refresh_from_db()
    assert applied.payment.state == Payment.State.OPEN

    page = come_back(client, on_pay_page(pay_now(client, applied), "pay", "GIROPAY"))
    assert "Vielen Dank" in page
    statuses = list(PaymentTransaction.objects.values_list("status", flat=True))
    assert statuses == [Status.CANCELED, Status.FAILED, Status.PAYED]
    assert len({t["paymentRequest"]["requestId"] for t in xbezahl.transactions.values()}) == 3
    history = client.get(f"/dienstleistungen/antraege/{applied.pk}/").content.decode()
    assert "Online-Zahlung abgebrochen" in history and "Online-Zahlung fehlgeschlagen" in history


def test_an_open_pay_page_is_offered_again_instead_of_a_second_transaction(
    applied: Application, xbezahl: XBezahlServer, client: Client
) -> None:
    assert pay_now(client, applied) == pay_now(client, applied)
    assert len(xbezahl.transactions) == 1


def test_platform_too_slow_to_start_gives_a_clear_message_and_loses_nothing(
    applied: Application, xbezahl: XBezahlServer, client: Client, settings: Any
) -> None:
    settings.XBEZAHL_TIMEOUT = (1.0, 0.3)
    xbezahl.delay = 1.0
    response = client.post(f"/dienstleistungen/antraege/{applied.pk}/bezahlen/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Der Bezahldienst antwortet gerade nicht" in html
    assert "es geht nichts verloren" in html
    assert Application.objects.filter(pk=applied.pk).exists()
    assert PaymentTransaction.objects.get().status == Status.NOT_CREATED
    xbezahl.delay = 0.0
    assert pay_now(client, applied).startswith(xbezahl.root)


def test_platform_too_slow_after_paying_is_reconciled_by_the_beat_task(
    applied: Application, xbezahl: XBezahlServer, client: Client, settings: Any
) -> None:
    return_url = on_pay_page(pay_now(client, applied), "pay")
    settings.XBEZAHL_TIMEOUT = (1.0, 0.3)
    xbezahl.delay = 1.0
    page = come_back(client, return_url)
    assert "kennen wir den Stand Ihrer Zahlung noch nicht" in page
    applied.payment.refresh_from_db()
    assert applied.payment.state == Payment.State.OPEN
    xbezahl.delay = 0.0
    result = current_app.tasks["catalogue.reconcile_payments"].apply().get()
    assert result["paid"] == 1
    applied.payment.refresh_from_db()
    assert applied.payment.state == Payment.State.PAID


def test_citizen_who_never_comes_back_is_booked_by_the_beat_task(
    applied: Application, xbezahl: XBezahlServer, client: Client
) -> None:
    pay_now(client, applied)
    task = current_app.tasks["catalogue.reconcile_payments"]
    assert task.apply().get() == {"checked": 1, "paid": 0, "ended": 0, "expired": 0, "errors": 0}
    (transaction_id,) = xbezahl.transactions
    xbezahl.finish(transaction_id, "PAYED")
    assert task.apply().get()["paid"] == 1
    applied.payment.refresh_from_db()
    assert applied.payment.state == Payment.State.PAID
    page = client.get(f"/dienstleistungen/antraege/{applied.pk}/").content.decode()
    assert "Gebühr bezahlt" in page and "Kassenzeichen: KZ-" in page
    # Read once: a paid transaction is not asked again.
    assert task.apply().get()["checked"] == 0


def test_failed_late_is_noted_and_stale_transactions_expire(
    applied: Application, xbezahl: XBezahlServer, client: Client
) -> None:
    task = current_app.tasks["catalogue.reconcile_payments"]
    pay_now(client, applied)
    (first,) = xbezahl.transactions
    xbezahl.finish(first, "FAILED")
    assert task.apply().get()["ended"] == 1
    assert ApplicationEvent.objects.filter(
        note__startswith="Online-Zahlung fehlgeschlagen"
    ).exists()
    pay_now(client, applied)
    PaymentTransaction.objects.filter(status=Status.INITIAL).update(
        created_at=timezone.now() - dt.timedelta(hours=73)
    )
    assert task.apply().get()["expired"] == 1
    assert PaymentTransaction.objects.filter(status=Status.EXPIRED).count() == 1


def test_a_second_payment_is_flagged_for_refund(
    applied: Application, xbezahl: XBezahlServer, client: Client
) -> None:
    pay_now(client, applied)
    PaymentTransaction.objects.update(created_at=timezone.now() - dt.timedelta(minutes=30))
    second = pay_now(client, applied)  # the first page is old: a new transaction
    assert len(xbezahl.transactions) == 2
    come_back(client, on_pay_page(second, "pay"))
    first = next(
        t for t, v in xbezahl.transactions.items() if v["paymentInformation"]["status"] == "INITIAL"
    )
    xbezahl.finish(first, "PAYED")
    current_app.tasks["catalogue.reconcile_payments"].apply().get()
    note = ApplicationEvent.objects.get(note__startswith="Weitere Online-Zahlung")
    assert not note.is_public and "erstatten" in note.note


# --- configuration and refusals ------------------------------------------------------------


def test_wrong_credentials_give_a_clear_message_not_an_error_page(
    applied: Application, stadt_account: XBezahlAccount, client: Client
) -> None:
    stadt_account.secret = "falsch"
    stadt_account.save()
    response = client.post(f"/dienstleistungen/antraege/{applied.pk}/bezahlen/", follow=True)
    assert response.status_code == 200
    assert "Der Bezahldienst hat die Zahlung abgelehnt (403" in response.content.decode()


def test_oauth2_client_credentials(
    applied: Application, stadt_account: XBezahlAccount, xbezahl: XBezahlServer, client: Client
) -> None:
    xbezahl.auth = "oauth2"
    stadt_account.auth = XBezahlAccount.Auth.OAUTH2
    stadt_account.token_url = xbezahl.token_url
    stadt_account.save()
    page = come_back(client, on_pay_page(pay_now(client, applied), "pay"))
    assert "Vielen Dank" in page
    assert xbezahl.token_requests == 1  # the token is kept for the status read


def test_installation_wide_account_uses_the_authority_key_as_endpoint(
    region: Region,
    catalogue: dict[str, Service],
    xbezahl: XBezahlServer,
    verified_citizen: User,
    client: Client,
    settings: Any,
) -> None:
    settings.XBEZAHL_BASE_URL = xbezahl.base_url
    settings.XBEZAHL_ORIGINATOR_ID = xbezahl.originator_id
    settings.XBEZAHL_AUTH = "basic"
    settings.XBEZAHL_USERNAME = xbezahl.username
    settings.XBEZAHL_SECRET = xbezahl.password
    client.force_login(verified_citizen)
    apply(client)
    application = Application.objects.get()
    pay_now(client, application)
    (sent,) = xbezahl.transactions.values()
    assert sent["_endpoint"] == region.stadt.ags == "99001001"


def test_someone_elses_payment_is_not_found(
    applied: Application, citizen: User, client: Client
) -> None:
    client.force_login(citizen)
    assert client.post(f"/dienstleistungen/antraege/{applied.pk}/bezahlen/").status_code == 404
    assert client.get(f"/dienstleistungen/antraege/{applied.pk}/bezahlt/").status_code == 404


def test_purpose_fits_the_bank_statement() -> None:
    text = purpose_text("A-2026-000042", "Gewerbeummeldung für Bäckerei & Söhne")
    assert text == "A-2026-000042 Gewerbeummeld"
    assert len(purpose_text("A-2026-000042", "Ä" * 40)) == 27


def test_beat_schedules_the_reconciliation_by_name() -> None:
    entries = django_settings.CELERY_BEAT_SCHEDULE.values()
    assert any(entry["task"] == "catalogue.reconcile_payments" for entry in entries)
    assert "catalogue.reconcile_payments" in current_app.tasks


def test_admin_keeps_the_secret_and_asks_for_what_oauth_needs(
    stadt_account: XBezahlAccount, xbezahl: XBezahlServer
) -> None:
    from catalogue.payment_admin import XBezahlAccountForm

    data = {
        "authority": stadt_account.authority_id,
        "base_url": xbezahl.base_url,
        "originator_id": "mm-serviceportal",
        "endpoint_id": "stadt-frei",
        "auth": "basic",
        "username": "portal",
        "secret": "",
        "is_active": "on",
    }
    form = XBezahlAccountForm(data=data, instance=stadt_account)
    assert form.is_valid(), form.errors
    assert form.save().secret == "geheim"
    assert 'value="geheim"' not in str(form["secret"])
    refused = XBezahlAccountForm(data={**data, "auth": "oauth2"}, instance=stadt_account)
    assert not refused.is_valid()
    assert "Token-URL" in str(refused.errors)
    bad_id = XBezahlAccountForm(data={**data, "endpoint_id": "Stadt Frei!"}, instance=stadt_account)
    assert not bad_id.is_valid() and "endpoint_id" in bad_id.errors


def test_api_tells_the_app_how_the_fee_is_paid(
    region: Region,
    catalogue: dict[str, Service],
    stadt_account: XBezahlAccount,
    verified_citizen: User,
    client: Client,
) -> None:
    client.force_login(verified_citizen)
    answer = client.post(
        "/api/v1/services/meldebescheinigung/applications",
        {"art": "einfach", "lat": IN_STADT.y, "lon": IN_STADT.x},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    payment = answer.json()["payment"]
    assert payment == {
        "amount": "10.00",
        "label": "Meldebescheinigung",
        "provider": "xbezahl",
        "state": "open",
        "invoice_number": "",
    }
