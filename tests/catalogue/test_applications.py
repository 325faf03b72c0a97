"""Online applications: forms as data validated server-side, account levels with a step-up
hint, checked attachments, routing, staff isolation, the workflow, Meine Anliegen, the
postbox with notifications, and fees paid by invoice."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Role, User
from catalogue import schema_forms
from catalogue.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Attachment,
    FeeRule,
    Payment,
    Service,
)
from catalogue.services import (
    ApplicationInvalid,
    AssuranceTooLow,
    Upload,
    application_submit,
    application_transition,
    message_send,
    payment_mark_paid,
)
from tests.catalogue.conftest import (
    DOG_FORM,
    IN_AUEDORF,
    IN_STADT,
    PDF_BYTES,
    Region,
    jpeg_bytes,
)
from tests.factories import CategoryFactory, staff
from tracker.models import Report

pytestmark = pytest.mark.django_db


def apply_url(slug: str, point: Any = IN_STADT) -> str:
    return f"/dienstleistungen/{slug}/antrag/?lat={point.y}&lon={point.x}&ort=Teststraße"


def submit(client: Client, slug: str, data: dict[str, Any], point: Any = IN_STADT) -> Any:
    return client.post(apply_url(slug, point), data)


# --- forms as data -----------------------------------------------------------------------


def test_every_seeded_form_is_a_valid_json_schema(catalogue: dict[str, Service]) -> None:
    online = [s for s in catalogue.values() if s.is_online]
    assert len(online) >= 10
    for service in online:
        schema_forms.check_schema(service.form_schema)
        for field in schema_forms.fields_of(service.form_schema):
            assert field.title and field.title != field.name, (service.slug, field.name)


def test_form_renders_accessible_fields(
    region: Region, catalogue: dict[str, Service], citizen: User, client: Client
) -> None:
    client.force_login(citizen)
    response = client.get(apply_url("hundesteueranmeldung"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_hund_name">Name des Hundes' in html
    assert 'id="id_haltung_seit"' in html and 'type="date"' in html
    assert 'aria-describedby="chipnummer-hint"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "Ihr Antrag geht an" in html and "Stadt Frei" in html


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"hund_name": ""}, "hund_name", "Bitte füllen Sie dieses Feld aus."),
        ({"geburtsjahr": "zwei"}, "geburtsjahr", "Bitte geben Sie eine ganze Zahl ein."),
        ({"geburtsjahr": "1800"}, "geburtsjahr", "Der Wert muss mindestens 1995 sein."),
        ({"haltung_seit": "31.02.2026"}, "haltung_seit", "gültiges Datum"),
        ({"chipnummer": "12ab"}, "chipnummer", "Das Format stimmt nicht: 15 Ziffern"),
        ({"rasse": "x" * 101}, "rasse", "höchstens 100 Zeichen"),
    ],
)
def test_bad_form_input_gets_a_clear_message_and_400(
    region: Region,
    catalogue: dict[str, Service],
    citizen: User,
    client: Client,
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    client.force_login(citizen)
    response = submit(client, "hundesteueranmeldung", {**DOG_FORM, **change})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="{field}-error"' in html
    assert 'aria-invalid="true"' in html
    assert Application.objects.count() == 0


def test_german_dates_and_choices_are_accepted(
    region: Region, catalogue: dict[str, Service], citizen: User
) -> None:
    application = application_submit(
        catalogue["hundesteuer-abmeldung"],
        applicant=citizen,
        point=IN_STADT,
        data={"halter_name": "Erika", "grund": "tod", "datum": "24.12.2026"},
    )
    assert application.data["datum"] == "2026-12-24"
    with pytest.raises(ApplicationInvalid) as caught:
        application_submit(
            catalogue["hundesteuer-abmeldung"],
            applicant=citizen,
            point=IN_STADT,
            data={"halter_name": "Erika", "grund": "verkauft", "datum": "2026-12-24"},
        )
    assert caught.value.errors == {"grund": ["Bitte wählen Sie einen der angebotenen Werte."]}


def test_unknown_fields_are_refused(
    region: Region, catalogue: dict[str, Service], citizen: User
) -> None:
    # The form view only passes posted values; the service refuses extra JSON keys (API use).
    with pytest.raises(ApplicationInvalid) as caught:
        application_submit(
            catalogue["hundesteueranmeldung"],
            applicant=citizen,
            point=IN_STADT,
            data={**DOG_FORM, "hund_name": {"nested": True}},
        )
    assert caught.value.errors["hund_name"] == ["Der Wert hat nicht die erwartete Art."]


# --- the whole flow ------------------------------------------------------------------------


def test_citizen_submits_and_sees_it_in_meine_anliegen(
    region: Region,
    catalogue: dict[str, Service],
    citizen: User,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            client,
            "hundesteueranmeldung",
            {
                **DOG_FORM,
                "gefaehrlich": "on",
                "haftpflicht": SimpleUploadedFile("police.pdf", PDF_BYTES, "application/pdf"),
            },
        )
    assert response.status_code == 302
    application = Application.objects.get()
    assert response["Location"] == f"/dienstleistungen/antraege/{application.pk}/"
    assert application.authority == region.stadt
    assert application.status == ApplicationStatus.NEW
    assert application.data["gefaehrlich"] is True
    assert application.data["hund_name"] == "Bello"
    assert application.reference.startswith("A-")
    (attachment,) = application.attachments.all()
    assert attachment.content_type == "application/pdf"
    assert attachment.field == "haftpflicht"
    assert [e.kind for e in application.events.all()] == [ApplicationEvent.Kind.CREATED]

    # A defect report of the same person: Meine Anliegen shows both, one vocabulary.
    category = CategoryFactory.create(name="Schlagloch")
    report = Report.objects.create(
        category=category,
        location=IN_STADT,
        description="Loch",
        authority=region.stadt,
        routing_reason="fixed",
        reporter=citizen,
        reporter_email=citizen.email,
        confirmation_token=secrets.token_urlsafe(32),
        tracking_token=secrets.token_urlsafe(32),
    )
    page = client.get("/konto/anliegen/").content.decode()
    assert report.reference in page
    assert f"Antrag {application.reference}: Hundesteueranmeldung" in page
    assert page.count('class="status status--new">neu</span>') == 2

    detail = client.get(f"/dienstleistungen/antraege/{application.pk}/").content.decode()
    assert "Bello" in detail and "police.pdf" in detail
    # Mail to the citizen and to the office (tasks run eagerly in tests).
    subjects = sorted(m.subject for m in mail.outbox)
    assert any(
        s.startswith(f"Ihr Antrag {application.reference} ist eingegangen") for s in subjects
    )
    assert any(s.startswith(f"Neuer Antrag {application.reference}") for s in subjects)


def test_routed_through_the_samtgemeinde(
    region: Region, catalogue: dict[str, Service], citizen: User
) -> None:
    application = application_submit(
        catalogue["hundesteueranmeldung"], applicant=citizen, point=IN_AUEDORF, data=DOG_FORM
    )
    assert application.authority == region.samtgemeinde
    assert "Samtgemeinde Aue" in application.routing_detail


def test_login_is_required(region: Region, catalogue: dict[str, Service], client: Client) -> None:
    response = client.get(apply_url("hundesteueranmeldung"))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_below_the_required_level_is_refused_with_a_step_up_hint(
    region: Region, catalogue: dict[str, Service], citizen: User, client: Client
) -> None:
    client.force_login(citizen)
    for method in (client.get, client.post):
        response = method(apply_url("meldebescheinigung"), {"art": "einfach"})
        assert response.status_code == 403
        html = response.content.decode()
        assert "geprüfte Identität" in html
        assert "BundID" in html
    assert Application.objects.count() == 0
    with pytest.raises(AssuranceTooLow) as caught:
        application_submit(
            catalogue["meldebescheinigung"],
            applicant=citizen,
            point=IN_STADT,
            data={"art": "einfach"},
        )
    assert "Online-Ausweis" in caught.value.hint


def test_verified_identity_may_apply_and_gets_an_invoice(
    region: Region, catalogue: dict[str, Service], verified_citizen: User, client: Client
) -> None:
    client.force_login(verified_citizen)
    response = submit(client, "meldebescheinigung", {"art": "einfach", "zweck": "Arbeitgeber"})
    assert response.status_code == 302
    application = Application.objects.get()
    payment = application.payment
    assert payment.amount == Decimal("10.00")
    assert payment.provider == "invoice"
    assert payment.invoice_number.startswith("RE-")
    assert payment.due_date is not None
    assert payment.state == Payment.State.OPEN
    invoice = client.get(f"/dienstleistungen/antraege/{application.pk}/rechnung/")
    assert invoice.status_code == 200
    html = invoice.content.decode()
    assert (payment.invoice_number in html and "10,00 €" in html) or "10.00 €" in html
    assert "Gebührenbescheid / Rechnung" in html


def test_authority_fee_rule_wins_over_the_default(
    region: Region, catalogue: dict[str, Service], verified_citizen: User
) -> None:
    FeeRule.objects.create(
        service=catalogue["meldebescheinigung"],
        authority=region.samtgemeinde,
        amount=Decimal("7.50"),
        label="Meldebescheinigung (Satzung Aue)",
    )
    in_sg = application_submit(
        catalogue["meldebescheinigung"],
        applicant=verified_citizen,
        point=IN_AUEDORF,
        data={"art": "einfach"},
    )
    in_stadt = application_submit(
        catalogue["meldebescheinigung"],
        applicant=verified_citizen,
        point=IN_STADT,
        data={"art": "einfach"},
    )
    assert in_sg.payment.amount == Decimal("7.50")
    assert in_stadt.payment.amount == Decimal("10.00")
    assert not Payment.objects.filter(application__service__slug="hundesteueranmeldung").exists()


# --- attachments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00" + b"\x00" * 100, "Dieser Dateityp wird nicht angenommen"),
        ("fake.pdf", b"<html>not a pdf</html>", "Dieser Dateityp wird nicht angenommen"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj\n", "unvollständig oder beschädigt"),
        (
            "script.pdf",
            b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n%%EOF",
            "aktive Inhalte",
        ),
        ("empty.pdf", b"", "Die Datei ist leer"),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "beschädigt"),
    ],
)
def test_bad_attachments_are_rejected_with_400(
    region: Region,
    catalogue: dict[str, Service],
    citizen: User,
    client: Client,
    name: str,
    content: bytes,
    message: str,
) -> None:
    client.force_login(citizen)
    response = submit(
        client,
        "hundesteueranmeldung",
        {**DOG_FORM, "haftpflicht": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert name in html
    assert Application.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_too_large_attachment(
    region: Region, catalogue: dict[str, Service], citizen: User, settings: Any
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1000
    settings.PHOTO_MAX_BYTES = 1000
    big = PDF_BYTES + b"%" * 2000 + b"\n%%EOF"
    with pytest.raises(ApplicationInvalid) as caught:
        application_submit(
            catalogue["hundesteueranmeldung"],
            applicant=citizen,
            point=IN_STADT,
            data=DOG_FORM,
            uploads=[Upload("haftpflicht", _file(big), "gross.pdf")],
        )
    assert "zu groß" in caught.value.errors["haftpflicht"][0]


def test_photos_are_reencoded_without_metadata(
    region: Region, catalogue: dict[str, Service], citizen: User
) -> None:
    application = application_submit(
        catalogue["hundesteueranmeldung"],
        applicant=citizen,
        point=IN_STADT,
        data=DOG_FORM,
        uploads=[Upload("haftpflicht", _file(jpeg_bytes()), "Foto.JPG")],
    )
    (attachment,) = application.attachments.all()
    assert attachment.content_type == "image/jpeg"
    assert attachment.original_name == "Foto.jpg"


def test_required_document_and_unknown_file_fields(
    region: Region, catalogue: dict[str, Service], verified_citizen: User
) -> None:
    with pytest.raises(ApplicationInvalid) as caught:
        application_submit(
            catalogue["wohngeld"],
            applicant=verified_citizen,
            point=IN_STADT,
            data={"personen": "2", "miete": "450,50", "einkommen": "1800"},
            uploads=[Upload("anderes", _file(PDF_BYTES), "x.pdf")],
        )
    assert caught.value.errors["mietvertrag"] == ["Bitte fügen Sie dieses Dokument bei."]
    assert "unbekannte Dateifelder" in caught.value.errors[""][0]
    application = application_submit(
        catalogue["wohngeld"],
        applicant=verified_citizen,
        point=IN_STADT,
        data={"personen": "2", "miete": "450,50", "einkommen": "1800"},
        uploads=[Upload("mietvertrag", _file(PDF_BYTES), "mietvertrag.pdf")],
    )
    assert application.data["miete"] == 450.5
    assert application.authority == region.kreis


def _file(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


# --- staff -------------------------------------------------------------------------------------


@pytest.fixture
def application(region: Region, catalogue: dict[str, Service], citizen: User) -> Application:
    return application_submit(
        catalogue["hundesteueranmeldung"], applicant=citizen, point=IN_STADT, data=DOG_FORM
    )


def test_staff_of_another_authority_cannot_see_the_application(
    region: Region, application: Application, client: Client
) -> None:
    own = staff(region.stadt, Role.DISPATCHER, email="stadt@example.org")
    other = staff(region.samtgemeinde, Role.ADMIN, email="sg@example.org")
    kreis = staff(region.kreis, Role.ADMIN, email="kreis@example.org")

    client.force_login(own)
    assert client.get(f"/dienstleistungen/bearbeitung/{application.pk}/").status_code == 200
    assert application.reference in client.get("/dienstleistungen/bearbeitung/").content.decode()

    for outsider in (other, kreis):
        client.force_login(outsider)
        url = f"/dienstleistungen/bearbeitung/{application.pk}/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "status", "status": "done"}).status_code == 404
        assert (
            application.reference
            not in client.get("/dienstleistungen/bearbeitung/").content.decode()
        )
        assert client.get(f"/dienstleistungen/antraege/{application.pk}/").status_code == 404
        assert (
            client.get(f"/dienstleistungen/antraege/{application.pk}/rechnung/").status_code == 404
        )
        with pytest.raises(PermissionDenied):
            application_transition(application, to_status="in_review", by=outsider)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEW


def test_another_citizen_cannot_see_it(application: Application, client: Client) -> None:
    from tests.factories import UserFactory

    client.force_login(UserFactory.create())
    assert client.get(f"/dienstleistungen/antraege/{application.pk}/").status_code == 404


def test_staff_work_the_application_and_the_citizen_is_told(
    region: Region,
    application: Application,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    worker = staff(region.stadt, Role.DISPATCHER)
    client.force_login(worker)
    url = f"/dienstleistungen/bearbeitung/{application.pk}/"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "status", "status": "in_review"}).status_code == 302
    # A rejection needs a reason; an impossible step is refused with 400, never 500.
    response = client.post(url, {"action": "status", "status": "rejected"})
    assert response.status_code == 400
    assert "Grund für die Ablehnung" in response.content.decode()
    response = client.post(url, {"action": "status", "status": "new"})
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"action": "status", "status": "done", "note": "Marke folgt"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DONE
    statuses = [e.to_status for e in application.events.filter(kind="status")]
    assert statuses == ["in_review", "done"]
    assert [m.subject for m in mail.outbox] == [
        f"Ihr Antrag {application.reference}: in Prüfung",
        f"Ihr Antrag {application.reference}: erledigt",
    ]
    assert "Marke folgt" in str(mail.outbox[1].body)


def test_transition_service_rules(region: Region, application: Application) -> None:
    worker = staff(region.stadt)
    with pytest.raises(ValidationError):
        application_transition(application, to_status="bogus", by=worker)
    event = application_transition(application, to_status="in_progress", by=worker)
    assert event.from_status == "new" and event.to_status == "in_progress"


# --- postbox -----------------------------------------------------------------------------------


def test_postbox_both_ways_with_attachments_and_mail(
    region: Region,
    application: Application,
    citizen: User,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    worker = staff(region.stadt)
    mail.outbox.clear()
    client.force_login(worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/dienstleistungen/bearbeitung/{application.pk}/",
            {
                "action": "message",
                "body": "Bitte senden Sie den Impfpass.",
                "files": [SimpleUploadedFile("hinweis.pdf", PDF_BYTES)],
            },
        )
    assert response.status_code == 302
    (to_citizen,) = mail.outbox
    assert to_citizen.to == [citizen.email]
    assert "Impfpass" not in str(to_citizen.body)  # content stays behind the login

    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/dienstleistungen/antraege/{application.pk}/",
            {"body": "Anbei.", "files": [SimpleUploadedFile("impfpass.jpg", jpeg_bytes())]},
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == [region.stadt.email]
    page = client.get(f"/dienstleistungen/antraege/{application.pk}/").content.decode()
    assert "Bitte senden Sie den Impfpass." in page and "impfpass.jpg" in page
    messages = list(application.messages.order_by("id"))
    assert [m.from_authority for m in messages] == [True, False]
    attachment = messages[1].attachments.get()
    download = client.get(f"/dienstleistungen/anlagen/{attachment.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "image/jpeg"

    bad = client.post(
        f"/dienstleistungen/antraege/{application.pk}/",
        {"body": "", "files": [SimpleUploadedFile("x.exe", b"MZ" + b"\x00" * 50)]},
    )
    assert bad.status_code == 400
    assert "Dieser Dateityp wird nicht angenommen" in bad.content.decode()
    empty = client.post(f"/dienstleistungen/antraege/{application.pk}/", {"body": "  "})
    assert empty.status_code == 400

    # Staff of another authority can neither download nor write.
    outsider = staff(region.kreis)
    client.force_login(outsider)
    assert client.get(f"/dienstleistungen/anlagen/{attachment.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        message_send(application, sender=outsider, body="Hallo")


def test_staff_record_the_payment(
    region: Region, catalogue: dict[str, Service], verified_citizen: User, client: Client
) -> None:
    application = application_submit(
        catalogue["meldebescheinigung"],
        applicant=verified_citizen,
        point=IN_STADT,
        data={"art": "einfach"},
    )
    worker = staff(region.stadt)
    client.force_login(worker)
    url = f"/dienstleistungen/bearbeitung/{application.pk}/"
    assert client.post(url, {"action": "paid", "reference": "Kasse 4711"}).status_code == 302
    payment = Payment.objects.get()
    assert payment.state == Payment.State.PAID and payment.external_reference == "Kasse 4711"
    assert client.post(url, {"action": "paid"}).status_code == 400  # not open any more
    with pytest.raises(PermissionDenied):
        payment_mark_paid(payment, by=staff(region.kreis))
    assert client.get(f"/dienstleistungen/antraege/{application.pk}/rechnung/").status_code == 200


def test_not_offered_online_at_this_place(
    region: Region, catalogue: dict[str, Service], citizen: User, client: Client
) -> None:
    from catalogue.models import ServiceOverride

    ServiceOverride.objects.create(
        service=catalogue["hundesteueranmeldung"], authority=region.stadt, offered_online=False
    )
    client.force_login(citizen)
    response = submit(client, "hundesteueranmeldung", DOG_FORM)
    assert response.status_code == 400
    assert "bietet diese Leistung nicht online an" in response.content.decode()
    # On-site-only services have no form at all.
    assert client.get(apply_url("personalausweis")).status_code == 404


# --- REST API ----------------------------------------------------------------------------------


def test_api_application_json(
    region: Region, catalogue: dict[str, Service], citizen: User, client: Client
) -> None:
    url = "/api/v1/services/hundesteueranmeldung/applications"
    body = {**DOG_FORM, "gefaehrlich": True, "lat": IN_AUEDORF.y, "lon": IN_AUEDORF.x}
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(citizen)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["authority"]["slug"] == "sg-aue"
    assert created["status"] == "new"
    application = Application.objects.get(reference=created["reference"])
    assert application.data["gefaehrlich"] is True

    bad = client.post(
        url, {**body, "hund_name": "", "geburtsjahr": "alt"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad.json() == {
        "geburtsjahr": ["Bitte geben Sie eine ganze Zahl ein."],
        "hund_name": ["Bitte füllen Sie dieses Feld aus."],
    }
    assert (
        client.post(url, {**body, "lat": "x"}, content_type="application/json").status_code == 400
    )
    assert client.post(url, DOG_FORM, content_type="application/json").status_code == 400
    unknown = client.post(url, {**body, "admin": True}, content_type="application/json")
    assert unknown.status_code == 400
    outside = client.post(url, {**body, "lat": 52.0, "lon": 11.5}, content_type="application/json")
    assert outside.status_code == 400
    assert "außerhalb" in outside.json()["lat"][0]


def test_api_application_multipart_and_step_up(
    region: Region, catalogue: dict[str, Service], citizen: User, client: Client
) -> None:
    client.force_login(citizen)
    refused = client.post(
        "/api/v1/services/meldebescheinigung/applications",
        {"art": "einfach", "lat": IN_STADT.y, "lon": IN_STADT.x},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused.json()["required_level"] == "verified"
    assert "Online-Ausweis" in refused.json()["detail"]

    response = client.post(
        "/api/v1/services/hundesteueranmeldung/applications",
        {
            **DOG_FORM,
            "lat": str(IN_STADT.y),
            "lon": str(IN_STADT.x),
            "haftpflicht": SimpleUploadedFile("police.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 201, response.content
    assert Attachment.objects.get().field == "haftpflicht"
    bad_file = client.post(
        "/api/v1/services/hundesteueranmeldung/applications",
        {
            **DOG_FORM,
            "lat": str(IN_STADT.y),
            "lon": str(IN_STADT.x),
            "haftpflicht": SimpleUploadedFile("x.exe", b"MZ" + b"\x00" * 40),
        },
    )
    assert bad_file.status_code == 400
    assert "Dieser Dateityp" in bad_file.json()["haftpflicht"][0]


def test_internal_notes_stay_internal_and_a_refusal_cancels_the_fee(
    region: Region, catalogue: dict[str, Service], verified_citizen: User, client: Client
) -> None:
    application = application_submit(
        catalogue["meldebescheinigung"],
        applicant=verified_citizen,
        point=IN_STADT,
        data={"art": "einfach"},
    )
    worker = staff(region.stadt)
    client.force_login(worker)
    url = f"/dienstleistungen/bearbeitung/{application.pk}/"
    assert client.post(url, {"action": "note", "text": "Akte liegt bei Frau M."}).status_code == 302
    assert client.post(url, {"action": "note", "text": " "}).status_code == 400
    assert "Akte liegt bei Frau M." in client.get(url).content.decode()
    client.post(url, {"action": "status", "status": "rejected", "note": "Nicht gemeldet."})
    application.payment.refresh_from_db()
    assert application.payment.state == Payment.State.CANCELLED

    client.force_login(verified_citizen)
    page = client.get(f"/dienstleistungen/antraege/{application.pk}/").content.decode()
    assert "Akte liegt bei Frau M." not in page
    assert "Nicht gemeldet." in page
    assert "storniert" in page


def test_posting_is_rate_limited_per_account(
    region: Region, catalogue: dict[str, Service], citizen: User, client: Client, settings: Any
) -> None:
    settings.CATALOGUE_POST_RATE_PER_USER = "2/h"
    client.force_login(citizen)
    for _ in range(2):
        assert submit(client, "hundesteueranmeldung", DOG_FORM).status_code == 302
    limited = submit(client, "hundesteueranmeldung", DOG_FORM)
    assert limited.status_code == 429
    assert Application.objects.count() == 2
    api = client.post(
        "/api/v1/services/hundesteueranmeldung/applications",
        {**DOG_FORM, "lat": IN_STADT.y, "lon": IN_STADT.x},
        content_type="application/json",
    )
    assert api.status_code in (201, 429)  # DRF counts its own requests
    for _ in range(2):
        api = client.post(
            "/api/v1/services/hundesteueranmeldung/applications",
            {**DOG_FORM, "lat": IN_STADT.y, "lon": IN_STADT.x},
            content_type="application/json",
        )
    assert api.status_code == 429


def test_application_mail_goes_through_the_outbox_and_respects_the_opt_out(
    region: Region,
    application: Application,
    citizen: User,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from notifications import tokens
    from notifications.models import EmailOptOut
    from outbox.models import OutboxMessage

    worker = staff(region.stadt, Role.DISPATCHER)
    url = f"/dienstleistungen/bearbeitung/{application.pk}/"
    client.force_login(worker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "status", "status": "in_review"})
    (first,) = mail.outbox
    # one outbox row per recipient, with the one-click unsubscribe of every other mail
    row = OutboxMessage.objects.get(kind="email", payload__to=citizen.email.lower())
    assert row.status == "sent" and row.payload["scope"] == f"application:{application.pk}"
    assert first.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # the applicant unsubscribes from this application: no more mail about it
    token = tokens.make(citizen.email, f"application:{application.pk}")
    assert Client().post(f"/konto/benachrichtigungen/abmelden/{token}/").status_code == 200
    assert EmailOptOut.objects.filter(email=citizen.email.lower()).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "status", "status": "done", "note": "Marke folgt"})
    assert mail.outbox == []
