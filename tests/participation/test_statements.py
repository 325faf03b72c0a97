"""Citizens submit statements on a plan on display: guests confirm their address first and get
the receipt by mail afterwards, account holders at once; after the deadline nothing is
accepted (also from a form opened before it), a pin outside the plan area is refused, and
attachments are checked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.models import User
from participation.models import AccessLevel, Plan, Statement, StatementEvent
from tests.factories import UserFactory

from .conftest import INSIDE, OUTSIDE, drain, jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def _post(client: Client, plan: Plan, **data: object) -> Any:
    return client.post(f"/beteiligung/{plan.pk}/", data)


def test_plan_page_shows_area_documents_period_and_form(client: Client, plan: Plan) -> None:
    page = client.get(f"/beteiligung/{plan.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Nr. 12 Am Mühlenbach" in html
    assert "Planzeichnung" in html and "/media/participation/documents/" in html
    assert "Stellung­nahme absenden".replace("\xad", "") in html.replace("\xad", "")
    assert '"planArea"' in html and '"MultiPolygon"' in html
    listing = client.get("/beteiligung/").content.decode()
    assert "Am Mühlenbach" in listing and "Jetzt in der Auslegung" in listing


def test_guest_statement_confirmation_then_receipt_mail(client: Client, plan: Plan) -> None:
    page = _post(
        client, plan, text="Bitte die Linde erhalten.", email="Anna@Example.org", name="Anna"
    )
    statement = Statement.objects.get()
    assert (
        page.status_code == 302 and page["Location"] == f"/beteiligung/eingang/{statement.token}/"
    )
    receipt = client.get(page["Location"]).content.decode()
    assert statement.receipt in receipt and "bestätigen Sie noch Ihre E-Mail-Adresse" in receipt
    assert statement.confirmed_at is None and statement.email == "anna@example.org"
    drain()
    assert len(mail.outbox) == 1 and "Bitte bestätigen" in mail.outbox[0].subject
    confirm_path = f"/beteiligung/bestaetigen/{statement.token}/"
    assert confirm_path in mail.outbox[0].body
    # The link shows a button; only the POST confirms (mail scanners open links).
    assert client.get(confirm_path).status_code == 200
    statement.refresh_from_db()
    assert statement.confirmed_at is None
    assert client.post(confirm_path).status_code == 302
    drain()
    statement.refresh_from_db()
    assert statement.confirmed_at is not None
    receipt_mail = mail.outbox[1]
    assert receipt_mail.to == ["anna@example.org"]
    assert "Eingangsbestätigung" in receipt_mail.subject and statement.receipt in receipt_mail.body
    assert "Bitte die Linde erhalten." in receipt_mail.body
    kinds = list(statement.events.values_list("kind", flat=True))
    assert kinds == [StatementEvent.Kind.SUBMITTED, StatementEvent.Kind.CONFIRMED]


def test_account_holder_gets_receipt_at_once_with_pin_and_attachments(
    client: Client, plan: Plan
) -> None:
    user = UserFactory.create(email="bernd@example.org")
    client.force_login(user)
    page = client.post(
        f"/beteiligung/{plan.pk}/",
        {
            "text": "Die Zufahrt ist zu eng.",
            "lat": str(INSIDE[1]),
            "lon": str(INSIDE[0]),
            "attachments": [
                SimpleUploadedFile("Skizze.pdf", pdf_bytes("Skizze"), "application/pdf"),
                SimpleUploadedFile("Foto.jpg", jpeg_bytes(), "image/jpeg"),
            ],
        },
    )
    assert page.status_code == 302
    statement = Statement.objects.get()
    assert statement.author == user and statement.confirmed_at is not None
    assert statement.pin is not None and round(statement.pin.x, 3) == INSIDE[0]
    assert sorted(a.original_name for a in statement.attachments.all()) == [
        "Foto.jpg",
        "Skizze.pdf",
    ]
    drain()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bernd@example.org"]
    assert "Skizze.pdf" in mail.outbox[0].body


def test_pin_outside_the_area_is_refused_and_nothing_stored(client: Client, plan: Plan) -> None:
    page = _post(
        client, plan, text="Hier fehlt ein Spielplatz.", email="c@example.org",
        lat=str(OUTSIDE[1]), lon=str(OUTSIDE[0]),
    )  # fmt: skip
    assert page.status_code == 400
    assert "außerhalb des Plangebiets" in page.content.decode()
    assert not Statement.objects.exists()
    # The API says the same.
    answer = client.post(
        f"/api/v1/plans/{plan.pk}/statements",
        {"text": "x", "email": "c@example.org", "lat": OUTSIDE[1], "lon": OUTSIDE[0]},
        content_type="application/json",
    )
    assert answer.status_code == 400 and "außerhalb des Plangebiets" in answer.content.decode()
    assert not Statement.objects.exists()


def test_without_pin_works_and_bad_coordinates_are_a_message(client: Client, plan: Plan) -> None:
    page = _post(client, plan, text="Ohne Ort.", email="d@example.org", lat="abc", lon="1")
    assert page.status_code == 400 and "Zahlen" in page.content.decode()
    assert _post(client, plan, text="Ohne Ort.", email="d@example.org").status_code == 302
    assert Statement.objects.get().pin is None


def test_after_the_deadline_nothing_is_accepted_even_from_an_open_form(
    client: Client, plan: Plan
) -> None:
    form_page = client.get(f"/beteiligung/{plan.pk}/")
    assert "Stellungnahme absenden" in form_page.content.decode()
    # The deadline passes while the citizen is still writing.
    Plan.objects.filter(pk=plan.pk).update(display_end=timezone.now() - timedelta(minutes=1))
    page = _post(client, plan, text="Noch schnell.", email="e@example.org")
    html = page.content.decode()
    assert page.status_code == 400
    assert "Die Frist für Stellungnahmen ist am" in html and "nicht angenommen" in html
    assert not Statement.objects.exists()
    answer = client.post(
        f"/api/v1/plans/{plan.pk}/statements",
        {"text": "Noch schnell.", "email": "e@example.org"},
        content_type="application/json",
    )
    assert answer.status_code == 400 and "abgelaufen" in answer.content.decode()
    assert not Statement.objects.exists()


def test_account_level_is_enforced(client: Client, plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(access_level=AccessLevel.VERIFIED)
    page = client.get(f"/beteiligung/{plan.pk}/").content.decode()
    assert "geprüfte Identität" in page and "Stellungnahme absenden" not in page
    assert _post(client, plan, text="x", email="f@example.org").status_code == 403
    user = UserFactory.create()
    client.force_login(user)
    assert _post(client, plan, text="x").status_code == 403
    User.objects.filter(pk=user.pk).update(assurance_level="verified")
    assert _post(client, plan, text="Mit eID.").status_code == 302
    assert Statement.objects.count() == 1


def test_attachment_checks(client: Client, plan: Plan, settings: object) -> None:
    page = client.post(
        f"/beteiligung/{plan.pk}/",
        {
            "text": "Anlage kaputt",
            "email": "g@example.org",
            "attachments": [
                SimpleUploadedFile("boese.exe", b"MZ\x90\x00" * 100, "application/pdf")
            ],
        },
    )
    assert (
        page.status_code == 400 and "Dieser Dateityp wird nicht angenommen" in page.content.decode()
    )
    assert not Statement.objects.exists()
    too_many = [SimpleUploadedFile(f"{i}.pdf", pdf_bytes(), "application/pdf") for i in range(6)]
    page = client.post(
        f"/beteiligung/{plan.pk}/",
        {"text": "viele", "email": "g@example.org", "attachments": too_many},
    )
    assert page.status_code == 400 and "Höchstens 5 Anlagen" in page.content.decode()


def test_api_lists_plans_as_geojson_and_takes_statements(client: Client, plan: Plan) -> None:
    data = client.get("/api/v1/plans").json()
    assert data["type"] == "FeatureCollection"
    feature = data["features"][0]
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert feature["properties"]["accepts_statements"] is True
    assert feature["properties"]["documents"][0]["title"] == "Planzeichnung"
    assert client.get(f"/api/v1/plans/{plan.pk}").json()["id"] == plan.pk
    answer = client.post(
        f"/api/v1/plans/{plan.pk}/statements",
        {"text": "Per App.", "email": "h@example.org", "lat": INSIDE[1], "lon": INSIDE[0]},
        content_type="application/json",
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["confirmed"] is False and body["receipt"].startswith(f"BP{plan.pk}-")
    schema = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/plans/{id}/statements" in schema and "StatementReceipt" in schema


def test_draft_plans_are_not_public(client: Client, plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(status="draft")
    assert client.get(f"/beteiligung/{plan.pk}/").status_code == 404
    assert client.get("/api/v1/plans").json()["features"] == []
    document = plan.documents.get()
    assert client.get(document.file.url).status_code == 404
