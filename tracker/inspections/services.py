"""The state changes of a Streckenkontrolle: start a round, record track points, log a
finding (a report with its Sofortmaßnahme), end the round. Each one checks, changes, writes an
InspectionEvent (chained into the ledger) under one transaction. Refusals raise NotPermitted
(403) or ValidationError (400) with a German message and change nothing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from django.contrib.gis.geos import LineString, Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from geo.models import RoadSegment
from geo.srid import WGS84
from tracker import permissions
from tracker.models import Category, Priority, Report, ReportEvent
from tracker.permissions import NotPermitted
from tracker.services import report_create

from . import coverage, tiles
from .measures import MEASURES
from .models import Finding, InspectionEvent, InspectionPlan, InspectionRound, TrackPoint

ROUND_ROLES = frozenset({Role.CREW, Role.DISPATCHER, Role.ADMIN})
MAX_POINTS_PER_POST = 500


def may_drive(user: Any, plan: InspectionPlan) -> bool:
    """Crew of the plan's team, or dispatch/admin of its authority (and superusers)."""
    if permissions.is_superuser(user):
        return True
    roles = permissions.roles_for(user, plan.authority_id)
    if roles & {Role.DISPATCHER, Role.ADMIN}:
        return True
    if Role.CREW in roles:
        return plan.team_id is None or plan.team_id in permissions.team_ids(user)
    return False


def _authorize(user: Any, plan: InspectionPlan) -> None:
    if not may_drive(user, plan):
        raise NotPermitted(_("Diese Route gehört nicht zu Ihrem Team oder Ihrer Stelle."))


def _lock_running(round_: InspectionRound, user: Any) -> InspectionRound:
    locked = InspectionRound.objects.select_for_update().select_related("plan").get(pk=round_.pk)
    _authorize(user, locked.plan)
    if locked.state != InspectionRound.State.RUNNING:
        raise ValidationError(_("Diese Kontrollfahrt ist bereits beendet."))
    return locked


def round_start(plan: InspectionPlan, *, by: User) -> InspectionRound:
    """A crew sets out on the plan's route."""
    _authorize(by, plan)
    if not plan.is_active:
        raise ValidationError(_("Diese Route ist nicht mehr aktiv."))
    with transaction.atomic():
        round_ = InspectionRound.objects.create(plan=plan, team=plan.team, started_by=by)
        InspectionEvent.objects.create(
            round=round_,
            kind=InspectionEvent.Kind.STARTED,
            actor=by,
            note=_("Streckenkontrolle „%(route)s“ begonnen") % {"route": plan.name},
        )
    return round_


@dataclass(frozen=True)
class Fix:
    """One position: WGS84 longitude/latitude, when, and how exact (metres)."""

    lon: float
    lat: float
    at: datetime | None = None
    accuracy_m: float | None = None


def _valid(fix: Fix) -> Point:
    if not (-180 <= fix.lon <= 180 and -90 <= fix.lat <= 90):
        raise ValidationError({"lat": [_("Keine gültige Position.")]})
    return Point(fix.lon, fix.lat, srid=WGS84)


def round_add_points(round_: InspectionRound, fixes: Sequence[Fix], *, by: User) -> int:
    """Append GPS fixes to the round's track (the phone posts them in small batches)."""
    if not fixes:
        return 0
    if len(fixes) > MAX_POINTS_PER_POST:
        raise ValidationError(
            _("Höchstens %(max)d Punkte auf einmal.") % {"max": MAX_POINTS_PER_POST}
        )
    points = [(_valid(fix), fix) for fix in fixes]
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_running(round_, by)
        TrackPoint.objects.bulk_create(
            TrackPoint(
                round=locked, geom=geom, recorded_at=fix.at or now, accuracy_m=fix.accuracy_m
            )
            for geom, fix in points
        )
    return len(points)


@dataclass(frozen=True)
class Defect:
    """What the crew records with one tap: category, where, how urgent, what was done."""

    category: Category
    lon: float | None
    lat: float | None
    priority: int = Priority.NORMAL
    measure: str = ""
    note: str = ""
    photos: Sequence[IO[bytes]] = ()


