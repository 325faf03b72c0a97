"""The maps of the Streckenkontrolle: the road status tiles (tracker.inspections.tiles) and
the data of a round's route map (its segments by status and the recorded GPS track)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import LineString
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotModified
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from boundaries.basemap import BadTile, parse_tile
from core.conditional import etag_matches
from geo.models import RoadSegment
from tracker import permissions

from . import coverage, selectors, tiles
from .models import InspectionPlan, InspectionRound, SegmentInspection

MVT_CONTENT_TYPE = "application/vnd.mapbox-vector-tile"
# Browsers may reuse a tile this long without asking; after that the ETag answers with 304.
TILE_MAX_AGE = 60
COORD_DIGITS = 6

# Texts of the maps' legends and pop-ups (translated per request like the pages).
MAP_STRINGS: dict[str, Any] = {
    "inspected": gettext_lazy("kontrolliert, nicht fällig"),
    "due": gettext_lazy("heute fällig"),
    "overdue": gettext_lazy("überfällig"),
    "driven": gettext_lazy("auf dieser Fahrt befahren"),
    "track": gettext_lazy("GPS-Spur"),
    "here": gettext_lazy("Letzte Position"),
    "lastInspected": gettext_lazy("zuletzt kontrolliert"),
    "nextDue": gettext_lazy("nächste Kontrolle"),
    "never": gettext_lazy("nie"),
    "openRecord": gettext_lazy("Nachweis öffnen"),
    "noWebgl": gettext_lazy(
        "Die Karte der Kontrollstände braucht WebGL. Die Liste unten zeigt dieselben Stände."
    ),
}


@require_GET
def road_tile(request: HttpRequest, z: str, x: str, y: str) -> HttpResponse:
    """`/arbeit/kontrollen/kacheln/{z}/{x}/{y}.pbf`: staff only (403, no login redirect: a
    map asks for tiles in the background)."""
    if not request.user.is_authenticated or not permissions.is_staff_member(request.user):
        raise PermissionDenied(_("Nur für Mitarbeitende einer zuständigen Stelle."))
    try:
        zi, xi, yi = parse_tile(z, x, y)
    except BadTile as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    plans = sorted(selectors.visible_plans(request.user).values_list("id", flat=True))
    today = timezone.localdate()
    tag = tiles.tile_tag(plans, today)
    etag = f'"{tag}"'
    if etag_matches(request, etag):
        response: HttpResponse = HttpResponseNotModified()
    else:
        body = tiles.cached_tile(zi, xi, yi, plans, today, tag)
        response = HttpResponse(body, content_type=MVT_CONTENT_TYPE)
    response["ETag"] = etag
    patch_cache_control(response, private=True, max_age=TILE_MAX_AGE)
    patch_vary_headers(response, ["Cookie"])
    return response


def tile_url() -> str:
    """The tile URL template for MapLibre ({z}/{x}/{y})."""
    return reverse("inspections:tile", args=["0", "1", "2"]).replace("/0/1/2", "/{z}/{x}/{y}")


def plans_bounds(plans: Iterable[InspectionPlan]) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the plans' road segments (the map's first view)."""
    query = Q(pk__in=[])
    for plan in plans:
        query |= Q(owner_id=plan.authority_id, road_class=plan.road_class)
    extent = RoadSegment.objects.filter(query).aggregate(extent=Extent("geom"))["extent"]
    if not extent:
        return None
    min_x, min_y, max_x, max_y = extent
    return [[min_y, min_x], [max_y, max_x]]


def record_url_template() -> str:
    """The liability record's URL with "0" for the segment id (replaced in JavaScript)."""
    return reverse("inspections:record", args=[0])


def _coords(line: LineString) -> list[list[float]]:
    return [[round(lat, COORD_DIGITS), round(lon, COORD_DIGITS)] for lon, lat in line.coords]


def round_map(
    round_: InspectionRound, track: LineString | None, driven: set[int]
) -> dict[str, Any]:
    """What the round page's map draws: each segment of the route with its state
    (driven on this round, else inspected/due/overdue as on the route list) and the track
    as [lat, lon] pairs."""
    route = selectors.route_due(round_.plan)
    today = route.today
    if round_.state == InspectionRound.State.FINISHED:
        driven = set(
            SegmentInspection.objects.filter(round=round_).values_list("segment_id", flat=True)
        )
    geoms = dict(coverage.route_segments(round_.plan).values_list("id", "geom"))
    segments = []
    for due in route.segments:
        geom = geoms.get(due.id)
        if geom is None:
            continue
        state = due.state(today)
        segments.append(
            {
                "id": due.id,
                "label": due.label,
                "state": "driven" if due.id in driven else _STATES.get(state, state),
                "last": due.last_inspected.isoformat() if due.last_inspected else "",
                "due": due.due_on.isoformat(),
                "line": _coords(geom),
            }
        )
    return {
        "segments": segments,
        "track": _coords(track) if track else [],
        "running": round_.state == InspectionRound.State.RUNNING,
    }


# SegmentDue.state's "ok" is called "inspected" on the maps (as in the tiles).
_STATES = {"ok": "inspected"}
