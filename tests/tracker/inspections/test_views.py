"""The Streckenkontrolle pages: a crew drives a round through the pages (JSON track from the
phone, a Befund with photo, the end), refusals answer in German; the liability record as
page, CSV and signed PDF holds every event of the segment."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.tracker.staff.fixtures import jpeg
from tracker import services as report_services
from tracker.inspections import ledger, services
from tracker.inspections.models import InspectionRound, LedgerEntry, SegmentInspection
from tracker.models import Report

from .fixtures import STARTS, Roads, drive, make_roads

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _points(fixes: list[services.Fix]) -> str:
    return json.dumps(
        {"points": [{"lat": f.lat, "lon": f.lon, "t": 1767225600000, "acc": 8} for f in fixes]}
    )


def test_a_round_through_the_pages() -> None:
    roads = make_roads()
    crew = _client(roads.world.crew)
    page = crew.get(reverse("inspections:routes"))
    assert "Straßenmeisterei Nord" in page.content.decode()
    assert "3 Abschnitte überfällig" in page.content.decode()

    started = crew.post(reverse("inspections:start", args=[roads.plan.pk]))
    round_ = InspectionRound.objects.get()
    assert started["Location"] == reverse("inspections:round", args=[round_.pk])
    url = reverse("inspections:points", args=[round_.pk])
    answer = crew.post(url, _points(drive(STARTS[0], STARTS[0] + 0.01)), "application/json")
    assert answer.json() == {"stored": 21, "total": 21}
    bad = crew.post(url, '{"points": [{"lat": "x"}]}', "application/json")
    assert bad.status_code == 400 and bad.json()["error"] == "Ungültige Punkte."

    html = crew.get(reverse("inspections:round", args=[round_.pk])).content.decode()
    assert "Befund erfassen" in html and "Fahrt beenden: kontrolliert, ohne Befund" in html
    defect = crew.post(
        reverse("inspections:defect", args=[round_.pk]),
        {
            "category": roads.world.category.pk,
            "priority": 4,
            "measure": "barrier",
            "lat": "53.05005",
            "lon": "10.055",
            "photo": jpeg(name="loch.jpg"),
        },
    )
    report = Report.objects.get(source=Report.Source.INSPECTION)
    assert defect.status_code == 302 and report.photos.count() == 1
    followed = crew.get(defect["Location"]).content.decode()
    assert f"Befund {report.reference} erfasst." in followed

    ended = crew.post(reverse("inspections:end", args=[round_.pk]), {"note": ""})
    assert ended.status_code == 302
    done = crew.get(ended["Location"]).content.decode()
    assert "kontrolliert, 1 Befund" in done
    assert SegmentInspection.objects.filter(round=round_).count() == 1


def test_refusals_on_the_pages() -> None:
    roads = make_roads()
    other = _client(roads.world.other_crew)  # Straßenmeisterei Süd: not their route
    assert other.get(reverse("inspections:route", args=[roads.plan.pk])).status_code == 404
    round_ = services.round_start(roads.plan, by=roads.world.crew)
    crew = _client(roads.world.crew)
    no_position = crew.post(
        reverse("inspections:defect", args=[round_.pk]),
        {"category": roads.world.category.pk, "priority": 2, "measure": ""},
    )
    assert no_position.status_code == 400
    assert "Standort unbekannt" in no_position.content.decode()
    nothing = crew.post(reverse("inspections:end", args=[round_.pk]), {})
    assert nothing.status_code == 400
    assert "welche Abschnitte befahren wurden" in nothing.content.decode()
    typed = crew.post(reverse("inspections:points", args=[round_.pk]), {"lat": "95", "lon": "10"})
    assert typed.status_code == 400
    # Crew may drive but not read the liability record (Disposition, Verwaltung, Planung may).
    segment = roads.segments[0]
    assert crew.get(reverse("inspections:record", args=[segment.pk])).status_code == 403


def _history(roads: Roads) -> Report:
    citizen = roads.world.report(description="Tiefes Schlagloch am Fahrbahnrand")
    Report.objects.filter(pk=citizen.pk).update(road=roads.segments[0])
    report_services.report_add_note(citizen, by=roads.world.dispatcher, text="Kolonne informiert")
    round_ = services.round_start(roads.plan, by=roads.world.crew)
    services.round_add_points(round_, drive(STARTS[0], STARTS[0] + 0.01), by=roads.world.crew)
    services.round_log_defect(
        round_,
        services.Defect(roads.world.category, 10.055, 53.05, measure="warning_sign"),
        by=roads.world.crew,
    )
    services.round_end(round_, by=roads.world.crew)
    report_services.report_transition(citizen, "planned", by=roads.world.dispatcher)
    report_services.report_transition(citizen, "in_progress", by=roads.world.dispatcher)
    report_services.report_close(citizen, by=roads.world.dispatcher, note="Loch verfüllt")
    ledger.seal()  # what the sealer task does after these commits (tests run in a transaction)
    return citizen


def test_the_record_holds_every_event_of_the_segment_in_page_csv_and_pdf() -> None:
    roads = make_roads()
    citizen = _history(roads)
    segment = roads.segments[0]
    dispo = _client(roads.world.dispatcher)
    page = dispo.get(reverse("inspections:record", args=[segment.pk])).content.decode()
    assert "Hash-Kette: in Ordnung" in page
    for text in (
        citizen.reference,
        "Kolonne informiert",
        "Sofortmaßnahme: Warnschild",
        "kontrolliert (laut GPS-Spur), 1 Befund(e)",
        "Loch verfüllt",
    ):
        assert text in page

    csv_text = dispo.get(reverse("inspections:record-csv", args=[segment.pk])).content.decode()
    pdf = dispo.get(reverse("inspections:record-pdf", args=[segment.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages
    ).replace("\n", " ")
    rows = csv_text.splitlines()[1:]
    assert len(rows) >= 7
    for row in rows:  # every event's ledger link is printed
        link = row.split(";")[5]
        assert link and f" {link}" in text
    head = LedgerEntry.objects.order_by("-seq").first()
    assert head is not None and head.entry_hash and head.entry_hash in text.replace(" ", "")
    assert "in Ordnung" in text
    # The printed fingerprint is the SHA-256 of the CSV one can download.
    import hashlib

    assert hashlib.sha256(csv_text.encode()).hexdigest() in text.replace(" ", "")
    # The other segment's record does not show this history.
    other = dispo.get(reverse("inspections:record-csv", args=[roads.segments[2].pk]))
    assert citizen.reference not in other.content.decode()


def test_the_record_shows_a_broken_chain() -> None:
    roads = make_roads()
    citizen = _history(roads)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tracker_reportevent SET note = 'ohne Befund' WHERE report_id = %s"
            " AND kind = 'note'",
            [citizen.pk],
        )
    dispo = _client(roads.world.dispatcher)
    page = dispo.get(reverse("inspections:record", args=[roads.segments[0].pk])).content.decode()
    assert "Hash-Kette: gebrochen bei Glied" in page
    bad = dispo.get(
        reverse("inspections:record-csv", args=[roads.segments[0].pk]),
        {"von": "2026-02-01", "bis": "2026-01-01"},
    )
    assert bad.status_code == 400


def test_overdue_routes_on_the_queue_and_in_the_digest() -> None:
    from django.core import mail
    from django.utils import timezone

    from notifications import tasks

    roads = make_roads()
    roads.world.team.email = "sm-nord@example.org"
    roads.world.team.save()
    queue = _client(roads.world.crew).get(reverse("staff:queue")).content.decode()
    assert "Streckenkontrolle" in queue and "Kreisstraßen Nord" in queue
    assert "3 Abschnitte" in queue
    assert (
        "Kreisstraßen Nord"
        not in _client(roads.world.gemeinde_dispatcher).get(reverse("staff:queue")).content.decode()
    )

    tasks.overdue_digest()
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {"kreis@example.org", "sm-nord@example.org"}
    team_mail = sent["sm-nord@example.org"]
    assert team_mail.subject == "Straßenmeisterei Nord: 1 überfällige Streckenkontrolle"
    since = roads.plan.starts_on.strftime("%d.%m.%Y")
    assert f"Kreisstraßen Nord: 3 Abschnitte, fällig seit {since}" in str(team_mail.body)
    assert timezone.localdate() > roads.plan.starts_on
