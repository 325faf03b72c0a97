"""Vector layers for the maps (/api/v1/roads, assets) and their shared request helpers.

The citizen map must stay useful without a tile server, so boundaries (boundaries.api), roads
and assets are drawn from our own data. Every list is bounded: a bbox is required, roads and
assets refuse a bbox larger than MAX_BBOX_DEGREES on a side, and each answer stops at a
feature cap (marked with `"truncated": true`). Each endpoint is one SQL statement.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.contrib.gis.geos import Polygon
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import params

from .models import Asset, AssetType, RoadClass, RoadSegment
from .params import parse_bbox

# Roads and assets: a bbox larger than this (degrees, each side) is refused with a 400.
MAX_BBOX_DEGREES = 0.5
MAX_ROADS = 5000
MAX_ASSETS = 5000
# Cheap to cache in browsers and proxies: the layers change only with an import.
CACHE_SECONDS = 300


def required_bbox(request: Request) -> Polygon:
    """The mandatory `bbox` parameter (400 when missing or malformed)."""
    raw = params.text(request.query_params.get("bbox"), "bbox")
    if not raw:
        raise ValidationError({"bbox": [_("bbox ist erforderlich: minLon,minLat,maxLon,maxLat")]})
    return parse_bbox(raw)


def bounded_bbox(request: Request) -> Polygon:
    """`bbox`, at most MAX_BBOX_DEGREES on a side: roads and assets are dense."""
    bbox = required_bbox(request)
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


def choices_param(request: Request, name: str, allowed: list[str]) -> list[str]:
    """A comma-separated list parameter whose values must all be in `allowed`."""
    return params.choice_list(request.query_params.get(name), name, allowed)


def geojson_feature(
    geometry: str | dict[str, Any], properties: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    """A GeoJSON Feature; `geometry` as GeoJSON text (from SQL) or a dict."""
    geom = json.loads(geometry) if isinstance(geometry, str) else geometry
    return {"type": "Feature", "geometry": geom, "properties": properties, **extra}


def feature_collection(features: list[dict[str, Any]], cap: int | None = None) -> Response:
    """A cacheable FeatureCollection; with `cap`, at most that many and `truncated`."""
    body: dict[str, Any] = {"type": "FeatureCollection", "features": features[:cap]}
    if cap is not None:
        body["truncated"] = len(features) > cap
    response = Response(body)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


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
        bbox = bounded_bbox(request)
        rows = (
            RoadSegment.objects.filter(geom__bboverlaps=bbox)
            .annotate(geojson=AsGeoJSON("geom", precision=6))
            .values_list("id", "road_class", "ref", "name", "owner__name", "geojson")
            .order_by("id")[: MAX_ROADS + 1]
        )
        labels = dict(RoadClass.choices)
        features = [
            geojson_feature(
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
        return feature_collection(features, MAX_ROADS)


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
        bbox = bounded_bbox(request)
        types = choices_param(request, "type", list(AssetType.values))
        assets = Asset.objects.filter(geom__bboverlaps=bbox)
        if types:
            assets = assets.filter(asset_type__in=types)
        rows = assets.values_list("id", "asset_type", "external_id", "name", "geom").order_by("id")[
            : MAX_ASSETS + 1
        ]
        labels = dict(AssetType.choices)
        features = [
            geojson_feature(
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
        return feature_collection(features, MAX_ASSETS)
