"""GET /api/v1/boundaries: the active boundaries as a map layer (see geo.api for the
roads and assets layers and the shared bbox rules)."""

from __future__ import annotations

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import FloatField, QuerySet, Value
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geo.api import choices_param, feature_collection, geojson_feature, required_bbox
from geo.expressions import Multi, SimplifyPreserveTopology

from .models import TERRITORIAL_LEVELS, Boundary

MAX_BOUNDARIES = 500
# Boundaries are simplified to about one screen pixel of a ~1000 px wide map of the bbox.
SIMPLIFY_FRACTION = 1 / 1000

_LEVEL_RANK = {level.value: rank for rank, level in enumerate(TERRITORIAL_LEVELS)}


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
        bbox = required_bbox(request)
        levels = choices_param(request, "level", [level.value for level in TERRITORIAL_LEVELS])
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
            geojson_feature(
                geojson,
                {"id": authority_id, "name": name, "level": level, "ags": ags or None},
            )
            for authority_id, name, level, ags, geojson in rows
        ]
        # Broad levels first, so a client drawing in order puts Gemeinden on top.
        features.sort(key=lambda f: _LEVEL_RANK.get(f["properties"]["level"], 99))
        return feature_collection(features, MAX_BOUNDARIES)
