"""Vector layers for the maps and an offline place search (/api/v1/boundaries, roads, assets,
places).

The citizen map must stay useful without a tile server, so boundaries, roads and assets are
drawn from our own data. Every list is bounded: a bbox is required, roads and assets refuse a
bbox larger than MAX_BBOX_DEGREES on a side, and each answer stops at a feature cap (marked
with `"truncated": true`). Each endpoint is one SQL statement (the place search: up to three).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON, Envelope, GeoFunc, PointOnSurface
from django.contrib.gis.geos import Polygon
from django.db import connection
from django.db.models import FloatField, QuerySet, Value
from django.db.models.functions import Lower, Replace
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from boundaries.models import TERRITORIAL_LEVELS, Boundary, Level

from .models import Asset, AssetType, RoadClass, RoadSegment
from .params import parse_bbox
from .srid import WGS84

# Roads and assets: a bbox larger than this (degrees, each side) is refused with a 400.
MAX_BBOX_DEGREES = 0.5
MAX_BOUNDARIES = 500
MAX_ROADS = 5000
MAX_ASSETS = 5000
PLACES_LIMIT = 10
PLACES_QUERY_MAX = 100
# Street names considered per search before their towns are looked up.
STREET_NAME_CANDIDATES = 50
# Boundaries are simplified to about one screen pixel of a ~1000 px wide map of the bbox.
SIMPLIFY_FRACTION = 1 / 1000
# Cheap to cache in browsers and proxies: the layers change only with an import.
CACHE_SECONDS = 300

_LEVEL_RANK = {level.value: rank for rank, level in enumerate(TERRITORIAL_LEVELS)}


class SimplifyPreserveTopology(GeoFunc):
    """ST_SimplifyPreserveTopology(geom, tolerance): never collapses or self-intersects."""

    function = "ST_SimplifyPreserveTopology"
    geom_param_pos = (0,)
    output_field = GeometryField(srid=WGS84)


class Multi(GeoFunc):
    """ST_Multi: simplification may return a Polygon; clients get one geometry type."""

    function = "ST_Multi"
    output_field = GeometryField(srid=WGS84)


def _required_bbox(request: Request) -> Polygon:
    raw = request.query_params.get("bbox", "").strip()
    if not raw:
        raise ValidationError({"bbox": [_("bbox ist erforderlich: minLon,minLat,maxLon,maxLat")]})
    return parse_bbox(raw)


def _bounded_bbox(request: Request) -> Polygon:
    bbox = _required_bbox(request)
    min_x, min_y, max_x, max_y = bbox.extent
    if max_x - min_x > MAX_BBOX_DEGREES or max_y - min_y > MAX_BBOX_DEGREES:
        raise ValidationError(
            {
                "bbox": [
                    _("bbox ist zu groß: höchstens %(max)s Grad je Seite. Bitte näher heranzoomen.")
                    % {"max": MAX_BBOX_DEGREES}
                ]
            }
        )
    return bbox


def _choices_param(request: Request, name: str, allowed: list[str]) -> list[str]:
    values = [v.strip() for v in request.query_params.get(name, "").split(",") if v.strip()]
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValidationError(
            {
                name: [
                    _("Unbekannter Wert: %(value)s (erlaubt: %(allowed)s)")
                    % {"value": unknown[0], "allowed": ", ".join(allowed)}
                ]
            }
        )
    return values


def _feature(geometry: str | dict[str, Any], properties: dict[str, Any], **extra: Any) -> dict:
    geom = json.loads(geometry) if isinstance(geometry, str) else geometry
    return {"type": "Feature", "geometry": geom, "properties": properties, **extra}


def _collection(features: list[dict[str, Any]], cap: int | None = None) -> Response:
    body: dict[str, Any] = {"type": "FeatureCollection", "features": features[:cap]}
    if cap is not None:
        body["truncated"] = len(features) > cap
    response = Response(body)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


class BoundariesView(APIView):
    """Active boundaries intersecting a bbox, simplified for the bbox's size."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(
        parameters=[
            OpenApiParameter("bbox", str, required=True, description="minLon,minLat,maxLon,maxLat"),
            OpenApiParameter("level", str, description="Ebenen, kommagetrennt, z. B. gemeinde"),
        ],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        bbox = _required_bbox(request)
        levels = _choices_param(request, "level", [level.value for level in TERRITORIAL_LEVELS])
        min_x, min_y, max_x, max_y = bbox.extent
        tolerance = max(max_x - min_x, max_y - min_y) * SIMPLIFY_FRACTION
        boundaries: QuerySet[Boundary] = Boundary.objects.filter(
            boundary_set__is_active=True, authority__is_active=True, geom__intersects=bbox
        )
        if levels:
            boundaries = boundaries.filter(boundary_set__level__in=levels)
        rows = (
            boundaries.annotate(
                geojson=AsGeoJSON(
                    Multi(
                        SimplifyPreserveTopology(
                            "geom", Value(tolerance, output_field=FloatField())
                        )
                    ),
                    precision=6,
                )
            )
            .values_list(
                "authority_id",
                "authority__name",
                "boundary_set__level",
                "authority__ags",
                "geojson",
            )
            .order_by("authority__name", "authority_id")[: MAX_BOUNDARIES + 1]
        )
        features = [
            _feature(
                geojson,
                {"id": authority_id, "name": name, "level": level, "ags": ags or None},
            )
            for authority_id, name, level, ags, geojson in rows
        ]
        # Broad levels first, so a client drawing in order puts Gemeinden on top.
        features.sort(key=lambda f: _LEVEL_RANK.get(f["properties"]["level"], 99))
        return _collection(features, MAX_BOUNDARIES)


