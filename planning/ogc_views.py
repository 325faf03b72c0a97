"""OGC API – Features, Part 1 (Core, GeoJSON) under /ogc/, so QGIS, ArcGIS and GDAL open the
portal's data directly: landing page, conformance, collections, one collection, its items
(bbox, datetime, limit, offset with next links) and single items. Only the conformance
classes listed in CONFORMANCE are claimed. The staff-only collections answer to a signed-in
session or `Authorization: Token …` (the staff API's tokens)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.gis.geos import Polygon
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_GET
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from tracker import permissions

from .ogc import COLLECTIONS, Collection

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
DEFAULT_LIMIT, MAX_LIMIT = 100, 10000
ITEM_PARAMS = {"bbox", "datetime", "limit", "offset", "f"}
JSON, GEOJSON = "application/json", "application/geo+json"


class BadRequest(ValueError):
    pass


def _json(data: Any, status: int = 200, content_type: str = JSON) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = content_type
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(status: int, code: str, text: str) -> JsonResponse:
    return _json({"code": code, "description": text}, status)


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/ogc/").rstrip("/")


def _user(request: HttpRequest) -> Any:
    """The session user, or the staff API token's user (`Authorization: Token …`)."""
    if request.user.is_authenticated:
        return request.user
    try:
        found = TokenAuthentication().authenticate(request)  # type: ignore[arg-type]
    except AuthenticationFailed:
        return None
    return found[0] if found else None


def _visible(request: HttpRequest) -> list[Collection]:
    staff = permissions.is_staff_member(_user(request))
    return [c for c in COLLECTIONS.values() if staff or not c.staff_only]


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    base = _base(request)
    return _json(
        {
            "title": "Mängelmelder – OGC API Features",
            "description": "Meldungen, Straßen, Objekte, Gebiete und Streckenkontrollen.",
            "links": [
                {"href": f"{base}/", "rel": "self", "type": JSON, "title": "Startseite"},
                {"href": f"{base}/conformance", "rel": "conformance", "type": JSON},
                {"href": f"{base}/collections", "rel": "data", "type": JSON},
            ],
        }
    )


@require_GET
def conformance(request: HttpRequest) -> HttpResponse:
    return _json({"conformsTo": CONFORMANCE})


def _describe(base: str, collection: Collection) -> dict[str, Any]:
    url = f"{base}/collections/{collection.id}"
    return {
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {"spatial": {"bbox": [[5.8, 47.2, 15.1, 55.1]], "crs": CRS84}},
        "links": [
            {"href": url, "rel": "self", "type": JSON},
            {"href": f"{url}/items", "rel": "items", "type": GEOJSON},
        ],
    }


@require_GET
def collections(request: HttpRequest) -> HttpResponse:
    base = _base(request)
    return _json(
        {
            "links": [{"href": f"{base}/collections", "rel": "self", "type": JSON}],
            "collections": [_describe(base, c) for c in _visible(request)],
        }
    )


def _collection(request: HttpRequest, collection_id: str) -> Collection | None:
    return next((c for c in _visible(request) if c.id == collection_id), None)


@require_GET
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    found = _collection(request, collection_id)
    if found is None:
        return _error(404, "NotFound", "Diese Sammlung gibt es nicht.")
    return _json(_describe(_base(request), found))


def _bbox(raw: str) -> Polygon:
    try:
        values = [float(v) for v in raw.split(",")]
    except ValueError as exc:
        raise BadRequest("bbox: vier Zahlen, durch Kommas getrennt.") from exc
    if len(values) == 6:  # with heights: ignore them
        values = [values[0], values[1], values[3], values[4]]
    if len(values) != 4 or values[0] > values[2] or values[1] > values[3]:
        raise BadRequest("bbox: minLon,minLat,maxLon,maxLat.")
    box = Polygon.from_bbox((values[0], values[1], values[2], values[3]))
    box.srid = 4326
    return box


