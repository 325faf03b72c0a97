"""REST API for reports and categories (/api/v1/). The citizen pages use these same endpoints."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from core.choices import ChoiceLabelField
from core.fastpath import short_path
from core.images import read_gps
from core.replica import read_from_replica
from geo.srid import InvalidCoordinates, wgs84_point

from . import api_idempotency, category_cache, map_geojson, selectors, services
from .api_created import report_created_body
from .map_page import map_filters, map_page_response
from .models import Category, Report, Status
from .pagination import FeaturePagination
from .selectors import PUBLIC_GRID_DEGREES  # noqa: F401 - re-exported for the pages
from .services.idempotency import KeyReused
from .throttles import SlidingWindowThrottle


class CategorySerializer(serializers.ModelSerializer[Category]):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = (
            "slug",
            "name",
            "description",
            "level",
            "asset_type",
            "snap_to_roads",
            "snap_tolerance_m",
            "duplicate_radius_m",
        )

    def get_name(self, category: Category) -> str:
        return category.localized_name()


class CategoryListView(generics.ListAPIView[Category]):
    """Every category citizens can report."""

    serializer_class = CategorySerializer
    pagination_class = None
    queryset = Category.objects.filter(is_active=True).order_by("sort_order", "name")


class FeatureBuilder:
    """Builds public GeoJSON features from plain values. Big map pages (500 features) come
    straight from `values_list` rows: model instances, the serializer field machinery and
    per-call translation of status labels cost more than the query itself."""

    def __init__(self) -> None:
        # get_status_display() rebuilds and translates the choices on every call; once per
        # response is enough. reverse() likewise.
        self.status_labels = {value: str(label) for value, label in Status.choices}
        self.url_template = reverse("tracker:report", args=[987654321]).replace("987654321", "{}")

    def feature(
        self,
        *,
        report_id: int,
        lon: float,
        lat: float,
        category_slug: str,
        category_name: str,
        status: str,
        authority: str,
        description: str,
        supporter_count: int,
        created_at: datetime,
        updated_at: datetime,
        photos: list[tuple[str, str]],
    ) -> dict[str, Any]:
        return {
            "id": report_id,
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": {
                "reference": f"{created_at.year}-{report_id:06d}",
                "category": category_slug,
                "category_name": category_name,
                "status": status,
                "status_label": self.status_labels.get(status, status),
                "authority": authority,
                "description": description,
                "supporter_count": supporter_count,
                "created_at": created_at.isoformat().replace("+00:00", "Z"),
                "updated_at": updated_at.isoformat().replace("+00:00", "Z"),
                "photos": [
                    {"url": default_storage.url(image), "thumbnail": default_storage.url(thumb)}
                    for image, thumb in photos
                ],
                "url": self.url_template.format(report_id),
            },
        }

    def from_row(self, row: Any, photos: list[tuple[str, str]], language: str) -> dict[str, Any]:
        """A row of selectors.public_rows()."""
        name = row.category__name
        if language == "en" and row.category__name_en:
            name = row.category__name_en
        return self.feature(
            report_id=row.id,
            lon=row.public_lon,
            lat=row.public_lat,
            category_slug=row.category__slug,
            category_name=name,
            status=row.status,
            authority=row.authority__name,
            description=row.description,
            supporter_count=row.supporter_count,
            created_at=row.created_at,
            updated_at=row.updated_at,
            photos=photos,
        )


class PublicReportSerializer(GeoFeatureModelSerializer):
    """What the public may see: no contact data, approximate location, moderated photos."""

    reference = serializers.CharField(read_only=True)
    category: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    category_name = serializers.SerializerMethodField()
    status_label = ChoiceLabelField("status")
    authority = serializers.CharField(source="authority.name", read_only=True)
    photos = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    # plain dict, built from coordinates computed in SQL: no GEOS/GDAL round trip per feature
    location = serializers.SerializerMethodField()

    class Meta:
        model = Report
        geo_field = "location"
        fields = (
            "id",
            "reference",
            "category",
            "category_name",
            "status",
            "status_label",
            "authority",
            "description",
            "supporter_count",
            "created_at",
            "updated_at",
            "photos",
            "url",
        )

    def to_representation(self, report: Report) -> dict[str, Any]:
        """Hand-built feature (see FeatureBuilder). The declared fields above still describe it
        for the OpenAPI schema; a test keeps both in step."""
        photos = getattr(report, "public_photos", None)
        if photos is None:
            photos = list(report.photos.filter(is_public=True))
        builder = self.context.get("feature_builder")
        if builder is None:
            builder = self.context["feature_builder"] = FeatureBuilder()
        return builder.feature(
            report_id=report.pk,
            lon=report.public_lon,  # type: ignore[attr-defined]
            lat=report.public_lat,  # type: ignore[attr-defined]
            category_slug=report.category.slug,
            category_name=report.category.localized_name(),
            status=report.status,
            authority=report.authority.name,
            description=report.description,
            supporter_count=report.supporter_count,
            created_at=report.created_at,
            updated_at=report.updated_at,
            photos=[(p.image.name, p.thumbnail.name) for p in photos],
        )

    def get_location(self, report: Report) -> dict[str, Any]:
        # public_lon/lat come from selectors.public_reports (snapped in SQL)
        lon, lat = report.public_lon, report.public_lat  # type: ignore[attr-defined]
        return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}

    def get_category_name(self, report: Report) -> str:
        return report.category.localized_name()

    def get_photos(self, report: Report) -> list[dict[str, str]]:
        photos = getattr(report, "public_photos", None)
        if photos is None:
            photos = list(report.photos.filter(is_public=True))
        return [{"url": p.image.url, "thumbnail": p.thumbnail.url} for p in photos]

    def get_url(self, report: Report) -> str:
        # reverse() once per response, not once per feature: it dominated large pages
        template = self.context.get("report_url_template")
        if template is None:
            template = reverse("tracker:report", args=[987654321]).replace("987654321", "{}")
            self.context["report_url_template"] = template
        return str(template).format(report.pk)


class PointCategorySerializer(serializers.Serializer[dict[str, Any]]):
    """lat/lon validated into a WGS84 `point`, category slug into an active Category.

    DRF deep-copies every declared field for each serializer instance, which re-runs each
    field's __init__ and cost more than validating the fields on the intake's path. Here the
    fields are built once per class and each instance gets shallow copies, bound to it as DRF
    binds its own copies (their validators and messages are only read while validating)."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        cls = type(self)
        prototypes = cls.__dict__.get("_prototype_fields")
        if prototypes is None:
            prototypes = copy.deepcopy(self._declared_fields)
            cls._prototype_fields = prototypes  # type: ignore[attr-defined]
        return {name: copy.copy(field) for name, field in prototypes.items()}

    lat = serializers.CharField(max_length=40, help_text="Breitengrad (WGS84)")
    lon = serializers.CharField(max_length=40, help_text="Längengrad (WGS84)")
    category = serializers.SlugField(help_text="Kennung der Kategorie, siehe /api/v1/categories")

    def validate_category(self, slug: str) -> Category:
        category = category_cache.active(slug)  # per process, invalidated on change
        if category is None:
            raise ValidationError(_("Unbekannte Kategorie: %(slug)s") % {"slug": slug})
        return category

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["point"] = wgs84_point(attrs["lon"], attrs["lat"])
        except InvalidCoordinates as exc:
            raise ValidationError({"lat": [str(exc)], "lon": [str(exc)]}) from exc
        return attrs


