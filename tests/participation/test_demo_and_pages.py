"""The demo plan `make run` loads, the feeds, the record of processing activities and the
pages in English."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from boundaries.models import Boundary
from data.demo import load_demo
from data.demo_participation import load_demo_participation
from data.demo_spec import STADT
from participation.models import Plan
from privacy import record

from .conftest import INSIDE

pytestmark = pytest.mark.django_db


def test_demo_plan_is_on_display_in_the_demo_town(client: Client) -> None:
    load_demo(commit=True)
    assert "created" in load_demo_participation(commit=True)[0]
    assert load_demo_participation(commit=True) == ["plan: already there"]
    plan = Plan.objects.get()
    assert plan.is_open() and plan.area is not None
    town = Boundary.objects.get(authority__slug=STADT, boundary_set__is_active=True)
    assert town.geom.covers(plan.area)
    document = plan.documents.get()
    response = client.get(document.file.url)
    assert response.status_code == 200
    pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    assert "Am Mühlenbach" in pdf.pages[0].extract_text()
    assert "Am Mühlenbach" in client.get("/beteiligung/").content.decode()


def test_feeds_list_plans_on_display(client: Client, plan: Plan) -> None:
    rss = client.get("/beteiligung/neu.rss")
    assert rss.status_code == 200 and "Nr. 12 Am Mühlenbach" in rss.content.decode()
    assert f"/beteiligung/{plan.pk}/" in rss.content.decode()
    atom = client.get("/beteiligung/neu.atom").content.decode()
    assert "<feed" in atom and f"urn:uuid:{plan.uid}" in atom


def test_statement_personal_data_is_in_the_privacy_record() -> None:
    models = {activity.model for activity in record.activities()}
    assert "participation.Statement" in models
    assert "Stellungnahmen zu Bebauungsplänen" in record.render()


def test_pages_in_english(client: Client, plan: Plan) -> None:
    client.cookies["django_language"] = "en"
    html = client.get(f"/beteiligung/{plan.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in html
    assert "Submit statement" in html and "Plan documents" in html
    listing = client.get("/beteiligung/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "On public display now" in listing
    page = client.post(
        f"/beteiligung/{plan.pk}/",
        {"text": "Outside", "email": "e@example.org", "lat": INSIDE[1], "lon": INSIDE[0] + 0.01},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "outside the plan area" in page.content.decode()
