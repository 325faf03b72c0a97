"""Reads for the Open311 endpoints, built on tracker.selectors.public_reports (approximate
location, no contact data, moderated photos only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.gis.db.models.functions import SnapToGrid
from django.contrib.gis.geos import Polygon
from django.db.models import (
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from boundaries.models import Authority, BoundaryPiece, Level
from tracker.models import OPEN_STATUSES, Category, Photo, Report, ReportEvent
from tracker.selectors import PUBLIC_GRID_DEGREES, public_reports

from .models import RequestToken, ServiceAttribute

# Never loaded for Open311 output (DSGVO): contact data, secrets, the free-text address.
_PRIVATE_COLUMNS = (
    "reporter_email",
    "reporter_name",
    "reporter_phone",
    "confirmation_token",
    "tracking_token",
    "address",
)


class _X(Func):
    function = "ST_X"
    output_field = FloatField()


class _Y(Func):
    function = "ST_Y"
    output_field = FloatField()


# Territorial levels first: an AGS names a Gemeinde (8 digits) or a Kreis (5); a slug names
# any authority.
_JURISDICTION_LEVELS = [Level.GEMEINDE, Level.SAMTGEMEINDE, Level.KREIS, Level.LAND]


def jurisdiction_by_id(jurisdiction_id: str) -> Authority | None:
    """The active authority named by `jurisdiction_id`: its AGS or its slug."""
    candidates = list(
        Authority.objects.filter(Q(ags=jurisdiction_id) | Q(slug=jurisdiction_id), is_active=True)
    )
    if not candidates:
        return None
    by_slug = [a for a in candidates if a.slug == jurisdiction_id]
    if by_slug:
        return by_slug[0]
    rank: dict[str, int] = {level: i for i, level in enumerate(_JURISDICTION_LEVELS)}
    return min(candidates, key=lambda a: rank.get(a.level, 99))


def services(jurisdiction: Authority | None = None) -> QuerySet[Category]:
    """Active categories as Open311 services, with their attributes prefetched. With a
    jurisdiction: those offered everywhere or in the jurisdiction, its parent or its members."""
    categories = Category.objects.filter(is_active=True)
    if jurisdiction is not None:
        related = [jurisdiction.pk]
        if jurisdiction.parent_id:
            related.append(jurisdiction.parent_id)
        related += list(jurisdiction.children.values_list("pk", flat=True))
        offered_somewhere = Category.available_in.through.objects.filter(category_id=OuterRef("pk"))
        offered_here = offered_somewhere.filter(authority_id__in=related)
        categories = categories.filter(~Exists(offered_somewhere) | Exists(offered_here))
    return categories.order_by("sort_order", "name").prefetch_related(
        Prefetch(
            "open311_attributes",
            queryset=ServiceAttribute.objects.order_by("order", "id"),
            to_attr="attribute_list",
        )
    )


def _latest_public_note() -> Subquery:
    return Subquery(
        ReportEvent.objects.filter(report_id=OuterRef("pk"), is_public=True)
        .exclude(note="")
        .order_by("-created_at", "-id")
        .values("note")[:1]
    )


def _with_status_notes(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Plus `status_notes` and `expected_at` (the due date, while one is set)."""
    return reports.annotate(status_notes=_latest_public_note(), expected_at=F("due_at"))


def in_jurisdiction(reports: QuerySet[Report], jurisdiction: Authority) -> QuerySet[Report]:
    """Reports inside the jurisdiction's active boundary, or routed to it (operators have no
    boundary)."""
    # the subdivided pieces: small polygons, GiST-indexed (as boundaries.services does)
    inside = BoundaryPiece.objects.filter(
        authority=jurisdiction, is_active=True, geom__covers=OuterRef("location")
    )
    return reports.filter(Q(authority=jurisdiction) | Exists(inside))


@dataclass(frozen=True)
class RequestFilter:
    ids: Sequence[int] | None = None
    service_codes: Sequence[str] = ()
    statuses: Sequence[str] = ()  # "open" / "closed"
    start: datetime | None = None
    end: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    bbox: Polygon | None = None
    jurisdiction: Authority | None = None