class ReportCreateSerializer(PointCategorySerializer):
    description = serializers.CharField(max_length=services.MAX_DESCRIPTION)
    email = serializers.EmailField(required=False, allow_blank=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=50)
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=services.MAX_PHOTOS
    )
    # Honeypot: invisible to people, filled in by naive bots.
    website = serializers.CharField(required=False, allow_blank=True, write_only=True)

    def validate_website(self, value: str) -> str:
        if value:
            raise ValidationError(_("Dieses Feld muss leer bleiben."))
        return value


class ReportCreateIpThrottle(SlidingWindowThrottle):
    scope = "report_create_ip"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        # per IP, for everybody (not only anonymous users)
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ReportCreateUserThrottle(SlidingWindowThrottle):
    scope = "report_create_user"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


def create_report_from(request: HttpRequest | Request, data: dict[str, Any], source: str) -> Report:
    """Run the intake service for validated data (the API's serializer, the citizen form).

    Its errors pass through: the DRF exception handler (config/exceptions.py) maps them to
    400s for the API, and the citizen page shows them on its form (core.errors)."""
    user = request.user if request.user.is_authenticated else None
    return services.report_create(
        category=data["category"],
        point=data["point"],
        description=data["description"],
        reporter=user,
        contact=services.Contact(
            email=data.get("email", ""), name=data.get("name", ""), phone=data.get("phone", "")
        ),
        address=data.get("address", ""),
        photos=data.get("photos", []),
        source=source,
        language=get_language() or "de",
    )


# Ids of the reports filed in this browser session: only that session sees the thanks page.
SESSION_CREATED_REPORTS = "created_reports"
MAX_REMEMBERED_REPORTS = 20


def remember_created_report(request: HttpRequest | Request, report: Report) -> None:
    """Note a new report in the session of the browser that filed it (the map page and the
    form both end on the thanks page, which only that session may see)."""
    ids = [pk for pk in request.session.get(SESSION_CREATED_REPORTS, []) if pk != report.pk]
    request.session[SESSION_CREATED_REPORTS] = [*ids, report.pk][-MAX_REMEMBERED_REPORTS:]


