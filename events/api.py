"""JSON API of the events calendar: /api/v1/events (a period, filters) and one event."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.urls import absolute_url

from . import selectors
from .models import Event

MAX_DAYS = 400


class EventSerializer(serializers.ModelSerializer[Event]):
    uid = serializers.UUIDField(read_only=True)
    category = serializers.CharField(source="category.name")
    category_slug = serializers.CharField(source="category.slug")
    authority = serializers.CharField(source="authority.name")
    town = serializers.CharField(source="town.name", default=None)
    lat = serializers.SerializerMethodField()
    lon = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id", "uid", "title", "description", "starts_at", "ends_at", "all_day",
            "category", "category_slug", "authority", "town", "address", "accessibility",
            "lat", "lon", "url",
        ]  # fmt: skip

    def get_lat(self, event: Event) -> float | None:
        return round(event.location.y, 6) if event.location is not None else None

    def get_lon(self, event: Event) -> float | None:
        return round(event.location.x, 6) if event.location is not None else None

    def get_url(self, event: Event) -> str:
        return absolute_url(event.get_absolute_url())


def _date(params: Any, name: str, default: date) -> date:
    raw = params.get(name)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            {name: [_("Bitte ein Datum im Format JJJJ-MM-TT angeben.")]}
        ) from None


class EventListView(APIView):
    """Published events touching [since, until) (default: the next 90 days)."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(
        parameters=[
            OpenApiParameter("since", date, description="erster Tag (JJJJ-MM-TT), Standard heute"),
            OpenApiParameter(
                "until", date, description="Tag nach dem letzten (höchstens 400 Tage)"
            ),
            OpenApiParameter("gemeinde", str, description="Kürzel der Gemeinde"),
            OpenApiParameter("art", str, description="Kürzel der Veranstaltungsart"),
            OpenApiParameter("stelle", str, description="Kürzel der veranstaltenden Behörde"),
        ],
        responses={200: EventSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        since = _date(request.query_params, "since", timezone.localdate())
        until = _date(request.query_params, "until", since + timedelta(days=90))
        if until <= since or (until - since).days > MAX_DAYS:
            raise ValidationError(
                {"until": [_("Der Zeitraum muss zwischen 1 und 400 Tagen lang sein.")]}
            )
        events = selectors.public_events(
            since=since,
            until=until,
            town=request.query_params.get("gemeinde", ""),
            category=request.query_params.get("art", ""),
            authority=request.query_params.get("stelle", ""),
        )
        return Response(EventSerializer(events, many=True).data)


class EventDetailView(APIView):
    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(responses={200: EventSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(EventSerializer(get_object_or_404(selectors.public_events(), pk=pk)).data)
