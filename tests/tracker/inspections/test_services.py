"""interval → due → round → inspected; a round with findings; refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tracker.inspections import selectors, services
from tracker.inspections.models import (
    Finding,
    InspectionEvent,
    InspectionRound,
    SegmentInspection,
)
from tracker.models import Priority, Report, ReportEvent
from tracker.permissions import NotPermitted

from .fixtures import STARTS, drive, make_roads

pytestmark = pytest.mark.django_db


def test_interval_due_round_inspected() -> None:
    roads = make_roads(interval_days=14)
    crew = roads.world.crew
    # Never inspected: due since the plan's start three days ago, so overdue.
    route = selectors.route_due(roads.plan)
    assert [s.label for s in route.segments] == [
        "K 12 Abschnitt 1",
        "K 12 Abschnitt 2",
        "K 12 Abschnitt 3",
    ]
    assert route.state == "overdue" and len(route.overdue) == 3
    assert [r.plan for r in selectors.overdue_routes()] == [roads.plan]

    round_ = services.round_start(roads.plan, by=crew)
    # The crew drives the first two segments only.
    assert services.round_add_points(round_, drive(STARTS[0], STARTS[1] + 0.01), by=crew) == 21
    ended = services.round_end(round_, by=crew)

    assert ended.state == InspectionRound.State.FINISHED
    assert ended.track is not None and len(ended.track) == 21
    inspected = SegmentInspection.objects.filter(round=ended)
    assert {i.segment_id for i in inspected} == {roads.segments[0].pk, roads.segments[1].pk}
    assert all(i.by_track and i.findings == 0 for i in inspected)
    last = InspectionEvent.objects.filter(round=ended).last()
    assert last is not None and "kontrolliert, ohne Befund" in last.note

    today = timezone.localdate()
    route = selectors.route_due(roads.plan)
    due = {s.label: s.due_on for s in route.segments}
    assert due["K 12 Abschnitt 1"] == today + timedelta(days=14)
    assert due["K 12 Abschnitt 3"] < today  # not driven: still overdue
    assert [s.label for s in route.overdue] == ["K 12 Abschnitt 3"]
    # Two weeks on, the driven ones are due again (today), not yet overdue.
    later = selectors.route_due(roads.plan, today + timedelta(days=14))
    assert {s.state(later.today) for s in later.segments[:2]} == {"due"}


def test_round_with_findings_files_reports_with_measures() -> None:
    roads = make_roads()
    crew = roads.world.crew
    round_ = services.round_start(roads.plan, by=crew)
    services.round_add_points(round_, drive(STARTS[0], STARTS[0] + 0.01), by=crew)
    report = services.round_log_defect(
        round_,
        services.Defect(
            category=roads.world.category,
            lon=None,  # at the last GPS fix
            lat=None,
            priority=Priority.URGENT,
            measure="warning_sign",
        ),
        by=crew,
    )
    assert report.source == Report.Source.INSPECTION
    assert report.priority == Priority.URGENT
    assert report.authority == roads.world.kreis
    measure = ReportEvent.objects.get(report=report, kind=ReportEvent.Kind.MEASURE)
    assert "Warnschild" in measure.note and measure.actor == crew
    finding = Finding.objects.get(report=report)
    assert finding.segment == roads.segments[0]

    services.round_end(round_, by=crew, segments=[roads.segments[2].pk], note="Regen")
    by_segment = {i.segment_id: i for i in SegmentInspection.objects.filter(round=round_)}
    assert by_segment[roads.segments[0].pk].findings == 1
    # Ticked by hand (the phone had no fix there).
    assert not by_segment[roads.segments[2].pk].by_track
    ended = InspectionEvent.objects.filter(round=round_, kind="ended").get()
    assert "1 Befund" in ended.note


def test_refusals_change_nothing() -> None:
    roads = make_roads()
    with pytest.raises(NotPermitted):
        services.round_start(roads.plan, by=roads.world.other_crew)
    round_ = services.round_start(roads.plan, by=roads.world.crew)
    with pytest.raises(ValidationError):  # no position known yet
        services.round_log_defect(
            round_, services.Defect(roads.world.category, None, None), by=roads.world.crew
        )
    with pytest.raises(ValidationError):  # nothing driven, nothing ticked
        services.round_end(round_, by=roads.world.crew)
    with pytest.raises(ValidationError):
        services.round_add_points(round_, [services.Fix(200.0, 53.0)], by=roads.world.crew)
    round_.refresh_from_db()
    assert round_.state == InspectionRound.State.RUNNING
    assert not Report.objects.filter(source=Report.Source.INSPECTION).exists()
    services.round_end(round_, by=roads.world.crew, segments=[roads.segments[0].pk])
    with pytest.raises(ValidationError):
        services.round_end(round_, by=roads.world.crew, segments=[roads.segments[0].pk])
