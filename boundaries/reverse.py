"""Reverse lookup over our own data: which house, street and town a point is at.

GET /api/v1/reverse, the report page's pin label, `/api/v1/locate` and the report's stored
address when the citizen typed none. One SQL statement: the nearest address point within
ADDRESS_RADIUS_M, the nearest named road within STREET_RADIUS_M (both on the `geography`
indexes of geo), and the Gemeinde whose active boundary covers the point.
No external geocoder is contacted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.gis.geos import Point
from django.db import connection
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geo.srid import InvalidCoordinates, wgs84_point

# A house is named only when the pin is practically at it; a street a little further away
# (a pin on the verge, on a parking lot beside it).
ADDRESS_RADIUS_M = 40.0
STREET_RADIUS_M = 80.0

_NEAR = """
    SELECT addr.street, addr.house_number, addr.postcode, addr.town, addr.distance_m,
           road.name, road.distance_m{gemeinde}
    FROM (SELECT ST_SetSRID(ST_MakePoint(%s, %s), 4326) AS g) AS pt
    LEFT JOIN LATERAL (
        SELECT a.street, a.house_number, a.postcode, a.town,
               ST_Distance(a.geom::geography, pt.g::geography) AS distance_m
        FROM geo_addresspoint a
        WHERE ST_DWithin(a.geom::geography, pt.g::geography, %s)
        ORDER BY distance_m, a.id
        LIMIT 1
    ) addr ON true
    LEFT JOIN LATERAL (
        SELECT r.name, ST_Distance(r.geom::geography, pt.g::geography) AS distance_m
        FROM geo_roadsegment r
        WHERE r.name <> '' AND ST_DWithin(r.geom::geography, pt.g::geography, %s)
        ORDER BY distance_m, r.id
        LIMIT 1
    ) road ON true
"""
_GEMEINDE = """
    LEFT JOIN LATERAL (
        SELECT au.name
        FROM boundaries_boundarypiece p
        JOIN boundaries_authority au ON au.id = p.authority_id
        WHERE p.is_active AND p.level = 'gemeinde' AND ST_Covers(p.geom, pt.g)
        ORDER BY au.id
        LIMIT 1
    ) gem ON true
"""
_REVERSE_SQL = _NEAR.format(gemeinde=", gem.name") + _GEMEINDE
# For a caller that knows the Gemeinde already (routing asked for the covering authorities).
_NEAR_SQL = _NEAR.format(gemeinde="")


@dataclass(frozen=True)
class PlaceName:
    """Where a point is, in words: "Lindenweg 5, 29640 Heidestadt", "Lindenweg, Stadt
    Heidestadt" or "Stadt Heidestadt". `kind` says how exact it is: address, street, town."""

    kind: str
    label: str
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    town: str = ""
    distance_m: float | None = None

    def as_json(self) -> dict[str, Any]:
        body = asdict(self)
        if self.distance_m is not None:
            body["distance_m"] = round(self.distance_m, 1)
        return body


def _join(*parts: str, sep: str = ", ") -> str:
    return sep.join(part for part in parts if part)


def place_name_at(point: Point) -> PlaceName | None:
    """The nearest house (within ADDRESS_RADIUS_M), else the nearest named street (within
    STREET_RADIUS_M), each with its town; else only the Gemeinde; None outside every
    Gemeinde with nothing near."""
    with connection.cursor() as cursor:
        cursor.execute(_REVERSE_SQL, [point.x, point.y, ADDRESS_RADIUS_M, STREET_RADIUS_M])
        row = cursor.fetchone()
    return _place(row)


def near_statement(point: Point) -> tuple[str, list[Any]]:
    """place_name_at()'s query without the Gemeinde, for a caller that knows it and sends this
    with other statements (core.dbread.fetch_sets); its rows go to `place_near`."""
    return _NEAR_SQL, [point.x, point.y, ADDRESS_RADIUS_M, STREET_RADIUS_M]


def place_near(rows: list[Any], gemeinde: str) -> PlaceName | None:
    """The place of near_statement()'s rows in the Gemeinde named `gemeinde` ("" for none)."""
    return _place([*rows[0], gemeinde])


def _place(row: Sequence[Any]) -> PlaceName | None:
    street, number, postcode, town, addr_m, road, road_m, gemeinde = row
    gemeinde = gemeinde or ""
    if street:
        place = _join(postcode, town or gemeinde, sep=" ")
        return PlaceName(
            kind="address",
            label=_join(f"{street} {number}", place),
            street=street,
            house_number=number,
            postcode=postcode,
            town=town or gemeinde,
            distance_m=addr_m,
        )
    if road:
        return PlaceName(
            kind="street",
            label=_join(road, gemeinde),
            street=road,
            town=gemeinde,
            distance_m=road_m,
        )
    if gemeinde:
        return PlaceName(kind="town", label=gemeinde, town=gemeinde)
    return None


def place_label_at(point: Point) -> str:
    """The words for a report's address when the citizen gave none ("" when we know none)."""
    return place_label(place_name_at(point))


def place_label(place: PlaceName | None) -> str:
    """place_label_at for a place already looked up."""
    if place is None:
        return ""
    if place.kind == "town":
        return _("bei %(town)s") % {"town": place.label}
    return place.label


class ReverseQuerySerializer(serializers.Serializer[dict[str, Any]]):
    lat = serializers.CharField(help_text="Breitengrad (WGS84)", max_length=40)
    lon = serializers.CharField(help_text="Längengrad (WGS84)", max_length=40)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["point"] = wgs84_point(attrs["lon"], attrs["lat"])
        except InvalidCoordinates as exc:
            raise serializers.ValidationError({"coordinates": [str(exc)]}) from exc
        return attrs


class PlaceNameSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=["address", "street", "town"])
    street = serializers.CharField()
    house_number = serializers.CharField()
    postcode = serializers.CharField()
    town = serializers.CharField()
    distance_m = serializers.FloatField(allow_null=True)


# "label" is an attribute of every serializer field: declared under its JSON name.
PlaceNameSerializer._declared_fields["label"] = serializers.CharField()


class ReverseDetailSerializer(serializers.Serializer[dict[str, Any]]):
    detail = serializers.CharField()


class ReverseView(APIView):
    """Name the place at a point: nearest house, else street, and the town (our data only)."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(
        parameters=[ReverseQuerySerializer],
        responses={
            200: PlaceNameSerializer,
            404: OpenApiResponse(ReverseDetailSerializer, description="Kein Ort bekannt"),
        },
    )
    def get(self, request: Request) -> Response:
        query = ReverseQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        place = place_name_at(query.validated_data["point"])
        if place is None:
            return Response(
                {"detail": _("Für diesen Ort kennen wir keine Straße und keine Gemeinde.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(place.as_json())