class RoadsView(APIView):
    """Road segments in a bbox (at most MAX_BBOX_DEGREES on a side)."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(
        parameters=[
            OpenApiParameter("bbox", str, required=True, description="minLon,minLat,maxLon,maxLat")
        ],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        bbox = _bounded_bbox(request)
        rows = (
            RoadSegment.objects.filter(geom__bboverlaps=bbox)
            .annotate(geojson=AsGeoJSON("geom", precision=6))
            .values_list("id", "road_class", "ref", "name", "owner__name", "geojson")
            .order_by("id")[: MAX_ROADS + 1]
        )
        labels = dict(RoadClass.choices)
        features = [
            _feature(
                geojson,
                {
                    "id": pk,
                    "class": road_class,
                    "class_label": str(labels.get(road_class, "")),
                    "ref": ref or None,
                    "name": name or None,
                    "owner": owner or None,
                },
            )
            for pk, road_class, ref, name, owner, geojson in rows
        ]
        return _collection(features, MAX_ROADS)


class AssetsView(APIView):
    """Point assets (streetlights, bins …) in a bbox, optionally of some types."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(
        parameters=[
            OpenApiParameter("bbox", str, required=True, description="minLon,minLat,maxLon,maxLat"),
            OpenApiParameter("type", str, description="Objektarten, kommagetrennt"),
        ],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        bbox = _bounded_bbox(request)
        types = _choices_param(request, "type", list(AssetType.values))
        assets = Asset.objects.filter(geom__bboverlaps=bbox)
        if types:
            assets = assets.filter(asset_type__in=types)
        rows = assets.values_list("id", "asset_type", "external_id", "name", "geom").order_by("id")[
            : MAX_ASSETS + 1
        ]
        labels = dict(AssetType.choices)
        features = [
            _feature(
                {"type": "Point", "coordinates": [round(geom.x, 6), round(geom.y, 6)]},
                {
                    "id": pk,
                    "type": asset_type,
                    "type_label": str(labels.get(asset_type, "")),
                    "external_id": external_id,
                    "name": name or None,
                },
            )
            for pk, asset_type, external_id, name, geom in rows
        ]
        return _collection(features, MAX_ASSETS)


# --- Place search ------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """One hit of the place search: where to put the pin, and how to show it."""

    kind: str  # "street", "road" or "authority"
    label: str
    lon: float
    lat: float
    rank: int  # 0 exact, 1 prefix, 2 substring
    detail: str = ""
    bbox: tuple[float, float, float, float] | None = None
    properties: dict[str, Any] = field(default_factory=dict)

    def as_feature(self) -> dict[str, Any]:
        feature = _feature(
            {"type": "Point", "coordinates": [round(self.lon, 6), round(self.lat, 6)]},
            {"kind": self.kind, "label": self.label, "detail": self.detail, **self.properties},
        )
        if self.bbox is not None:
            feature["bbox"] = [round(v, 6) for v in self.bbox]
        return feature


_KIND_ORDER = {"authority": 0, "street": 1, "road": 2}
# "12", "12a", "12-14", "12 a": house numbers are dropped from the street part of a query.
_HOUSE_NUMBER = re.compile(r"^\d+[a-z]?(-\d+[a-z]?)?$|^[a-z]$", re.IGNORECASE)
_MAX_WORDS = 6


def _normalise(text: str) -> str:
    """What both sides of a comparison go through (the SQL mirrors it): case and ß/ss."""
    return " ".join(text.lower().replace("ß", "ss").split())


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _street_part(words: list[str]) -> str:
    kept = [w.rstrip(".") for w in words if not _HOUSE_NUMBER.match(w)]
    return _normalise(" ".join(kept))


