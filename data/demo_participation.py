"""Demo data of the participation (`manage.py load_demo_participation --commit`, run by
`make run` after `load_demo`): the Bebauungsplan "Nr. 12 Am Mühlenbach" of the demo town
Heidestadt, on display from a week ago for another three weeks, with its area (a rectangle
of about 6 ha on a street of the town) and a plan drawing as PDF made here with reportlab.
Idempotent: the plan is keyed by a fixed UUID; a second run only moves the display period
back around today when it has run out."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from boundaries.models import Authority, Boundary
from boundaries.places import search_places
from participation.models import AccessLevel, Plan, PlanDocument, PlanStatus

from .demo_spec import STADT

PLAN_UID = uuid.UUID("8c0b6a52-2f7e-4a8e-9b7e-3a51c2d0e012")
DESCRIPTION = (
    "Die Stadt Heidestadt stellt den Bebauungsplan Nr. 12 „Am Mühlenbach“ auf. Geplant sind "
    "ein allgemeines Wohngebiet mit etwa 40 Bauplätzen, ein Spielplatz und ein Grünzug entlang "
    "des Mühlenbachs. Die Linde an der Einmündung soll erhalten bleiben.\n\n"
    "Während der öffentlichen Auslegung nach § 3 Abs. 2 BauGB kann sich jede Person zum "
    "Entwurf äußern."
)


def _centre(town: Authority) -> Point:
    found = [p for p in search_places("Am Sportplatz, Heidestadt", limit=3) if p.kind == "street"]
    if found:
        return Point(found[0].lon, found[0].lat, srid=4326)
    boundary = Boundary.objects.filter(authority=town, boundary_set__is_active=True).first()
    if boundary is not None:
        return boundary.geom.point_on_surface
    return Point(10.0, 53.0, srid=4326)


def _area(centre: Point) -> MultiPolygon:
    """About 300 m by 200 m around `centre` (degrees at 53° N: 0.0045° lon ≈ 300 m)."""
    dx, dy = 0.00225, 0.0009
    x, y = centre.x, centre.y
    ring = (
        (x - dx, y - dy),
        (x + dx, y - dy),
        (x + dx, y + dy),
        (x - dx, y + dy),
        (x - dx, y - dy),
    )
    return MultiPolygon(Polygon(ring), srid=4326)


def plan_drawing_pdf() -> bytes:
    """A one-page plan drawing: title block, the area's outline, building zones, legend."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=landscape(A4))
    page.setTitle("Bebauungsplan Nr. 12 Am Mühlenbach – Entwurf")
    page.setFont("Helvetica-Bold", 16)
    page.drawString(20 * mm, 190 * mm, "Stadt Heidestadt – Bebauungsplan Nr. 12 „Am Mühlenbach“")
    page.setFont("Helvetica", 10)
    page.drawString(20 * mm, 183 * mm, "Entwurf zur öffentlichen Auslegung nach § 3 Abs. 2 BauGB")
    page.setLineWidth(2)
    page.setDash(6, 3)
    page.rect(30 * mm, 40 * mm, 180 * mm, 120 * mm)
    page.setDash()
    page.setLineWidth(1)
    page.setFillColorRGB(0.98, 0.85, 0.75)
    page.rect(40 * mm, 90 * mm, 70 * mm, 60 * mm, fill=1)
    page.rect(120 * mm, 90 * mm, 80 * mm, 60 * mm, fill=1)
    page.setFillColorRGB(0.75, 0.9, 0.75)
    page.rect(40 * mm, 50 * mm, 160 * mm, 30 * mm, fill=1)
    page.setFillColorRGB(0, 0, 0)
    page.drawString(60 * mm, 120 * mm, "WA  GRZ 0,4  II")
    page.drawString(145 * mm, 120 * mm, "WA  GRZ 0,4  II")
    page.drawString(100 * mm, 63 * mm, "Öffentliche Grünfläche (Mühlenbach)")
    page.setFont("Helvetica", 9)
    legend = ("- - -  Grenze des räumlichen Geltungsbereichs", "WA  allgemeines Wohngebiet",
              "GRZ  Grundflächenzahl", "II  zwei Vollgeschosse als Höchstmaß")  # fmt: skip
    for number, line in enumerate(legend):
        page.drawString(220 * mm, (150 - 8 * number) * mm, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def load_demo_participation(*, commit: bool) -> list[str]:
    """Needs the demo region (load_demo). Returns what was (or would be) done."""
    now = timezone.now()
    with transaction.atomic():
        town = Authority.objects.get(slug=STADT)
        plan = Plan.objects.filter(uid=PLAN_UID).first()
        if plan is None:
            plan = Plan.objects.create(
                uid=PLAN_UID,
                authority=town,
                number="Nr. 12",
                title="Am Mühlenbach",
                description=DESCRIPTION,
                area=_area(_centre(town)),
                display_start=now - timedelta(days=7),
                display_end=timezone.localtime(now + timedelta(days=21)).replace(
                    hour=23, minute=59, second=0, microsecond=0
                ),
                access_level=AccessLevel.GUEST,
                status=PlanStatus.DISPLAY,
                published_at=now - timedelta(days=7),
            )
            document = PlanDocument(plan=plan, title="Planzeichnung (Entwurf)", order=10)
            data = plan_drawing_pdf()
            document.size = len(data)
            document.file.save("bplan-12-planzeichnung.pdf", ContentFile(data), save=False)
            document.save()
            lines = ["plan: Nr. 12 Am Mühlenbach created (on display, 1 document)"]
        elif plan.status == PlanStatus.DISPLAY and plan.display_end <= now:
            Plan.objects.filter(pk=plan.pk).update(
                display_start=now - timedelta(days=7), display_end=now + timedelta(days=21)
            )
            lines = ["plan: display period moved around today"]
        else:
            lines = ["plan: already there"]
        if not commit:
            transaction.set_rollback(True)
            lines.append("dry run: nothing stored (--commit stores)")
    return lines
