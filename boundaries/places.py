"""Offline place search over our own data (/api/v1/places, and the report and catalogue
forms without JavaScript): street names per Gemeinde, road numbers and authorities.

Up to three SQL statements per search; no external geocoder is contacted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.gis.db.models.functions import Envelope, PointOnSurface
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Lower, Replace
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import params
from geo.api import feature_collection, geojson_feature
from geo.models import RoadClass

from .models import Boundary, Level

PLACES_LIMIT = 10
PLACES_QUERY_MAX = 100
# Street names considered per search before their towns are looked up.
STREET_NAME_CANDIDATES = 50


@dataclass(frozen=True)
class Place:
    """One hit of the place search: where to put the pin, and how to show it."""

    kind: str  # "address", "street", "road" or "authority"
    label: str
    lon: float
    lat: float
    rank: int  # 0 exact, 1 prefix, 2 substring
    detail: str = ""
    bbox: tuple[float, float, float, float] | None = None
    properties: dict[str, Any] = field(default_factory=dict)

    def asgeojson_feature(self) -> dict[str, Any]:
        feature = geojson_feature(
            {"type": "Point", "coordinates": [round(self.lon, 6), round(self.lat, 6)]},
            {"kind": self.kind, "label": self.label, "detail": self.detail, **self.properties},
        )
        if self.bbox is not None:
            feature["bbox"] = [round(v, 6) for v in self.bbox]
        return feature


_KIND_ORDER = {"address": 0, "authority": 1, "street": 2, "road": 3}
# "12", "12a", "12-14", "12 a": house numbers are dropped from the street part of a query.
_HOUSE_NUMBER = re.compile(r"^\d+[a-z]?(-\d+[a-z]?)?$|^[a-z]$", re.IGNORECASE)
_MAX_WORDS = 6
# A house number as its own word: "5", "5a", "12-14" (a lone letter after it is its suffix).
_NUMBER_WORD = re.compile(r"^\d{1,5}[a-z]?(-\d{1,5}[a-z]?)?$", re.IGNORECASE)


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

# Addresses (geo.AddressPoint): a street name (exact or prefix) with this house number, in a
# town whose postcode and name contain the town part of the query.
_ADDRESSES_SQL = f"""
    WITH terms AS (
        SELECT * FROM unnest(%s::text[], %s::text[], %s::text[])
            AS t(street, street_like, town_like)
    )
    SELECT a.street, a.house_number, a.postcode, a.town, ST_X(a.geom), ST_Y(a.geom),
           MIN(CASE WHEN {_NORM_SQL.format("a.street")} = t.street THEN 0 ELSE 1 END) AS rank
    FROM geo_addresspoint a
    JOIN terms t ON {_NORM_SQL.format("a.street")} LIKE t.street_like || '%%'
    WHERE replace(lower(a.house_number), ' ', '') = %s
      AND (t.town_like = ''
           OR {_NORM_SQL.format("a.postcode || ' ' || a.town")} LIKE '%%' || t.town_like || '%%')
    GROUP BY a.id
    ORDER BY rank, a.street, a.town, a.id
    LIMIT %s
"""  # noqa: S608 - only constant SQL fragments are formatted in; user input is a parameter

# Road numbers ("K 12", "k12", "B4"): one hit per ref, at its longest segment's midpoint, with
# the whole road's extent (the report page zooms to it and asks for the exact spot).
_REFS_SQL = """
    SELECT r.ref, min(r.road_class),
           (array_agg(o.name) FILTER (WHERE o.name IS NOT NULL))[1],
           ST_X(ST_LineInterpolatePoint((array_agg(r.geom
                ORDER BY ST_Length(r.geom::geography) DESC))[1], 0.5)),
           ST_Y(ST_LineInterpolatePoint((array_agg(r.geom
                ORDER BY ST_Length(r.geom::geography) DESC))[1], 0.5)),
           ST_XMin(ST_Extent(r.geom)), ST_YMin(ST_Extent(r.geom)),
           ST_XMax(ST_Extent(r.geom)), ST_YMax(ST_Extent(r.geom))
    FROM geo_roadsegment r
    LEFT JOIN boundaries_authority o ON o.id = r.owner_id
    WHERE r.ref <> '' AND replace(upper(r.ref), ' ', '') LIKE %s || '%%'
    GROUP BY r.ref
    ORDER BY replace(upper(r.ref), ' ', '') = %s DESC, length(r.ref), r.ref
    LIMIT %s