def _defect_point(locked: InspectionRound, defect: Defect) -> Point:
    if defect.lon is not None and defect.lat is not None:
        return _valid(Fix(defect.lon, defect.lat))
    last = TrackPoint.objects.filter(round=locked).order_by("-recorded_at", "-id").first()
    if last is None:
        # Not tied to a field: the position fields are hidden on the page.
        raise ValidationError(
            _("Standort unbekannt: Bitte GPS erlauben oder die Position eintragen.")
        )
    return last.geom


def _check_defect(defect: Defect) -> None:
    if defect.measure and defect.measure not in MEASURES:
        raise ValidationError({"measure": [_("Unbekannte Sofortmaßnahme.")]})
    if defect.priority not in Priority.values:
        raise ValidationError({"priority": [_("Unbekannte Priorität.")]})


def round_log_defect(round_: InspectionRound, defect: Defect, *, by: User) -> Report:
    """A Befund: filed as a report (source "inspection") with its Sofortmaßnahme recorded."""
    _check_defect(defect)
    with transaction.atomic():
        locked = _lock_running(round_, by)
        point = _defect_point(locked, defect)
        label = defect.category.localized_name()
        report = report_create(
            category=defect.category,
            point=point,
            description=defect.note.strip() or _("Befund der Streckenkontrolle: %s") % label,
            reporter=by,
            photos=defect.photos,
            source=Report.Source.INSPECTION,
        )
        Report.objects.filter(pk=report.pk).update(priority=defect.priority)
        report.priority = defect.priority
        if defect.measure:
            ReportEvent.objects.create(
                report=report,
                kind=ReportEvent.Kind.MEASURE,
                actor=by,
                authority=report.authority,
                is_public=False,
                note=_("Sofortmaßnahme: %s") % MEASURES[defect.measure],
            )
        segment = coverage.nearest_segment(locked.plan, point)
        Finding.objects.create(round=locked, report=report, segment=segment, measure=defect.measure)
        InspectionEvent.objects.create(
            round=locked,
            kind=InspectionEvent.Kind.FINDING,
            actor=by,
            report=report,
            segment=segment,
            note=_("Befund %(ref)s: %(category)s") % {"ref": report.reference, "category": label},
        )
    return report


def current_track(locked: InspectionRound) -> LineString | None:
    coords = [p.geom.coords for p in TrackPoint.objects.filter(round=locked).only("geom")]
    coords = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
    return LineString(coords, srid=WGS84) if len(coords) >= 2 else None


def round_end(
    round_: InspectionRound, *, by: User, segments: Iterable[int] | None = None, note: str = ""
) -> InspectionRound:
    """End the round: the segments driven (by the track, plus those the crew ticked) are
    marked inspected with date, crew and track; no findings = "kontrolliert, ohne Befund"."""
    with transaction.atomic():
        locked = _lock_running(round_, by)
        locked.track = current_track(locked)
        route = set(coverage.route_segments(locked.plan).values_list("id", flat=True))
        driven = coverage.driven_segment_ids(locked.track, route) if locked.track else set()
        ticked = {int(s) for s in segments or ()} & route
        if not driven and not ticked:
            raise ValidationError(
                {"segments": [_("Bitte geben Sie an, welche Abschnitte befahren wurden.")]}
            )
        now = timezone.now()
        locked.state, locked.ended_at, locked.note = InspectionRound.State.FINISHED, now, note
        locked.save(update_fields=["track", "state", "ended_at", "note"])
        coverage.mark_inspected(locked, driven, ticked - driven, by=by, at=now)
        tiles.bump_version()
        findings = locked.findings.count()
        InspectionEvent.objects.create(
            round=locked,
            kind=InspectionEvent.Kind.ENDED,
            actor=by,
            note=(
                _("kontrolliert, %(n)d Befund(e)") % {"n": findings}
                if findings
                else _("kontrolliert, ohne Befund")
            )
            + " — "
            + _("%(n)d Abschnitte") % {"n": len(driven | ticked)},
        )
    return locked


def segments_by_id(ids: Iterable[int]) -> list[RoadSegment]:
    return list(RoadSegment.objects.filter(pk__in=list(ids)))
