"""JSON API of the council sessions imported from OParl: /api/v1/council/meetings."""

from __future__ import annotations

from datetime import date, timedelta

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.urls import absolute_url

from . import selectors
from .api import MAX_DAYS, _date
from .models import CouncilAgendaItem, CouncilFile, CouncilMeeting


class CouncilFileSerializer(serializers.ModelSerializer[CouncilFile]):
    url = serializers.CharField(read_only=True)

    class Meta:
        model = CouncilFile
        fields = ["oparl_id", "role", "name", "mime_type", "size", "url", "download_url"]


class AgendaItemSerializer(serializers.ModelSerializer[CouncilAgendaItem]):
    paper_reference = serializers.CharField(source="paper.reference", default=None)
    paper_name = serializers.CharField(source="paper.name", default=None)
    files = CouncilFileSerializer(many=True, read_only=True)

    class Meta:
        model = CouncilAgendaItem
        fields = [
            "oparl_id", "number", "order", "name", "public", "result", "resolution_text",
            "paper_reference", "paper_name", "files",
        ]  # fmt: skip


class CouncilMeetingSerializer(serializers.ModelSerializer[CouncilMeeting]):
    authority = serializers.CharField(source="authority.name")
    organizations = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    agenda = AgendaItemSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = CouncilMeeting
        fields = [
            "id", "oparl_id", "name", "starts_at", "ends_at", "cancelled", "meeting_state",
            "location_text", "authority", "organizations", "files", "agenda", "web_url", "url",
        ]  # fmt: skip

    def get_organizations(self, meeting: CouncilMeeting) -> list[str]:
        return [o.name for o in meeting.organizations.all()]

    @extend_schema_field(CouncilFileSerializer(many=True))
    def get_files(self, meeting: CouncilMeeting) -> list[dict[str, object]]:
        own = [f for f in meeting.files.all() if f.agenda_item_id is None]
        return list(CouncilFileSerializer(own, many=True).data)

    def get_url(self, meeting: CouncilMeeting) -> str | None:
        return absolute_url(meeting.event.get_absolute_url()) if meeting.event else None


class CouncilMeetingListView(APIView):
    """Council sessions starting in [since, until) (default: the next 90 days), with agenda
    items and document links (the documents stay on the council system)."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(
        parameters=[
            OpenApiParameter("since", date, description="erster Tag (JJJJ-MM-TT), Standard heute"),
            OpenApiParameter(
                "until", date, description="Tag nach dem letzten (höchstens 400 Tage)"
            ),
            OpenApiParameter("stelle", str, description="Kürzel der Behörde"),
        ],
        responses={200: CouncilMeetingSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        since = _date(request.query_params, "since", timezone.localdate())
        until = _date(request.query_params, "until", since + timedelta(days=90))
        if until <= since or (until - since).days > MAX_DAYS:
            raise ValidationError(
                {"until": [_("Der Zeitraum muss zwischen 1 und 400 Tagen lang sein.")]}
            )
        meetings = selectors.upcoming_meetings(
            since=since, until=until, authority=request.query_params.get("stelle", "")[:100]
        )
        return Response(CouncilMeetingSerializer(meetings, many=True).data)


class CouncilMeetingDetailView(APIView):
    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(responses={200: CouncilMeetingSerializer})
    def get(self, request: Request, pk: int) -> Response:
        meetings = CouncilMeeting.objects.select_related("authority", "event").prefetch_related(
            "organizations", "files", "agenda__files", "agenda__paper"
        )
        return Response(CouncilMeetingSerializer(get_object_or_404(meetings, pk=pk)).data)
