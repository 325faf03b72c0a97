"""JSON API of the participation: public plans as GeoJSON (/api/v1/plans, /api/v1/plans/{id})
and submitting a statement (POST /api/v1/plans/{id}/statements, JSON or multipart)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from core.urls import absolute_url
from geo.srid import InvalidCoordinates, wgs84_point

from . import selectors, services
from .models import Plan, PlanDocument


class DocumentSerializer(serializers.ModelSerializer[PlanDocument]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = PlanDocument
        fields = ["title", "size", "url"]

    def get_url(self, document: PlanDocument) -> str:
        return absolute_url(document.file.url)


class PlanSerializer(GeoFeatureModelSerializer):
    authority = serializers.CharField(source="authority.name")
    accepts_statements = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        geo_field = "area"
        fields = [
            "id", "number", "title", "description", "authority", "status", "display_start",
            "display_end", "access_level", "accepts_statements", "result_text", "url",
            "documents",
        ]  # fmt: skip

    def get_accepts_statements(self, plan: Plan) -> bool:
        return plan.is_open()

    def get_url(self, plan: Plan) -> str:
        return absolute_url(plan.get_absolute_url())


class PlanListView(APIView):
    """Plans on display and finished ones, as a GeoJSON FeatureCollection (area in WGS84)."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(responses={200: PlanSerializer(many=True)})
    def get(self, request: Request) -> Response:
        plans = selectors.public_plans().order_by("-display_start", "pk")[:200]
        return Response(PlanSerializer(plans, many=True).data)


class PlanDetailView(APIView):
    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(responses={200: PlanSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(PlanSerializer(get_object_or_404(selectors.public_plans(), pk=pk)).data)


class StatementInput(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=20_000)
    email = serializers.EmailField(required=False, help_text="nur ohne Anmeldung (Gäste)")
    name = serializers.CharField(required=False, max_length=150, allow_blank=True)
    lat = serializers.FloatField(required=False, help_text="Ort im Plangebiet (WGS84)")
    lon = serializers.FloatField(required=False)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="PDF oder Fotos, höchstens 5"
    )


class StatementSubmitView(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "statement"

    @extend_schema(
        request={"application/json": StatementInput, "multipart/form-data": StatementInput},
        responses={
            201: inline_serializer(
                "StatementReceipt",
                {
                    "receipt": serializers.CharField(),
                    "confirmed": serializers.BooleanField(),
                    "submitted_at": serializers.DateTimeField(),
                    "receipt_url": serializers.URLField(),
                },
            )
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        plan = get_object_or_404(selectors.public_plans(), pk=pk)
        data = StatementInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        pin = None
        if "lat" in values or "lon" in values:
            try:
                pin = wgs84_point(values.get("lon"), values.get("lat"))
            except InvalidCoordinates as exc:
                raise ValidationError({"lat": [str(exc)]}) from exc
        user = request.user if request.user.is_authenticated else None
        statement = services.statement_submit(
            plan,
            user=user,
            text=values["text"],
            email=values.get("email", ""),
            name=values.get("name", ""),
            pin=pin,
            uploads=[
                services.Upload(f, f.name or "anlage") for f in request.FILES.getlist("attachments")
            ],
            language=request.LANGUAGE_CODE[:2] if hasattr(request, "LANGUAGE_CODE") else "de",
        )
        return Response(
            {
                "receipt": statement.receipt,
                "confirmed": statement.is_confirmed,
                "submitted_at": statement.submitted_at,
                "receipt_url": absolute_url(
                    reverse("participation:receipt", args=[statement.token])
                ),
            },
            status=201,
        )
