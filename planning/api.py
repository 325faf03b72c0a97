"""REST API for planners' GIS tools under /api/v1/planning/ (session or token auth).

Same rule as the pages (planning.scope): planners, dispatchers and admins of an authority see
its reports, a Landkreis's members the whole region below it, superusers everything;
everyone else gets 403. Filters: category, status (or `open`), since/until (dates, local
time, inclusive), road_class, road_ref, authority (slugs, comma-separated or repeated).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from core import params
from core.replica import read_from_replica
from geo.params import parse_bbox
from tracker.models import Category

from . import density, exports, selectors
from .filters import PlanningFilterForm, PlanningFilters
from .scope import can_plan, planning_scope

GEOJSON = "application/geo+json"

FILTER_PARAMETERS = [
    OpenApiParameter("category", str, description="Category slugs, comma-separated"),
    OpenApiParameter(
        "status", str, description="Statuses, comma-separated; `open` = all open statuses"
    ),
    OpenApiParameter("since", OpenApiTypes.DATE, description="Reported on or after (local date)"),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Reported on or before"),
    OpenApiParameter("road_class", str, description="Road classes A,B,L,K,G,O"),
    OpenApiParameter("road_ref", str, description="Road number, e.g. K 12 (spaces ignored)"),
    OpenApiParameter("authority", str, description="Authority slugs within your region"),
]
BBOX_PARAMETER = OpenApiParameter(
    "bbox", str, description="minLon,minLat,maxLon,maxLat (WGS84); default: everything"
)


class CanPlan(BasePermission):
    message = "Nur für die Planung einer Stelle."

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_plan(request.user)


def request_filters(request: Request) -> PlanningFilters:
    """The validated filters of the request within the viewer's scope (400 otherwise)."""
    form = PlanningFilterForm(request.query_params, scope=planning_scope(request.user))
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data())
    return form.filters()


def optional_bbox(request: Request) -> Polygon | None:
    raw = params.text(request.query_params.get("bbox"), "bbox")
    return parse_bbox(raw) if raw else None


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    value = params.integer(
        request.query_params.get(name), name, default=default, minimum=low, maximum=high
    )
    assert value is not None  # noqa: S101 - there is a default
    return value


@method_decorator(read_from_replica, name="dispatch")  # planning only reads (core/replica.py)
class PlanningView(APIView):
    permission_classes = [IsAuthenticated, CanPlan]