def _interpretations(query: str) -> list[tuple[str, str]]:
    """(street, town) readings of a query: "Lindenweg 5, Heidestadt", "Lindenweg Heidestadt",
    "Heidestadt Lindenweg" or just "Linden"."""
    pairs: list[tuple[str, str]] = []
    if "," in query:
        first, _sep, second = query.partition(",")
        for street, town in ((first, second), (second, first)):
            pairs.append((_street_part(street.split()), _normalise(town)))
    else:
        words = query.split()[:_MAX_WORDS]
        pairs.append((_street_part(words), ""))
        for i in range(1, len(words)):
            pairs.append((_street_part(words[:i]), _normalise(" ".join(words[i:]))))
            pairs.append((_street_part(words[i:]), _normalise(" ".join(words[:i]))))
    seen: set[tuple[str, str]] = set()
    result = []
    for street, town in pairs:
        if len(street) >= 2 and (street, town) not in seen:
            seen.add((street, town))
            result.append((street, town))
    return result


_NORM_SQL = "replace(lower({}), 'ß', 'ss')"

# Streets: one hit per street name and Gemeinde. A segment belongs to the Gemeinde covering
# its midpoint; the hit's point is the midpoint of the street's longest segment.
_STREETS_SQL = f"""
    WITH terms AS (
        SELECT * FROM unnest(%s::text[], %s::text[], %s::text[])
            AS t(street, street_like, town_like)
    ),
    -- The best-matching street names first (over distinct names: cheap), so the Gemeinde
    -- lookup below runs only for the segments of a few candidate streets.
    names AS (
        SELECT n.name
        FROM (SELECT DISTINCT name FROM geo_roadsegment WHERE name <> '') n
        JOIN terms t ON {_NORM_SQL.format("n.name")} LIKE '%%' || t.street_like || '%%'
        GROUP BY n.name
        ORDER BY MIN(CASE
                     WHEN {_NORM_SQL.format("n.name")} = t.street THEN 0
                     WHEN {_NORM_SQL.format("n.name")} LIKE t.street_like || '%%' THEN 1
                     ELSE 2 END), n.name
        LIMIT %s
    ),
    segments AS (
        SELECT r.name, r.geom, gem.authority_id
        FROM geo_roadsegment r
        JOIN names ON names.name = r.name
        LEFT JOIN LATERAL (
            SELECT p.authority_id FROM boundaries_boundarypiece p
            WHERE p.is_active AND p.level = 'gemeinde'
              AND ST_Covers(p.geom, ST_LineInterpolatePoint(r.geom, 0.5))
            ORDER BY p.authority_id
            LIMIT 1
        ) gem ON true
    ),
    streets AS (
        SELECT name, authority_id,
               (array_agg(geom ORDER BY ST_Length(geom::geography) DESC))[1] AS longest
        FROM segments
        GROUP BY name, authority_id
    )
    SELECT st.name, a.name, ST_X(pt.p), ST_Y(pt.p), m.rank
    FROM streets st
    LEFT JOIN boundaries_authority a ON a.id = st.authority_id
    CROSS JOIN LATERAL (SELECT ST_LineInterpolatePoint(st.longest, 0.5) AS p) pt
    CROSS JOIN LATERAL (
        SELECT MIN(CASE
                   WHEN {_NORM_SQL.format("st.name")} = t.street THEN 0
                   WHEN {_NORM_SQL.format("st.name")} LIKE t.street_like || '%%' THEN 1
                   ELSE 2 END) AS rank
        FROM terms t
        WHERE {_NORM_SQL.format("st.name")} LIKE '%%' || t.street_like || '%%'
          AND (t.town_like = ''
               OR {_NORM_SQL.format("coalesce(a.name, '')")} LIKE '%%' || t.town_like || '%%')
    ) m
    WHERE m.rank IS NOT NULL
    ORDER BY m.rank, st.name, a.name
    LIMIT %s
"""  # noqa: S608 - only constant SQL fragments are formatted in; user input is a parameter

# Road numbers ("K 12", "k12", "B4"): one hit per ref, at its longest segment's midpoint.
_REFS_SQL = """
    SELECT r.ref, min(r.road_class),
           (array_agg(o.name) FILTER (WHERE o.name IS NOT NULL))[1],
           ST_X(ST_LineInterpolatePoint((array_agg(r.geom
                ORDER BY ST_Length(r.geom::geography) DESC))[1], 0.5)),
           ST_Y(ST_LineInterpolatePoint((array_agg(r.geom
                ORDER BY ST_Length(r.geom::geography) DESC))[1], 0.5))
    FROM geo_roadsegment r
    LEFT JOIN boundaries_authority o ON o.id = r.owner_id
    WHERE r.ref <> '' AND replace(upper(r.ref), ' ', '') LIKE %s || '%%'
    GROUP BY r.ref
    ORDER BY replace(upper(r.ref), ' ', '') = %s DESC, length(r.ref), r.ref
    LIMIT %s
"""


