"""GET /api/v1/locate: who is responsible here (and, with a category, for what).

It lives in tracker because the category is tracker's; boundaries answers the question
(authorities_at, route) without knowing about categories."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from boundaries.models import Level
from boundaries.reverse import PlaceNameSerializer, place_name_at
from boundaries.services import (
    CoveringAuthority,
    OutsideServiceArea,
    Reason,
    RoutingDecision,
    authorities_at,
    route,
)
from geo.srid import InvalidCoordinates, wgs84_point

from .models import Category


class LocateQuerySerializer(serializers.Serializer[dict[str, Any]]):
    lat = serializers.CharField(
        help_text="Breitengrad (WGS84), z. B. 53.35", trim_whitespace=True, max_length=40
    )
    lon = serializers.CharField(
        help_text="Längengrad (WGS84), z. B. 10.21", trim_whitespace=True, max_length=40
    )
    category = serializers.SlugField(required=False, help_text="Kennung einer Kategorie")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["point"] = wgs84_point(attrs["lon"], attrs["lat"])
        except InvalidCoordinates as exc:
            raise serializers.ValidationError({"coordinates": [str(exc)]}) from exc
        slug = attrs.get("category")
        if slug:
            try:
                attrs["category_obj"] = Category.objects.get(slug=slug, is_active=True)
            except Category.DoesNotExist as exc:
                raise serializers.ValidationError(
                    {"category": [_("Unbekannte Kategorie: %(slug)s") % {"slug": slug}]}
                ) from exc
        return attrs


# --- response shape (for the OpenAPI schema; the view builds plain dicts) ------------------


class LocatePointSerializer(serializers.Serializer[dict[str, Any]]):
    lat = serializers.FloatField()
    lon = serializers.FloatField()


class LocateCoveringAuthoritySerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    level = serializers.CharField()
    level_label = serializers.CharField()
    ags = serializers.CharField(allow_null=True)
    ars = serializers.CharField(allow_null=True)


class LocateRoutedAuthoritySerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    level = serializers.CharField()
    email = serializers.CharField(allow_null=True)


class LocateRoadSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    # "class" is a Python keyword: declared below under its JSON name.
    ref = serializers.CharField(allow_null=True)
    name = serializers.CharField(allow_null=True)


LocateRoadSerializer._declared_fields["class"] = serializers.CharField()


class LocateAssetSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    type = serializers.CharField()
    external_id = serializers.CharField()


class LocatePlainSerializer(serializers.Serializer[dict[str, Any]]):
    who = serializers.CharField(help_text="„Das kümmert sich darum: …“")
    why = serializers.CharField(help_text="Der Grund in einfachen Worten")


class LocateRoutingSerializer(serializers.Serializer[dict[str, Any]]):
    category = serializers.CharField()
    plain = LocatePlainSerializer()
    authority = LocateRoutedAuthoritySerializer()
    reason = serializers.CharField()
    detail = serializers.CharField()
    distance_m = serializers.FloatField(allow_null=True)
    road = LocateRoadSerializer(allow_null=True)
    asset = LocateAssetSerializer(allow_null=True)


class LocateResponseSerializer(serializers.Serializer[dict[str, Any]]):
    point = LocatePointSerializer()
    place = PlaceNameSerializer(allow_null=True, help_text="Nächstes Haus oder Straße und Ort")
    authorities = LocateCoveringAuthoritySerializer(many=True)
    routing = LocateRoutingSerializer(required=False, help_text="Nur mit `category`")


class LocateDetailSerializer(serializers.Serializer[dict[str, Any]]):
    detail = serializers.CharField()


def covering_json(authority: CoveringAuthority) -> dict[str, Any]:
    return {
        "id": authority.id,
        "name": authority.name,
        "slug": authority.slug,
        "level": authority.level,
        "level_label": str(Level(authority.level).label),
        "ags": authority.ags or None,
        "ars": authority.ars or None,
    }


def _why(decision: RoutingDecision, category: Category) -> str:
    """The routing reason in simple words, for citizens (the stored `detail` is for staff)."""
    who = decision.authority.name
    if decision.reason == Reason.FIXED:
        return _("Um „%(category)s“ kümmert sich überall %(who)s.") % {
            "category": category.localized_name(),
            "who": who,
        }
    if decision.reason == Reason.ASSET_OWNER and decision.asset is not None:
        return _("Das Objekt hier (%(thing)s %(id)s) gehört %(who)s.") % {
            "thing": category.get_asset_type_display(),
            "id": decision.asset.external_id,
            "who": who,
        }
    if decision.reason == Reason.ROAD_OWNER and decision.road is not None:
        road = decision.road.ref or decision.road.name
        if road:
            return _("Die Straße „%(road)s“ wird von %(who)s instand gehalten.") % {
                "road": road,
                "who": who,
            }
        return _("Diese Straße wird von %(who)s instand gehalten.") % {"who": who}
    town = next((a.name for a in decision.covering if a.level == Level.GEMEINDE), "")
    if town and town != who:
        return _("Der Ort liegt in %(town)s. Für „%(category)s“ ist dort %(who)s da.") % {
            "town": town,
            "category": category.localized_name(),
            "who": who,
        }
    return _("Der Ort liegt im Gebiet von %(who)s.") % {"who": who}


def decision_json(decision: RoutingDecision, category: Category) -> dict[str, Any]:
    authority = decision.authority
    body: dict[str, Any] = {
        "category": category.slug,
        "plain": {
            "who": _("Das kümmert sich darum: %(who)s") % {"who": authority.name},
            "why": _why(decision, category),
        },
        "authority": {
            "id": authority.pk,
            "name": authority.name,
            "slug": authority.slug,
            "level": authority.level,
            "email": authority.email or None,
        },
        "reason": str(decision.reason),
        "detail": decision.detail,
        "distance_m": round(decision.distance_m, 1) if decision.distance_m is not None else None,
        "road": None,
        "asset": None,
    }
    if decision.road is not None:
        body["road"] = {
            "id": decision.road.id,
            "class": decision.road.road_class,
            "ref": decision.road.ref or None,
            "name": decision.road.name or None,
        }
    if decision.asset is not None:
        body["asset"] = {
            "id": decision.asset.id,
            "type": decision.asset.asset_type,
            "external_id": decision.asset.external_id,
        }
    return body


class LocateView(APIView):
    """Authorities covering a point, one per level; with `category`, the routing decision."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(
        parameters=[LocateQuerySerializer],
        responses={
            200: LocateResponseSerializer,
            404: OpenApiResponse(LocateDetailSerializer, description="Außerhalb des Portalgebiets"),
        },
    )
    def get(self, request: Request) -> Response:
        query = LocateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        point = query.validated_data["point"]
        category = query.validated_data.get("category_obj")
        try:
            if category is not None:
                decision = route(point, category)
                covering = decision.covering
            else:
                covering = authorities_at(point)
                if not covering:
                    raise OutsideServiceArea(point)
        except OutsideServiceArea as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_404_NOT_FOUND)
        body: dict[str, Any] = {
            "point": {"lat": point.y, "lon": point.x},
            "place": place.as_json() if (place := place_name_at(point)) else None,
            "authorities": [covering_json(a) for a in covering],
        }
        if category is not None:
            body["routing"] = decision_json(decision, category)
        return Response(body)
