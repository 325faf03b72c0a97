from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from reportlab.pdfgen import canvas

from accounts.models import Role, User
from boundaries.models import Authority
from outbox import delivery
from outbox.models import OutboxMessage
from participation.models import Plan, PlanDocument, PlanStatus
from tests.factories import AuthorityFactory, staff

# A small plan area in Lüneburg-like surroundings (WGS84): about 300 m by 220 m.
AREA = MultiPolygon(
    Polygon(
        ((10.400, 53.250), (10.404, 53.250), (10.404, 53.252), (10.400, 53.252), (10.400, 53.250))
    ),
    srid=4326,
)
INSIDE = (10.402, 53.251)  # lon, lat
OUTSIDE = (10.410, 53.251)


def pdf_bytes(text: str = "Planzeichnung") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def jpeg_bytes(colour: str = "green") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def drain() -> None:
    """Deliver the outbox the way the worker does, fan-out rows included."""
    for _round in range(5):
        ids = list(
            OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).values_list(
                "pk", flat=True
            )
        )
        if not ids:
            return
        for message_id in ids:
            delivery.deliver(message_id)


@pytest.fixture
def town() -> Authority:
    return AuthorityFactory.create(name="Heidestadt", slug="heidestadt")


@pytest.fixture
def planner(town: Authority) -> User:
    return staff(town, Role.PLANNER, email="planung@heidestadt.example.org")


def make_plan(town: Authority, **fields: object) -> Plan:
    now = timezone.now()
    values: dict[str, object] = {
        "authority": town,
        "title": "Am Mühlenbach",
        "number": "Nr. 12",
        "description": "Wohngebiet mit 40 Bauplätzen.",
        "area": AREA,
        "display_start": now - timedelta(days=3),
        "display_end": now + timedelta(days=27),
        "status": PlanStatus.DISPLAY,
        "published_at": now - timedelta(days=3),
    }
    values.update(fields)
    plan = Plan.objects.create(**values)
    document = PlanDocument(plan=plan, title="Planzeichnung", size=1)
    document.file.save("plan.pdf", ContentFile(pdf_bytes()), save=True)
    return plan


@pytest.fixture
def plan(town: Authority) -> Plan:
    return make_plan(town)
