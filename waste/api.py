"""JSON API of the Abfallkalender: the district of an address and a district's dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.urls import absolute_url

from . import selectors
from .lookup import lookup
from .models import CollectionDistrict, PickupDate

MAX_DAYS = 400


class PickupSerializer(serializers.ModelSerializer[PickupDate]):
    waste_type = serializers.CharField(source="waste_type.name")
    waste_type_slug = serializers.CharField(source="waste_type.slug")

    class Meta:
        model = PickupDate
        fields = ["date", "waste_type", "waste_type_slug"]


class DistrictSerializer(serializers.ModelSerializer[CollectionDistrict]):
    town = serializers.CharField(source="town.name")
    ical_url = serializers.SerializerMethodField()

    class Meta:
        model = CollectionDistrict
        fields = ["id", "name", "town", "ical_url"]

    def get_ical_url(self, district: CollectionDistrict) -> str:
        return absolute_url(reverse("waste:district-ical", args=[district.pk]))


def _pickups(district_id: int, since: date, until: date) -> list[dict[str, Any]]:
    return PickupSerializer(selectors.pickups(district_id, since, until), many=True).data  # type: ignore[return-value]


class WasteLookupView(APIView):
    """The collection district of an address, with the pickups of the next eight weeks."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="z. B. „Lindenweg 5, Heidestadt“")
        ],
        responses={
            200: inline_serializer(
                "WasteLookup",
                {
                    "place": serializers.CharField(),
                    "district": DistrictSerializer(),
                    "pickups": PickupSerializer(many=True),
                },
            )
        },
    )
    def get(self, request: Request) -> Response:
        query = " ".join(request.query_params.get("q", "").split())[:100]
        if len(query) < 2:
            raise ValidationError(
                {"q": [_("Bitte eine Anschrift eingeben (mindestens 2 Zeichen).")]}
            )
        found = lookup(query)
        if found.district is None:
            raise NotFound(_("Zu dieser Anschrift kennen wir keinen Abfuhrbezirk."))
        today = timezone.localdate()
        return Response(
            {
                "place": found.place.label if found.place else query,
                "district": DistrictSerializer(found.district).data,
                "pickups": _pickups(found.district.pk, today, today + timedelta(days=56)),
            }
        )


class WasteDatesView(APIView):
    """A district's pickups in [since, until) (default: the next eight weeks)."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(
        parameters=[
            OpenApiParameter("since", date, description="erster Tag (JJJJ-MM-TT)"),
            OpenApiParameter("until", date, description="Tag nach dem letzten"),
        ],
        responses={200: PickupSerializer(many=True)},
    )
    def get(self, request: Request, pk: int) -> Response:
        district = get_object_or_404(CollectionDistrict, pk=pk)
        try:
            since = date.fromisoformat(
                request.query_params.get("since") or timezone.localdate().isoformat()
            )
            until_raw = request.query_params.get("until")
            until = date.fromisoformat(until_raw) if until_raw else since + timedelta(days=56)
        except ValueError:
            raise ValidationError(
                {"since": [_("Bitte ein Datum im Format JJJJ-MM-TT angeben.")]}
            ) from None
        if until <= since or (until - since).days > MAX_DAYS:
            raise ValidationError(
                {"until": [_("Der Zeitraum muss zwischen 1 und 400 Tagen lang sein.")]}
            )
        return Response(_pickups(district.pk, since, until))