"""


def house_number_in(query: str) -> str:
    """The house number of a query ("Lindenweg 5 a, Heidestadt" → "5a"), "" when none."""
    words = query.replace(",", " , ").split()
    for index, word in enumerate(words):
        if _NUMBER_WORD.match(word):
            suffix = words[index + 1] if index + 1 < len(words) else ""
            if re.fullmatch(r"[a-z]", suffix, re.IGNORECASE):
                word += suffix
            return word.lower()
    return ""


def _term_params(terms: list[tuple[str, str]]) -> list[list[str]]:
    return [
        [street for street, _town in terms],
        [_like_escape(street) for street, _town in terms],
        [_like_escape(town) for _street, town in terms],
    ]


def _search_addresses(query: str, number: str, limit: int) -> list[Place]:
    terms = _interpretations(query)
    if not terms or not number:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_ADDRESSES_SQL, [*_term_params(terms), number, limit])
        rows = cursor.fetchall()
    places = []
    for street, house_number, postcode, town, lon, lat, rank in rows:
        where = " ".join(part for part in (postcode, town) if part)
        places.append(
            Place(
                kind="address",
                label=f"{street} {house_number}, {where}" if where else f"{street} {house_number}",
                lon=lon,
                lat=lat,
                rank=rank,
                detail=_("Adresse"),
                properties={
                    "street": street,
                    "house_number": house_number,
                    "postcode": postcode,
                    "town": town,
                },
            )
        )
    return places


def _search_streets(query: str, limit: int, number: str = "") -> list[Place]:
    terms = _interpretations(query)
    if not terms:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_STREETS_SQL, [*_term_params(terms), STREET_NAME_CANDIDATES, limit])
        rows = cursor.fetchall()
    # A house number we do not know: the street is the best we can do, and we say so.
    note = (
        _("Hausnummer %(number)s nicht gefunden, Straße gewählt") % {"number": number}
        if number
        else ""
    )
    return [
        Place(
            kind="street",
            label=f"{name}, {town}" if town else name,
            lon=lon,
            lat=lat,
            rank=rank,
            detail=note or _("Straße"),
            properties={"name": name, "town": town, **({"note": note} if note else {})},
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
    for ref, road_class, owner, lon, lat, *extent in rows:
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
                bbox=(extent[0], extent[1], extent[2], extent[3]),
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
    """Offline address search over our own data: addresses (street and house number, where
    address points are imported), street names (per Gemeinde), road numbers and authorities.
    Exact matches first, then prefixes, then substrings. A known address stands alone; an
    unknown house number falls back to the street, with a note."""
    query = " ".join(query.split())[:PLACES_QUERY_MAX]
    if len(query) < 2:
        return []
    number = house_number_in(query)
    addresses = _search_addresses(query, number, limit)
    if addresses:
        return addresses
    places = [
        *_search_authorities(query, limit),
        *_search_streets(query, limit, number),
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
        raw = params.text(request.query_params.get("q"), "q", max_length=10 * PLACES_QUERY_MAX)
        query = " ".join(raw.split())
        if len(query) < 2:
            raise ValidationError({"q": [_("Bitte mindestens zwei Zeichen eingeben.")]})
        if len(query) > PLACES_QUERY_MAX:
            raise ValidationError(
                {"q": [_("Höchstens %(max)d Zeichen.") % {"max": PLACES_QUERY_MAX}]}
            )
        return feature_collection([place.asgeojson_feature() for place in search_places(query)])
