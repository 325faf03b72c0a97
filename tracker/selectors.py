"""Reads: querysets with the joins they need (see docs/architecture.md, convention 2)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.gis.db.models.functions import SnapToGrid
from django.contrib.gis.geos import Point, Polygon
from django.db.models import FloatField, Func, Prefetch, Q, QuerySet

from geo.expressions import distance_metres, within_metres

from .models import OPEN_STATUSES, Category, Photo, Report, ReportEvent

# Public output shows an approximate location: snapped to a ~10 m grid, so a report made
# from someone's front garden does not pinpoint the house.
PUBLIC_GRID_DEGREES = 0.0001

# What public pages and the API show. Contact data and tokens are never loaded for them, and
# neither is the exact location (public_lon/public_lat are computed in SQL instead).
_PUBLIC_COLUMNS = (
    "id",
    "category",
    "description",
    "status",
    "authority",
    "supporter_count",
    "confirmed_at",
    "created_at",
    "updated_at",
)


class _X(Func):
    function = "ST_X"
    output_field = FloatField()


class _Y(Func):
    function = "ST_Y"
    output_field = FloatField()


def public_reports() -> QuerySet[Report]:
    """Reports anyone may see: confirmed by the reporter, with their approximate location as
    `public_lon`/`public_lat` and moderated photos as `public_photos`; contact data not loaded."""
    snapped = SnapToGrid("location", PUBLIC_GRID_DEGREES)
    return (
        Report.objects.filter(confirmed_at__isnull=False)
        .select_related("category", "authority")
        .only(
            *_PUBLIC_COLUMNS,
            "category__slug",
            "category__name",
            "category__name_en",
            "authority__name",
        )
        .annotate(public_lon=_X(snapped), public_lat=_Y(snapped))
        .prefetch_related(
            Prefetch(
                "photos", queryset=Photo.objects.filter(is_public=True), to_attr="public_photos"
            )
        )
    )


def reports_in_bbox(
    *,
    bbox: Polygon | None = None,
    categories: list[str] | None = None,
    statuses: list[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Report]:
    reports = public_reports()
    if bbox is not None:
        reports = reports.filter(location__intersects=bbox)
    if categories:
        reports = reports.filter(category__slug__in=categories)
    if statuses:
        reports = reports.filter(status__in=statuses)
    if since is not None:
        reports = reports.filter(created_at__gte=since)
    if until is not None:
        reports = reports.filter(created_at__lte=until)
    return reports


def nearby_open_reports(
    *, point: Point, category: Category, asset_id: int | None = None, limit: int = 10
) -> QuerySet[Report]:
    """Open reports of the same category within the category's duplicate radius (metres, on
    geography), or about the same asset — shown before a citizen files a new one."""
    near = Q(within_metres('"tracker_report"."location"', point, category.duplicate_radius_m))
    if asset_id is not None:
        near |= Q(asset_id=asset_id)
    return (
        public_reports()
        .filter(near, category=category, status__in=OPEN_STATUSES)
        .annotate(distance_m=distance_metres('"tracker_report"."location"', point))
        .order_by("distance_m", "-created_at")[:limit]
    )


def public_history(report: Report) -> QuerySet[ReportEvent]:
    return report.events.filter(is_public=True).order_by("created_at", "id")


def reports_of_user(user_id: int) -> QuerySet[Report]:
    return (
        Report.objects.filter(reporter_id=user_id)
        .select_related("category", "authority")
        .order_by("-created_at")
    )