@method_decorator(read_from_replica, name="get")  # the public map's reads (core/replica.py)
@short_path("tracker.map_fastpath.map_page")  # its GeoJSON pages before the session stack
class ReportListCreateView(generics.ListCreateAPIView[Report]):
    """List public reports as GeoJSON (filter by bbox, category, status), or file a report."""

    serializer_class = PublicReportSerializer
    pagination_class = FeaturePagination

    def get_throttles(self) -> list[Any]:
        if self.request.method == "POST" and not api_idempotency.known_replay(self.request):
            return [ReportCreateIpThrottle(), ReportCreateUserThrottle()]
        return []

    def filters(self) -> map_geojson.PublicFilters:
        return map_filters(self.request.query_params)

    def get_queryset(self) -> QuerySet[Report]:
        filters = self.filters()
        return selectors.reports_in_bbox(
            bbox=Polygon.from_bbox(filters.bbox) if filters.bbox else None,
            categories=filters.categories,
            statuses=filters.statuses,
            since=filters.since,
        ).order_by("-created_at", "-id")

    @extend_schema(
        parameters=[
            OpenApiParameter("bbox", str, description="minLon,minLat,maxLon,maxLat (WGS84)"),
            OpenApiParameter("category", str, description="Kategorie-Kennungen, kommagetrennt"),
            OpenApiParameter("status", str, description="Status-Werte, kommagetrennt"),
            OpenApiParameter(
                "since", str, description="gemeldet seit: Anzahl Tage (z. B. 30) oder ISO-Datum"
            ),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        """The page built by PostGIS (tracker.map_geojson), sent as bytes; Python only adds
        the paging links. Storages whose file URLs are not prefix + name: built here."""
        prefix = map_geojson.media_prefix()
        if prefix is None:
            return self.list_in_python()
        return map_page_response(request, prefix)

    def list_in_python(self) -> Response:
        rows = self.paginate_queryset(selectors.public_rows(self.get_queryset())) or []
        photos = selectors.public_photo_names([row.id for row in rows])
        builder, language = FeatureBuilder(), get_language()
        features = [builder.from_row(row, photos.get(row.id, []), language) for row in rows]
        return self.get_paginated_response({"features": features})

    @extend_schema(
        request=ReportCreateSerializer,
        responses={201: dict, 422: dict},
        parameters=[api_idempotency.PARAMETER],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Our own report page posts here with its CSRF cookie and header; count those reports
        # as filed on the web (the source is a statistic, not a permission).
        from_page = bool(
            request.COOKIES.get(settings.CSRF_COOKIE_NAME) and request.headers.get("X-CSRFToken")
        )
        source = Report.Source.WEB if from_page else Report.Source.API
        try:
            report, replayed = api_idempotency.create_report_once(
                request, data, lambda: create_report_from(request, data, source)
            )
        except KeyReused as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        # The citizen page posts here too. Clients without cookies (apps, scripts) get no
        # session row just for this.
        if request.COOKIES:
            remember_created_report(request, report)
        headers = {api_idempotency.REPLAYED_HEADER: "true"} if replayed else {}
        return Response(
            report_created_body(report), status=status.HTTP_201_CREATED, headers=headers
        )


class ReportDetailView(generics.RetrieveAPIView[Report]):
    serializer_class = PublicReportSerializer

    def get_queryset(self) -> QuerySet[Report]:
        return selectors.public_reports()


class NearbyQuerySerializer(PointCategorySerializer):
    asset = serializers.IntegerField(required=False, min_value=1)


class NearbyReportsView(APIView):
    """Open reports of the same category near a point: possible duplicates."""

    @extend_schema(parameters=[NearbyQuerySerializer], responses=PublicReportSerializer(many=True))
    def get(self, request: Request) -> Response:
        query = NearbyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        reports = selectors.nearby_open_reports(
            point=data["point"], category=data["category"], asset_id=data.get("asset")
        )
        features = PublicReportSerializer(reports, many=True).data
        for feature, report in zip(features["features"], reports, strict=True):
            feature["properties"]["distance_m"] = round(report.distance_m, 1)  # type: ignore[attr-defined]
        return Response(features)


class SupportSerializer(serializers.Serializer[dict[str, Any]]):
    email = serializers.EmailField(required=False, allow_blank=True)


class SupportView(APIView):
    """ "Ich bin auch betroffen" for an open report."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "support"

    @extend_schema(request=SupportSerializer, responses={200: dict})
    def post(self, request: Request, pk: int) -> Response:
        report = get_object_or_404(selectors.public_reports(), pk=pk)
        serializer = SupportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user if request.user.is_authenticated else None
        services.report_support(report, user=user, email=serializer.validated_data.get("email", ""))
        report.refresh_from_db(fields=["supporter_count"])
        return Response({"id": report.pk, "supporter_count": report.supporter_count})


class PhotoLocationSerializer(serializers.Serializer[dict[str, Any]]):
    photo = serializers.FileField()


class PhotoLocationView(APIView):
    """Read the GPS position from a photo's EXIF, so the form can offer to use it."""

    # PhotoRejected is answered on this field (config.exceptions).
    photo_error_field = "photo"
    # Reading a photo's headers costs the upload; PHOTO_LOCATION_RATE_PER_IP per address (or
    # account when logged in).
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "photo_location"

    @extend_schema(request=PhotoLocationSerializer, responses={200: dict, 404: dict})
    def post(self, request: Request) -> Response:
        serializer = PhotoLocationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        gps = read_gps(serializer.validated_data["photo"])
        if gps is None:
            return Response(
                {"detail": _("Das Foto enthält keine Ortsangabe.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response({"lat": gps.lat, "lon": gps.lon})