def _instant(raw: str, end: bool) -> datetime | None:
    if raw in ("", ".."):
        return None
    moment = parse_datetime(raw)
    if moment is None:
        day = parse_date(raw)
        if day is None:
            raise BadRequest("datetime: RFC 3339, z. B. 2026-05-01T00:00:00Z oder a/b.")
        moment = datetime.combine(day, datetime.max.time() if end else datetime.min.time())
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _filter_datetime(rows: QuerySet[Any], column: str | None, raw: str) -> QuerySet[Any]:
    if "/" in raw:
        start_raw, end_raw = raw.split("/", 1)
        start, end = _instant(start_raw, False), _instant(end_raw, True)
    else:
        start, end = _instant(raw, False), _instant(raw, True)
    if column is None:
        return rows
    if start is not None:
        rows = rows.filter(**{f"{column}__gte": start})
    if end is not None:
        rows = rows.filter(**{f"{column}__lte": end})
    return rows


def _int(raw: str | None, default: int, low: int, high: int, name: str) -> int:
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise BadRequest(f"{name}: eine ganze Zahl.") from exc
    if not low <= value <= high:
        raise BadRequest(f"{name}: zwischen {low} und {high}.")
    return value


def _feature(row: dict[str, Any], collection: Collection) -> dict[str, Any]:
    properties = {}
    for name in collection.properties:
        value = row[name]
        properties[name] = value.isoformat() if isinstance(value, datetime) else value
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": json.loads(row["geojson"]) if row["geojson"] else None,
        "properties": properties,
    }


def _rows(request: HttpRequest, collection: Collection) -> QuerySet[Any]:
    rows = collection.rows(_user(request)).prefetch_related(None)
    return rows.values("id", "geojson", *collection.properties)


def _page(request: HttpRequest, collection: Collection) -> dict[str, Any]:
    params = request.GET
    unknown = set(params) - ITEM_PARAMS
    if unknown:
        raise BadRequest(f"Unbekannter Parameter: {', '.join(sorted(unknown))}")
    limit = _int(params.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT, "limit")
    offset = _int(params.get("offset"), 0, 0, 10**9, "offset")
    rows = _rows(request, collection)
    if params.get("bbox"):
        rows = rows.filter(**{f"{collection.geom}__intersects": _bbox(params["bbox"])})
    if params.get("datetime"):
        rows = _filter_datetime(rows, collection.datetime, params["datetime"])
    found = list(rows.order_by("id")[offset : offset + limit + 1])
    features = [_feature(row, collection) for row in found[:limit]]
    url = f"{_base(request)}/collections/{collection.id}/items"
    kept = {k: v for k, v in params.items() if k not in ("offset", "f")}
    links = [
        {"href": f"{url}?{urlencode({**kept, 'offset': offset})}", "rel": "self", "type": GEOJSON}
    ]
    if len(found) > limit:
        query = urlencode({**kept, "limit": limit, "offset": offset + limit})
        links.append({"href": f"{url}?{query}", "rel": "next", "type": GEOJSON})
    return {
        "type": "FeatureCollection",
        "features": features,
        "numberReturned": len(features),
        "timeStamp": timezone.now().isoformat(timespec="seconds"),
        "links": links,
    }


@require_GET
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    found = _collection(request, collection_id)
    if found is None:
        return _error(404, "NotFound", "Diese Sammlung gibt es nicht.")
    try:
        return _json(_page(request, found), content_type=GEOJSON)
    except BadRequest as exc:
        return _error(400, "InvalidParameterValue", str(exc))


@require_GET
def item(request: HttpRequest, collection_id: str, feature_id: int) -> HttpResponse:
    found = _collection(request, collection_id)
    row = _rows(request, found).filter(id=feature_id).first() if found else None
    if found is None or row is None:
        return _error(404, "NotFound", "Dieses Objekt gibt es nicht.")
    feature = _feature(row, found)
    url = f"{_base(request)}/collections/{found.id}"
    feature["links"] = [
        {"href": f"{url}/items/{feature_id}", "rel": "self", "type": GEOJSON},
        {"href": url, "rel": "collection", "type": JSON},
    ]
    return _json(feature, content_type=GEOJSON)
