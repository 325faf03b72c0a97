"""The planning staff of the plan's authority (and nobody else) see the statements, tag and
answer them, export them as CSV and as one PDF for the consideration, and publish the result,
which is mailed to every author. Uploads follow the plan: documents are public once the plan
is on display, statements' attachments stay with the author and the staff."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role, User
from boundaries.models import Authority
from participation import services
from participation.models import Plan, PlanStatus, Statement, StatementEvent
from tests.factories import AuthorityFactory, UserFactory, staff

from .conftest import INSIDE, drain, jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def _statements(plan: Plan) -> tuple[Statement, Statement]:
    from django.contrib.gis.geos import Point

    author = UserFactory.create(email="bernd@example.org", display_name="Bernd B.")
    first = services.statement_submit(
        plan,
        user=author,
        text="Die Linde am Mühlenbach muss bleiben.",
        pin=Point(*INSIDE, srid=4326),
        uploads=[
            services.Upload(io.BytesIO(jpeg_bytes("red")), "linde.jpg"),
            services.Upload(io.BytesIO(pdf_bytes("Gutachten")), "gutachten.pdf"),
        ],
    )
    second = services.statement_submit(
        plan, user=None, email="anna@example.org", name="Anna A.", text="Mehr Parkplätze."
    )
    services.statement_confirm(second.token)
    return first, second


def test_staff_pages_are_scoped_to_the_authority(client: Client, plan: Plan, planner: User) -> None:
    other = staff(AuthorityFactory.create(), Role.PLANNER)
    crew = staff(plan.authority, Role.CREW)
    citizen = UserFactory.create()
    url = f"/beteiligung/arbeit/{plan.pk}/"
    assert client.get(url).status_code == 302  # to the login
    for user, status in ((other, 404), (crew, 403), (citizen, 403), (planner, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
        assert client.get(f"{url}stellungnahmen.csv").status_code == status
    client.force_login(other)
    assert "Am Mühlenbach" not in client.get("/beteiligung/arbeit/").content.decode()


def test_unconfirmed_guest_statements_are_not_passed_on(
    client: Client, plan: Plan, planner: User
) -> None:
    services.statement_submit(plan, user=None, email="x@example.org", text="Unbestätigt.")
    client.force_login(planner)
    assert "Unbestätigt." not in client.get(f"/beteiligung/arbeit/{plan.pk}/").content.decode()


def test_tag_answer_and_exports(client: Client, plan: Plan, planner: User) -> None:
    first, second = _statements(plan)
    client.force_login(planner)
    url = f"/beteiligung/arbeit/{plan.pk}/"
    page = client.get(url).content.decode()
    assert first.receipt in page and second.receipt in page and "linde.jpg" in page
    answer = {
        "action": "answer", "statement": first.pk, "tags": "Bäume, Grün; bäume",
        "status": "accepted", "answer": "Die Linde wird als zu erhalten festgesetzt.",
    }  # fmt: skip
    assert client.post(url, answer).status_code == 302
    first.refresh_from_db()
    assert first.tags == ["Bäume", "Grün"] and first.status == "accepted"
    assert set(first.events.values_list("kind", flat=True)) >= {"tagged", "answered"}
    # A decision without a reason is refused.
    refused = client.post(url, {**answer, "statement": second.pk, "answer": ""})
    assert refused.status_code == 400 and "begründen" in refused.content.decode()
    second.refresh_from_db()
    assert second.tags == [] and second.status == "received"  # nothing half-stored
    filtered = client.get(url, {"schlagwort": "Bäume"}).content.decode()
    assert first.receipt in filtered and second.receipt not in filtered

    rows = list(
        csv.reader(
            io.StringIO(client.get(f"{url}stellungnahmen.csv").content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows[0][0] == "Eingangsnummer" and len(rows) == 3
    assert rows[1][0] == first.receipt and "bernd@example.org" in rows[1][2]
    assert rows[1][4].startswith("53.251") and rows[1][5] == "Bäume, Grün"
    assert rows[1][6] == "berücksichtigt" and "linde.jpg" in rows[1][8]
    assert rows[2][2] == "Anna A. <anna@example.org>" and rows[2][4] == ""

    response = client.get(f"{url}stellungnahmen.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Stellungnahmen zum Bebauungsplan Nr. 12 Am Mühlenbach" in text
    assert first.receipt in text and second.receipt in text
    assert "Die Linde am Mühlenbach muss bleiben." in text
    assert "Die Linde wird als zu erhalten festgesetzt." in text
    assert "gutachten.pdf" in text and "SHA-256" in text
    images = sum(len(page.images) for page in reader.pages)
    assert images == 1  # the photo, embedded


def test_plan_lifecycle_and_result_mail(client: Client, town: Authority, planner: User) -> None:
    client.force_login(planner)
    now = timezone.localtime()
    page = client.post(
        "/beteiligung/arbeit/",
        {
            "authority": town.pk, "number": "Nr. 7", "title": "Schulstraße",
            "display_start": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "display_end": (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
            "access_level": "guest",
        },
    )  # fmt: skip
    plan = Plan.objects.get(number="Nr. 7")
    assert page.status_code == 302 and plan.status == PlanStatus.DRAFT
    url = f"/beteiligung/arbeit/{plan.pk}/"
    refused = client.post(url, {"action": "open"})
    assert refused.status_code == 400 and "Geltungsbereich" in refused.content.decode()
    from .conftest import AREA

    Plan.objects.filter(pk=plan.pk).update(area=AREA)
    not_pdf = SimpleUploadedFile("plan.pdf", b"kein pdf", "application/pdf")
    refused = client.post(url, {"action": "document", "title": "Plan", "file": not_pdf})
    assert refused.status_code == 400 and "kein PDF" in refused.content.decode()
    document = SimpleUploadedFile("plan.pdf", pdf_bytes(), "application/pdf")
    assert (
        client.post(
            url, {"action": "document", "title": "Planzeichnung", "file": document}
        ).status_code
        == 302
    )
    document_url = plan.documents.get().file.url
    client.logout()
    assert client.get(document_url).status_code == 404  # a draft's documents are not public
    client.force_login(planner)
    assert client.post(url, {"action": "open"}).status_code == 302
    client.logout()
    assert client.get(document_url).status_code == 200
    assert "Schulstraße" in client.get("/beteiligung/neu.rss").content.decode()

    plan.refresh_from_db()
    services.statement_submit(plan, user=None, email="anna@example.org", text="Tempo 30!")
    services.statement_confirm(Statement.objects.get().token)
    client.force_login(planner)
    refused = client.post(url, {"action": "result", "text": "Tempo 30 wird angeordnet."})
    assert refused.status_code == 400 and "läuft noch" in refused.content.decode()
    Plan.objects.filter(pk=plan.pk).update(display_end=timezone.now() - timedelta(hours=1))
    assert client.post(url, {"action": "close"}).status_code == 302
    drain()
    mail.outbox.clear()
    assert (
        client.post(url, {"action": "result", "text": "Tempo 30 wird angeordnet."}).status_code
        == 302
    )
    drain()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna@example.org"]
    assert "Ergebnis der Beteiligung" in mail.outbox[0].subject
    assert "Tempo 30 wird angeordnet." in mail.outbox[0].body
    assert StatementEvent.objects.filter(kind="result").count() == 1
    public = client.get(f"/beteiligung/{plan.pk}/").content.decode()
    assert "Ergebnis der Abwägung" in public and "Tempo 30 wird angeordnet." in public


def test_attachments_only_for_author_and_staff(client: Client, plan: Plan, planner: User) -> None:
    first, _second = _statements(plan)
    url = first.attachments.get(original_name="linde.jpg").file.url
    assert client.get(url).status_code == 404
    client.force_login(UserFactory.create())
    assert client.get(url).status_code == 404
    assert first.author is not None
    client.force_login(first.author)
    assert client.get(url).status_code == 200
    client.force_login(planner)
    assert client.get(url).status_code == 200