def service_requests(query: RequestFilter) -> QuerySet[Report]:
    """Confirmed (public) reports as Open311 service requests, newest first. Ids override
    every other filter but the jurisdiction, as the spec says."""
    reports = _with_status_notes(public_reports())
    if query.jurisdiction is not None:
        reports = in_jurisdiction(reports, query.jurisdiction)
    if query.ids is not None:
        return reports.filter(pk__in=query.ids).order_by("-created_at", "-id")
    if query.service_codes:
        reports = reports.filter(category__slug__in=query.service_codes)
    wanted = set(query.statuses)
    if wanted == {"open"}:
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif wanted == {"closed"}:
        reports = reports.exclude(status__in=OPEN_STATUSES)
    if query.start is not None:
        reports = reports.filter(created_at__gte=query.start)
    if query.end is not None:
        reports = reports.filter(created_at__lte=query.end)
    if query.updated_after is not None:
        reports = reports.filter(updated_at__gte=query.updated_after)
    if query.updated_before is not None:
        reports = reports.filter(updated_at__lte=query.updated_before)
    if query.bbox is not None:
        reports = reports.filter(location__intersects=query.bbox)
    return reports.order_by("-created_at", "-id")


def _creator_view() -> QuerySet[Report]:
    """Like public_reports, without the confirmation filter: what the creator of a request may
    see before the citizen confirmed it. Still no contact data and the approximate location."""
    snapped = SnapToGrid("location", PUBLIC_GRID_DEGREES)
    return (
        Report.objects.select_related("category", "authority")
        .defer(*_PRIVATE_COLUMNS)
        .annotate(public_lon=_X(snapped), public_lat=_Y(snapped))
        .prefetch_related(
            Prefetch(
                "photos", queryset=Photo.objects.filter(is_public=True), to_attr="public_photos"
            )
        )
    )


def service_request(
    report_id: int, *, token: str = "", api_key_id: int | None = None
) -> Report | None:
    """One request: public ones for everybody; one not yet confirmed only for its creator,
    who shows the request's token or the API key it was filed with."""
    report = _with_status_notes(public_reports()).filter(pk=report_id).first()
    if report is not None:
        return report
    creator = Q()
    if token:
        creator |= Q(open311_token__token=token)
    if api_key_id is not None:
        creator |= Q(open311_attributes__api_key_id=api_key_id)
    if not creator:
        return None
    return _with_status_notes(_creator_view()).filter(creator, pk=report_id).first()


def request_token(token: str) -> RequestToken | None:
    if not token or len(token) > 64:
        return None
    return RequestToken.objects.filter(token=token).first()


# History entries that are not an update by the authority: the report itself, the
# reporter's confirmation, "ich bin auch betroffen".
_NOT_UPDATES = (ReportEvent.Kind.CREATED, ReportEvent.Kind.CONFIRMED, ReportEvent.Kind.SUPPORTED)


def service_request_updates(
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    report_ids: Sequence[int] | None = None,
    jurisdiction: Authority | None = None,
) -> QuerySet[ReportEvent]:
    """Public history entries of public reports, oldest first, as FixMyStreet's
    servicerequestupdates; each annotated with `status_then`, the report's status right after
    the entry (the latest status change up to it)."""
    reports = public_reports()
    if jurisdiction is not None:
        reports = in_jurisdiction(reports, jurisdiction)
    if report_ids is not None:
        reports = reports.filter(pk__in=report_ids)
    events = ReportEvent.objects.filter(report__in=reports.values("pk"), is_public=True).exclude(
        kind__in=_NOT_UPDATES
    )
    if start is not None:
        events = events.filter(created_at__gte=start)
    if end is not None:
        events = events.filter(created_at__lte=end)
    status_then = Subquery(
        ReportEvent.objects.filter(
            report_id=OuterRef("report_id"), created_at__lte=OuterRef("created_at")
        )
        .exclude(to_status="")
        .order_by("-created_at", "-id")
        .values("to_status")[:1]
    )
    return (
        events.annotate(status_then=status_then)
        .only("id", "report_id", "kind", "to_status", "note", "created_at")
        .order_by("created_at", "id")
    )