def _search_streets(query: str, limit: int) -> list[Place]:
    terms = _interpretations(query)
    if not terms:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _STREETS_SQL,
            [
                [street for street, _town in terms],
                [_like_escape(street) for street, _town in terms],
                [_like_escape(town) for _street, town in terms],
                STREET_NAME_CANDIDATES,
                limit,
            ],
        )
        rows = cursor.fetchall()
    return [
        Place(
            kind="street",
            label=f"{name}, {town}" if town else name,
            lon=lon,
            lat=lat,
            rank=rank,
            detail=_("Straße"),
            properties={"name": name, "town": town},
        )
        for name, town, lon, lat, rank in rows
    ]


def _search_refs(query: str, limit: int) -> list[Place]:
    compact = re.sub(r"\s+", "", query).upper()
    # Road numbers are a class letter and digits; anything else cannot be one.
    if not re.fullmatch(r"[A-Z]{1,3}\d{1,5}[A-Z]?", compact):
        return []
    with connection.cursor() as cursor:
        cursor.execute(_REFS_SQL, [_like_escape(compact), compact, limit])
        rows = cursor.fetchall()
    labels = dict(RoadClass.choices)
    places = []
    for ref, road_class, owner, lon, lat in rows:
        detail = str(labels.get(road_class, ""))
        if owner:
            detail = _("%(class)s, Baulastträger: %(owner)s") % {"class": detail, "owner": owner}
        places.append(
            Place(
                kind="road",
                label=ref,
                lon=lon,
                lat=lat,
                rank=0 if ref.replace(" ", "").upper() == compact else 1,
                detail=detail,
                properties={"ref": ref, "class": road_class, "owner": owner},
            )
        )
    return places


def _search_authorities(query: str, limit: int) -> list[Place]:
    wanted = _normalise(query)
    rows = (
        Boundary.objects.filter(boundary_set__is_active=True, authority__is_active=True)
        .annotate(
            norm=Replace(Lower("authority__name"), Value("ß"), Value("ss")),
            point=PointOnSurface("geom"),
            envelope=Envelope("geom"),
        )
        .filter(norm__contains=wanted)
        .values_list(
            "authority__name", "boundary_set__level", "authority__ags", "point", "envelope"
        )
        .order_by("authority__name")[: limit * 3]
    )
    labels = dict(Level.choices)
    places = []
    for name, level, ags, point, envelope in rows:
        norm = _normalise(name)
        rank = 0 if norm == wanted else 1 if norm.startswith(wanted) else 2
        # Names such as "Stadt Heidestadt": a word starting with the query is as good as a prefix.
        if rank == 2 and any(word.startswith(wanted) for word in norm.split()):
            rank = 1
        places.append(
            Place(
                kind="authority",
                label=name,
                lon=point.x,
                lat=point.y,
                rank=rank,
                detail=str(labels.get(level, "")),
                bbox=envelope.extent,
                properties={"level": level, "ags": ags or None},
            )
        )
    return places


def search_places(query: str, limit: int = PLACES_LIMIT) -> list[Place]:
    """Offline address search over our own data: street names (per Gemeinde), road numbers
    and authorities. Exact matches first, then prefixes, then substrings."""
    query = " ".join(query.split())[:PLACES_QUERY_MAX]
    if len(query) < 2:
        return []
    places = [
        *_search_authorities(query, limit),
        *_search_streets(query, limit),
        *_search_refs(query, limit),
    ]
    places.sort(key=lambda p: (p.rank, _KIND_ORDER[p.kind], p.label.lower()))
    return places[:limit]


class PlacesView(APIView):
    """Find streets, road numbers and towns by name (our own data, no external geocoder)."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", str, required=True, description="z. B. „Lindenweg, Heidestadt“ oder „K 12“"
            )
        ],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        query = " ".join(request.query_params.get("q", "").split())
        if len(query) < 2:
            raise ValidationError({"q": [_("Bitte mindestens zwei Zeichen eingeben.")]})
        if len(query) > PLACES_QUERY_MAX:
            raise ValidationError(
                {"q": [_("Höchstens %(max)d Zeichen.") % {"max": PLACES_QUERY_MAX}]}
            )
        return _collection([place.as_feature() for place in search_places(query)])