class BinsView(PlanningView):
    @extend_schema(
        summary="Density bins (heatmap)",
        description=(
            "Report counts per square cell or hexagon as a GeoJSON FeatureCollection "
            "(`count` per feature; `total`, `max`, `cell_size_m`, `shape` on the collection). "
            "The cell size follows `zoom` (about 24 screen pixels) unless `cell_size` "
            "(metres) is given. Cells are in EPSG:25832 metres, returned in WGS84."
        ),
        parameters=[
            BBOX_PARAMETER,
            OpenApiParameter("zoom", float, description="Web map zoom level (default 10)"),
            OpenApiParameter("cell_size", int, description="Cell edge in metres (25–50000)"),
            OpenApiParameter("shape", str, enum=["square", "hex"]),
            *FILTER_PARAMETERS,
        ],
        responses={(200, GEOJSON): OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> HttpResponse:
        filters = request_filters(request)
        bbox = optional_bbox(request)
        shape = params.choice(
            request.query_params.get("shape"), "shape", ("square", "hex"), default="square"
        )
        try:
            zoom = float(request.query_params.get("zoom", "10"))
        except ValueError as exc:
            raise ValidationError({"zoom": [_("Bitte eine Zahl angeben.")]}) from exc
        if not 0 <= zoom <= 22:
            raise ValidationError({"zoom": [_("Erlaubt sind 0 bis 22.")]})
        latitude = bbox.centroid.y if bbox is not None else 51.0
        size = _int_param(
            request, "cell_size", density.cell_size_for_zoom(zoom, latitude), 25, 50_000
        )
        body = density.density_bins(filters, bbox=bbox, size_m=size, shape=shape)
        return HttpResponse(body, content_type=GEOJSON)


class HotspotsView(PlanningView):
    @extend_schema(
        summary="Hot spots (DBSCAN clusters)",
        description=(
            "Clusters of reports within `eps` metres of each other (ST_ClusterDBSCAN in "
            "EPSG:25832) with at least `min_points` reports, the largest first: count, "
            "centre, radius, most frequent category and up to 50 report ids (newest first). "
            "At most the newest 100,000 reports of the filter are clustered."
        ),
        parameters=[
            BBOX_PARAMETER,
            OpenApiParameter("eps", int, description="Distance in metres (5–2000, default 50)"),
            OpenApiParameter("min_points", int, description="Reports per cluster (2–1000)"),
            OpenApiParameter("limit", int, description="Clusters (1–200, default 50)"),
            *FILTER_PARAMETERS,
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        filters = request_filters(request)
        spots = selectors.hotspots(
            filters,
            bbox=optional_bbox(request),
            eps_m=_int_param(request, "eps", 50, 5, 2000),
            min_points=_int_param(request, "min_points", 5, 2, 1000),
            limit=_int_param(request, "limit", 50, 1, 200),
        )
        names = dict(
            Category.objects.filter(pk__in={s.category_id for s in spots}).values_list("pk", "name")
        )
        return Response(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                        "properties": {
                            **{k: v for k, v in asdict(s).items() if k not in ("lon", "lat")},
                            "category": names.get(s.category_id, ""),
                        },
                    }
                    for s in spots
                ],
            },
            content_type=GEOJSON,
        )


class RoadsView(PlanningView):
    @extend_schema(
        summary="Road segments ranked by reports per km",
        parameters=[
            OpenApiParameter("min_length", int, description="Metres (default 100)"),
            OpenApiParameter("limit", int, description="Segments (1–500, default 50)"),
            *FILTER_PARAMETERS,
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> HttpResponse:
        filters = request_filters(request)
        ranks = selectors.road_ranking(
            filters,
            min_length_m=_int_param(request, "min_length", 100, 0, 100_000),
            limit=_int_param(request, "limit", 50, 1, 500),
        )
        # the geometry is GeoJSON text from PostGIS already: spliced in, not parsed again
        features = [
            '{{"type":"Feature","id":{},"geometry":{},"properties":{}}}'.format(
                rank.road_id,
                rank.geometry,
                _json({k: v for k, v in asdict(rank).items() if k != "geometry"}),
            )
            for rank in ranks
        ]
        body = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
        return HttpResponse(body, content_type=GEOJSON)


class StatsView(PlanningView):
    @extend_schema(
        summary="Statistics",
        description=(
            "Counts by category, status, authority and month; median and 90th percentile "
            "time to acknowledge (first status change away from `new`) and to fix (first "
            "time `done`), in seconds; overdue share (overdue open / open); per road ref. "
            "Computed from a materialised view refreshed every few minutes by Celery beat "
            "(`refreshed_at`)."
        ),
        parameters=FILTER_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        filters = request_filters(request)
        return Response(stats_payload(filters))


def stats_payload(filters: PlanningFilters) -> dict[str, Any]:
    """The statistics as JSON-ready data (API and page), with names for the ids."""
    from boundaries.models import Authority
    from tracker.models import Status

    stats = selectors.statistics(filters)
    categories = dict(
        Category.objects.filter(pk__in=[pk for pk, _n in stats.by_category]).values_list(
            "pk", "slug"
        )
    )
    authorities = dict(
        Authority.objects.filter(pk__in=[pk for pk, _n in stats.by_authority]).values_list(
            "pk", "slug"
        )
    )
    labels = dict(Status.choices)
    refreshed = selectors.facts_refreshed_at()
    return {
        "total": stats.total,
        "open": stats.open,
        "overdue": stats.overdue,
        "overdue_share": stats.overdue_share,
        "time_to_acknowledge": {
            "median_seconds": stats.durations.ack_median,
            "p90_seconds": stats.durations.ack_p90,
        },
        "time_to_fix": {
            "median_seconds": stats.durations.fix_median,
            "p90_seconds": stats.durations.fix_p90,
        },
        "by_category": [
            {"category": categories.get(pk, str(pk)), "count": n} for pk, n in stats.by_category
        ],
        "by_status": [
            {"status": status, "label": str(labels.get(status, status)), "count": n}
            for status, n in stats.by_status
        ],
        "by_authority": [
            {"authority": authorities.get(pk, str(pk)), "count": n} for pk, n in stats.by_authority
        ],
        "by_month": [{"month": month, "count": n} for month, n in stats.by_month],
        "by_road": [
            {
                "road_ref": road["ref"],
                "count": road["count"],
                "open": road["open"],
                "overdue": road["overdue"],
                "fix_median_seconds": road["fix_median"],
            }
            for road in stats.by_road
        ],
        "refreshed_at": refreshed.isoformat() if refreshed else None,
    }


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "geojson": GEOJSON,
    "gpkg": "application/geopackage+sqlite3",
}


def export_response(filters: PlanningFilters, export_format: str) -> HttpResponse:
    """A streamed CSV/GeoJSON or a GeoPackage file of the filtered reports (400 when a
    GeoPackage would be too large)."""
    filename = f"meldungen.{export_format}"
    response: HttpResponse | StreamingHttpResponse | FileResponse
    if export_format == "csv":
        response = StreamingHttpResponse(
            exports.csv_chunks(filters), content_type=EXPORT_TYPES["csv"]
        )
    elif export_format == "geojson":
        response = StreamingHttpResponse(
            exports.geojson_chunks(filters), content_type=EXPORT_TYPES["geojson"]
        )
    else:
        try:
            handle = exports.geopackage_file(filters)
        except exports.TooManyRows as exc:
            raise ValidationError(
                {
                    "detail": [
                        _(
                            "%(count)s Meldungen sind zu viele für eine GeoPackage-Datei "
                            "(höchstens %(limit)s). Bitte Filter einschränken oder CSV/GeoJSON "
                            "verwenden."
                        )
                        % {"count": exc.count, "limit": exc.limit}
                    ]
                }
            ) from exc
        response = FileResponse(handle, content_type=EXPORT_TYPES["gpkg"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]


class ExportThrottle(UserRateThrottle):
    """Exports per account (PLANNING_EXPORT_RATE_PER_USER, default 30/h): one export of a
    million reports keeps a database connection and a worker busy for many seconds, so a
    script or a stuck retry loop must not start them without end. 429 with the wait."""

    scope = "planning_export"

    def get_rate(self) -> str:
        return str(settings.PLANNING_EXPORT_RATE_PER_USER)


class ExportView(PlanningView):
    throttle_classes = [ExportThrottle]

    @extend_schema(
        summary="Export the filtered reports (CSV, GeoJSON, GeoPackage)",
        description=(
            "Without personal data: no name, email, phone, tokens, description or address; "
            "location snapped to the public ~10 m grid. CSV and GeoJSON are streamed (no row "
            "limit); a GeoPackage holds at most 250,000 reports (400 beyond)."
        ),
        parameters=FILTER_PARAMETERS,
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, GEOJSON): OpenApiResponse(OpenApiTypes.OBJECT),
            (200, "application/geopackage+sqlite3"): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    def get(self, request: Request, export_format: str) -> HttpResponse:
        if export_format not in EXPORT_TYPES:
            raise NotFound(_("Unbekanntes Exportformat."))
        return export_response(request_filters(request), export_format)


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
