"""Which road segments a route holds, which of them a GPS track covered, and the marking of
segments as inspected. The geometry work is PostGIS in metres (EPSG:25832)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.gis.geos import LineString, Point
from django.db import connection
from django.db.models import QuerySet

from accounts.models import User
from geo.expressions import distance_metres
from geo.models import RoadSegment

from .models import InspectionEvent, InspectionPlan, InspectionRound, SegmentInspection

# Metric work in EPSG:25832 (geo.srid.ETRS89_UTM32N). A segment counts as driven when the
# track passes within TRACK_BUFFER_M of at least COVERED_SHARE of its length (phone GPS is
# good to ~10 m; roads are wide).
TRACK_BUFFER_M = 30.0
COVERED_SHARE = 0.5
NEAREST_SEGMENT_M = 50.0


def route_segments(plan: InspectionPlan) -> QuerySet[RoadSegment]:
    """The plan's route: the authority's segments of the plan's road class."""
    return RoadSegment.objects.filter(owner_id=plan.authority_id, road_class=plan.road_class)


def driven_segment_ids(track: LineString, candidates: Iterable[int]) -> set[int]:
    ids = list(candidates)
    if not ids:
        return set()
    sql = """
        WITH t AS (SELECT ST_Buffer(ST_Transform(ST_GeomFromEWKT(%s), 25832), %s) AS area)
        SELECT s.id FROM geo_roadsegment s, t
        WHERE s.id = ANY(%s)
          AND ST_Intersects(ST_Transform(s.geom, 25832), t.area)
          AND ST_Length(ST_Intersection(ST_Transform(s.geom, 25832), t.area))
              >= %s * ST_Length(ST_Transform(s.geom, 25832))
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [track.ewkt, TRACK_BUFFER_M, ids, COVERED_SHARE])
        return {row[0] for row in cursor.fetchall()}


def nearest_segment(plan: InspectionPlan, point: Point) -> RoadSegment | None:
    """The route's segment a finding lies on (within NEAREST_SEGMENT_M), if any."""
    return (
        route_segments(plan)
        .annotate(distance=distance_metres("geo_roadsegment.geom", point))
        .filter(distance__lte=NEAREST_SEGMENT_M)
        .order_by("distance", "id")
        .first()
    )


def mark_inspected(
    round_: InspectionRound, by_track: set[int], ticked: set[int], *, by: User, at: datetime
) -> None:
    """One SegmentInspection and one chained InspectionEvent per segment driven."""
    findings: dict[int, int] = {}
    for segment_id in round_.findings.exclude(segment=None).values_list("segment_id", flat=True):
        findings[segment_id] = findings.get(segment_id, 0) + 1
    for segment_id in sorted(by_track | ticked):
        tracked = segment_id in by_track
        SegmentInspection.objects.create(
            segment_id=segment_id,
            round=round_,
            inspected_at=at,
            by_track=tracked,
            findings=findings.get(segment_id, 0),
        )
        InspectionEvent.objects.create(
            round=round_,
            kind=InspectionEvent.Kind.INSPECTED,
            actor=by,
            segment_id=segment_id,
            created_at=at,
            note=_inspected_note(tracked, findings.get(segment_id, 0)),
        )


def _inspected_note(tracked: bool, findings: int) -> str:
    from django.utils.translation import gettext as _

    how = _("laut GPS-Spur") if tracked else _("laut Angabe der Kolonne")
    if findings:
        return _("kontrolliert (%(how)s), %(n)d Befund(e)") % {"how": how, "n": findings}
    return _("kontrolliert (%(how)s), ohne Befund") % {"how": how}
