"""Staff REST API (/api/v1/staff/): the work queue, the staff view of a report and its actions.

Same rules as the staff pages (tracker.permissions): only people with a membership get in
(session or token auth), they see the reports currently at their authorities, other reports
are 404, actions their role does not allow are 403, actions the workflow does not allow now
are 400 — each with a German message. Every change goes through tracker.services.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, OrderBy, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from accounts.models import User
from boundaries.models import Authority
from core.errors import error_dict
from core.images import PhotoRejected
from geo.params import parse_bbox

from . import permissions, selectors, services
from .api import FeaturePagination
from .models import Photo, Priority, Report, ReportEvent, ResponseTemplate, Status, Team
from .permissions import NotPermitted

PRIORITY_KEYS: dict[str, int] = {p.name.lower(): int(p.value) for p in Priority}
PRIORITY_NAMES: dict[int, str] = {value: key for key, value in PRIORITY_KEYS.items()}

SORTS: dict[str, tuple[OrderBy | str, ...]] = {
    "created_at": (F("created_at").asc(), F("id").asc()),
    "-created_at": (F("created_at").desc(), F("id").desc()),
    "updated_at": (F("updated_at").asc(), F("id").asc()),
    "-updated_at": (F("updated_at").desc(), F("id").desc()),
    "due_at": (F("due_at").asc(nulls_last=True), F("id").asc()),
    "-due_at": (F("due_at").desc(nulls_last=True), F("id").desc()),
    "priority": (F("priority").asc(), F("due_at").asc(nulls_last=True), F("id").asc()),
    "-priority": (F("priority").desc(), F("due_at").asc(nulls_last=True), F("id").asc()),
    "status": (F("status").asc(), F("id").desc()),
}


class IsStaffMember(BasePermission):
    message = "Nur für Mitarbeitende einer zuständigen Stelle."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not permissions.is_staff_member(request.user):
            self.message = (
                _("Nur für Mitarbeitende einer zuständigen Stelle.")
                if request.user.is_authenticated
                else _("Bitte melden Sie sich an.")
            )
            return False
        return True


def _csv(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


# ---- output ----------------------------------------------------------------------------------


class AuthorityRefSerializer(serializers.ModelSerializer[Authority]):
    class Meta:
        model = Authority
        fields = ("id", "name", "slug", "level")


class TeamRefSerializer(serializers.ModelSerializer[Team]):
    class Meta:
        model = Team
        fields = ("id", "name")


class StaffUserSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ("id", "email", "display_name")


QUEUE_FIELDS: tuple[str, ...] = (
    "id",
    "reference",
    "category",
    "category_name",
    "status",
    "status_label",
    "priority",
    "priority_label",
    "due_at",
    "overdue",
    "authority",
    "assigned_team",
    "assigned_to",
    "road_ref",
    "address",
    "description",
    "supporter_count",
    "confirmed",
    "created_at",
    "updated_at",
)


class StaffReportSerializer(GeoFeatureModelSerializer):
    """A report in the work queue (GeoJSON Feature, exact location)."""

    reference = serializers.CharField(read_only=True)
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)  # type: ignore[var-annotated]
    category_name = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    priority = serializers.SerializerMethodField()
    priority_label = serializers.CharField(source="get_priority_display", read_only=True)
    overdue = serializers.SerializerMethodField()
    authority = AuthorityRefSerializer(read_only=True)
    assigned_team = TeamRefSerializer(read_only=True, allow_null=True)
    assigned_to = StaffUserSerializer(read_only=True, allow_null=True)
    road_ref = serializers.SerializerMethodField()
    confirmed = serializers.BooleanField(source="is_confirmed", read_only=True)

    class Meta:
        model = Report
        geo_field = "location"
        fields: tuple[str, ...] = QUEUE_FIELDS

    def get_category_name(self, report: Report) -> str:
        return report.category.localized_name()

    @extend_schema_field(serializers.ChoiceField(choices=list(PRIORITY_KEYS)))
    def get_priority(self, report: Report) -> str:
        return PRIORITY_NAMES.get(report.priority, "normal")

    def get_overdue(self, report: Report) -> bool:
        annotated = getattr(report, "overdue", None)
        return bool(annotated) if annotated is not None else report.is_overdue

    def get_road_ref(self, report: Report) -> str | None:
        return report.road.ref if report.road_id is not None and report.road else None


class StaffPhotoSerializer(serializers.ModelSerializer[Photo]):
    url = serializers.FileField(source="image", read_only=True)
    thumbnail = serializers.FileField(read_only=True)

    class Meta:
        model = Photo
        fields = ("id", "url", "thumbnail", "kind", "is_public", "width", "height", "created_at")


class StaffEventSerializer(serializers.ModelSerializer[ReportEvent]):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    actor = serializers.SerializerMethodField()
    from_authority = AuthorityRefSerializer(read_only=True, allow_null=True)
    to_authority = AuthorityRefSerializer(read_only=True, allow_null=True)
    team = TeamRefSerializer(read_only=True, allow_null=True)
    assignee = StaffUserSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ReportEvent
        fields = (
            "id",
            "kind",
            "kind_label",
            "created_at",
            "actor",
            "from_status",
            "to_status",
            "note",
            "is_public",
            "from_authority",
            "to_authority",
            "team",
            "assignee",
        )

    @extend_schema_field(StaffUserSerializer(allow_null=True))
    def get_actor(self, event: ReportEvent) -> dict[str, Any] | None:
        # Who did it is shown for entries of the viewer's own authorities only.
        own: set[int] | None = self.context.get("own_authorities")
        if event.actor is None or (own is not None and event.authority_id not in own):
            return None
        return dict(StaffUserSerializer(event.actor).data)


class StaffReportDetailSerializer(StaffReportSerializer):
    """Everything about a report for the staff of its authority: contact data, routing,
    photos (also unreleased ones), the history with internal notes, and allowed actions."""

    reporter_name = serializers.CharField(read_only=True)
    reporter_email = serializers.EmailField(read_only=True)
    reporter_phone = serializers.CharField(read_only=True)
    duplicate_of = serializers.SerializerMethodField()
    duplicates = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(StaffReportSerializer.Meta):
        fields = (
            *StaffReportSerializer.Meta.fields,
            "reporter_name",
            "reporter_email",
            "reporter_phone",
            "routing_reason",
            "routing_detail",
            "routing_distance_m",
            "source",
            "language",
            "confirmed_at",
            "duplicate_of",
            "duplicates",
            "photos",
            "history",
            "allowed_actions",
        )

    @extend_schema_field(
        inline_serializer(
            "ReportRef", {"id": serializers.IntegerField(), "reference": serializers.CharField()}
        )
    )
    def get_duplicate_of(self, report: Report) -> dict[str, Any] | None:
        original = report.duplicate_of
        return None if original is None else {"id": original.pk, "reference": original.reference}

    def get_duplicates(self, report: Report) -> list[int]:
        return list(report.duplicates.order_by("id").values_list("id", flat=True))

    @extend_schema_field(StaffPhotoSerializer(many=True))
    def get_photos(self, report: Report) -> list[dict[str, Any]]:
        return list(StaffPhotoSerializer(report.photos.all(), many=True).data)

    @extend_schema_field(StaffEventSerializer(many=True))
    def get_history(self, report: Report) -> list[dict[str, Any]]:
        user = self.context["user"]
        own = None if permissions.is_superuser(user) else permissions.authority_ids(user)
        events = selectors.staff_history(report, user)
        return list(StaffEventSerializer(events, many=True, context={"own_authorities": own}).data)

    def get_allowed_actions(self, report: Report) -> list[str]:
        return sorted(permissions.allowed_actions(self.context["user"], report))


class StaffPagination(FeaturePagination):
    """Like the public GeoJSON pages, plus a total `count`: a queue is one authority's open
    work, small enough to count, and the pages show "n Meldungen"."""

    page_size = 50
    max_page_size = 500

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> Any:
        self.count = queryset.count()
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data = {"count": self.count, **response.data}
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        result = super().get_paginated_response_schema(schema)
        result["properties"] = {"count": {"type": "integer"}, **result["properties"]}
        return result


# ---- the queue -------------------------------------------------------------------------------


class StaffQuerySerializer(serializers.Serializer[dict[str, Any]]):
    """Filters of the work queue; all optional, comma-separated lists where it says so."""

    status = serializers.CharField(required=False, help_text="Status-Werte, kommagetrennt")
    team = serializers.CharField(
        required=False, help_text="Team-IDs, kommagetrennt; „none“ = ohne Team"
    )
    assigned_to = serializers.CharField(required=False, help_text="Personen-ID oder „me“")
    category = serializers.CharField(required=False, help_text="Kategorie-Kennungen")
    priority = serializers.CharField(required=False, help_text="low, normal, high, urgent")
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    road = serializers.CharField(required=False, help_text="Straßennummer, z. B. „K 12“")
    bbox = serializers.CharField(required=False, help_text="minLon,minLat,maxLon,maxLat")
    authority = serializers.IntegerField(required=False, min_value=1)
    sort = serializers.ChoiceField(choices=list(SORTS), required=False, default="-created_at")

    def validate_status(self, raw: str) -> list[str]:
        values = _csv(raw)
        unknown = [v for v in values if v not in Status.values]
        if unknown:
            raise ValidationError(_("Unbekannter Status: %(s)s") % {"s": unknown[0]})
        return values

    def validate_team(self, raw: str) -> dict[str, Any]:
        parts = _csv(raw)
        ids = [p for p in parts if p != "none"]
        if not all(p.isdigit() for p in ids):
            raise ValidationError(_("Team-IDs als Zahlen angeben (oder „none“)."))
        return {"ids": [int(p) for p in ids], "none": "none" in parts}

    def validate_assigned_to(self, raw: str) -> int:
        if raw == "me":
            return int(self.context["user"].pk)
        if not raw.isdigit():
            raise ValidationError(_("Eine Personen-ID oder „me“ angeben."))
        return int(raw)

    def validate_priority(self, raw: str) -> list[int]:
        values = _csv(raw)
        unknown = [v for v in values if v not in PRIORITY_KEYS]
        if unknown:
            raise ValidationError(_("Unbekannte Priorität: %(p)s") % {"p": unknown[0]})
        return [PRIORITY_KEYS[v] for v in values]

    def validate_category(self, raw: str) -> list[str]:
        return _csv(raw)

    def validate_bbox(self, raw: str) -> Any:
        try:
            return parse_bbox(raw)
        except DjangoValidationError as exc:
            raise ValidationError(error_dict(exc).get("bbox", exc.messages)) from exc


class StaffReportListView(generics.ListAPIView[Report]):
    """The work queue: reports currently at the user's authorities, filtered and sorted."""

    permission_classes = [IsStaffMember]
    serializer_class = StaffReportSerializer
    pagination_class = StaffPagination

    def get_queryset(self) -> QuerySet[Report]:
        query = StaffQuerySerializer(
            data=self.request.query_params, context={"user": self.request.user}
        )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        team = data.get("team") or {"ids": [], "none": False}
        return selectors.staff_queue(
            self.request.user,
            statuses=data.get("status", []),
            team_ids=team["ids"],
            unassigned=team["none"],
            assigned_to_id=data.get("assigned_to"),
            categories=data.get("category", []),
            priorities=data.get("priority", []),
            overdue=data.get("overdue"),
            road_ref=data.get("road", ""),
            bbox=data.get("bbox"),
            authority_id=data.get("authority"),
            order_by=SORTS[data.get("sort", "-created_at")],
        )

    @extend_schema(
        parameters=[StaffQuerySerializer],
        responses={200: StaffReportSerializer(many=True), 400: dict, 403: dict},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


def _detail(report_id: int, user: Any) -> Response:
    report = get_object_or_404(selectors.staff_report_detail(user), pk=report_id)
    return Response(StaffReportDetailSerializer(report, context={"user": user}).data)


class StaffReportDetailView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(responses={200: StaffReportDetailSerializer, 403: dict, 404: dict})
    def get(self, request: Request, pk: int) -> Response:
        return _detail(pk, request.user)


# ---- actions ---------------------------------------------------------------------------------


class NoteFields(serializers.Serializer[dict[str, Any]]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.MAX_NOTE)
    public_note = serializers.BooleanField(
        required=False, default=True, help_text="Notiz öffentlich (für die meldende Person)"
    )


class TransitionSerializer(NoteFields):
    status = serializers.ChoiceField(choices=Status.choices)


class AssignSerializer(serializers.Serializer[dict[str, Any]]):
    team = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    user = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class PrioritySerializer(serializers.Serializer[dict[str, Any]]):
    priority = serializers.ChoiceField(choices=list(PRIORITY_KEYS))


class ForwardSerializer(serializers.Serializer[dict[str, Any]]):
    authority = serializers.CharField(help_text="ID oder Kurzname der Stelle")
    note = serializers.CharField(max_length=services.MAX_NOTE)
    public_note = serializers.BooleanField(required=False, default=False)


class DuplicateSerializer(serializers.Serializer[dict[str, Any]]):
    original = serializers.IntegerField(min_value=1)
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.MAX_NOTE)


class RejectSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.CharField(max_length=services.MAX_NOTE)


class AddNoteSerializer(serializers.Serializer[dict[str, Any]]):
    text = serializers.CharField(max_length=services.MAX_NOTE)
    public = serializers.BooleanField(required=False, default=False)


class AddPhotoSerializer(serializers.Serializer[dict[str, Any]]):
    photo = serializers.FileField()
    kind = serializers.ChoiceField(choices=Photo.Kind.choices, default=Photo.Kind.AFTER)
    public = serializers.BooleanField(required=False, default=False)


class EmptySerializer(serializers.Serializer[dict[str, Any]]):
    pass


def _team(user: Any, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    teams = Team.objects.all()
    if not permissions.is_superuser(user):
        teams = teams.filter(authority_id__in=permissions.authority_ids(user))
    team = teams.filter(pk=team_id).first()
    if team is None:
        raise ValidationError({"team": [_("Unbekanntes Team.")]})
    return team


def _person(user: Any, person_id: int | None) -> User | None:
    if person_id is None:
        return None
    people = User.objects.filter(is_active=True)
    if not permissions.is_superuser(user):
        people = people.filter(memberships__authority_id__in=permissions.authority_ids(user))
    person = people.filter(pk=person_id).distinct().first()
    if person is None:
        raise ValidationError({"user": [_("Unbekannte Person.")]})
    return person


def _authority(raw: str) -> Authority:
    raw = raw.strip()
    active = Authority.objects.filter(is_active=True)
    authority = (active.filter(pk=int(raw)) if raw.isdigit() else active.filter(slug=raw)).first()
    if authority is None:
        raise ValidationError({"authority": [_("Unbekannte Stelle.")]})
    return authority


def _original(user: Any, report_id: int) -> Report:
    original = selectors.staff_reports(user).filter(pk=report_id).first()
    if original is None:
        raise ValidationError({"original": [_("Ursprüngliche Meldung nicht gefunden.")]})
    return original


class ReportActionView(APIView):
    """POST an action on one report; answers with the report's staff detail."""

    permission_classes = [IsStaffMember]
    input_serializer: type[serializers.Serializer[dict[str, Any]]] = EmptySerializer

    def perform(self, report: Report, data: dict[str, Any], user: Any) -> None:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        report = get_object_or_404(selectors.staff_reports(request.user), pk=pk)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            self.perform(report, serializer.validated_data, request.user)
        except NotPermitted as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise ValidationError(error_dict(exc)) from exc
        except PhotoRejected as exc:
            raise ValidationError({"photo": [str(exc)]}) from exc
        return self.respond(report, request.user)

    def respond(self, report: Report, user: Any) -> Response:
        return _detail(report.pk, user)


def _action_schema(serializer: type[serializers.Serializer[Any]], summary: str) -> Any:
    return extend_schema_view(
        post=extend_schema(
            summary=summary,
            request=serializer,
            responses={
                200: StaffReportDetailSerializer,
                400: OpenApiResponse(OpenApiTypes.OBJECT, description="nicht möglich (Grund)"),
                403: OpenApiResponse(OpenApiTypes.OBJECT, description="Rolle erlaubt es nicht"),
                404: OpenApiResponse(OpenApiTypes.OBJECT, description="keine Meldung Ihrer Stelle"),
            },
        )
    )


@_action_schema(TransitionSerializer, "Status ändern (prüfen, annehmen, beginnen, erledigt …)")
class TransitionView(ReportActionView):
    input_serializer = TransitionSerializer

    def perform(self, report: Report, data: dict[str, Any], user: Any) -> None:
        services.report_transition(
            report,
            data["status"],
            by=user,
            note=data.get("note", ""),
            public_note=data["public_note"],
        )


@_action_schema(AssignSerializer, "Team und/oder Person zuweisen (beides leer: aufheben)")
class AssignView(ReportActionView):
    input_serializer = AssignSerializer

    def perform(self, report: Report, data: dict[str, Any], user: Any) -> None:
        services.report_assign(
            report,
            team=_team(user, data.get("team")),
            user=_person(user, data.get("user")),
            by=user,
        )


@_action_schema(EmptySerializer, "Selbst übernehmen (Kolonne)")
class TakeView(ReportActionView):
    def perform(self, report: Report, data: dict[str, Any], user: Any) -> None:
        services.report_take(report, by=user)


@_action_schema(PrioritySerializer, "Priorität setzen")
class PriorityView(ReportActionView):
    input_serializer = PrioritySerializer

    def perform(self, report: Report, data: dict[str, Any], user: Any) -> None:
        services.report_set_priority(report, priority=PRIORITY_KEYS[data["priority"]], by=user)


class ForwardedSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    authority = AuthorityRefSerializer()
    detail = serializers.CharField()


@extend_schema_view(
    post=extend_schema(
        summary="An eine andere Stelle weiterleiten",
        description="Answers with the staff detail when the user still sees the report (e.g. "
        "staff of both authorities), otherwise with a short confirmation: the report has left "
        "the user's queue.",
        request=ForwardSerializer,
        responses={
            200: PolymorphicProxySerializer(
                component_name="ForwardResult",
                serializers=[StaffReportDetailSerializer, ForwardedSerializer],
                resource_type_field_name=None,
            ),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="nicht möglich (Grund)"),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="Rolle erlaubt es nicht"),
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="keine Meldung Ihrer Stelle"),
        },
    )
)
class ForwardView(ReportActionView):
    input_serializer = ForwardSerializer

    def respond(self, report: Report, user: Any) -> Response:
        if permissions.can_view(user, report):
            return _detail(report.pk, user)
        authority = Authority.objects.get(pk=report.authority_id)
        return Response(
            {
                "id": report.pk,
                "reference": report.reference,
                "status": report.status,
                "authority": AuthorityRefSerializer(authority).data,
                "detail": _("Weitergeleitet an %(authority)s.") % {"authority": authority.name},
            }
        )

    def perform(self, report: Report, data: dict[str, Any], user: Any) -> None:
        services.report_forward_to_authority(
            report,
            authority=_authority(data["authority"]),
            by=user,
            note=data["note"],
            public_note=data["public_note"],
        )


@_action_schema(DuplicateSerializer, "Als Duplikat einer anderen Meldung schließen")
class DuplicateView(ReportActionView):
    input_serializer = DuplicateSerializer

    def perform(self, report: Report, data: dict[str, Any], user: Any) -> None:
        services.report_mark_duplicate(
            report, original=_original(user, data["original"]), by=user, note=data.get("note", "")
        )


@_action_schema(RejectSerializer, "Ablehnen (mit Begründung für die meldende Person)")
class RejectView(ReportActionView):
    input_serializer = RejectSerializer

    def perform(self, report: Report, data: dict[str, Any], user: Any) -> None:
        services.report_reject(report, reason=data["reason"], by=user)


@_action_schema(NoteFields, "Wieder öffnen (erledigt/abgelehnt → in Prüfung)")
class ReopenView(ReportActionView):
    input_serializer = NoteFields

    def perform(self, report: Report, data: dict[str, Any], user: Any) -> None:
        services.report_reopen(
            report, by=user, note=data.get("note", ""), public_note=data["public_note"]
        )


@_action_schema(AddNoteSerializer, "Interne Notiz oder öffentlicher Kommentar")
class NoteView(ReportActionView):
    input_serializer = AddNoteSerializer

    def perform(self, report: Report, data: dict[str, Any], user: Any) -> None:
        services.report_add_note(report, by=user, text=data["text"], public=data["public"])


@_action_schema(AddPhotoSerializer, "Foto hinzufügen (multipart, standardmäßig „nachher“)")
class PhotoView(ReportActionView):
    input_serializer = AddPhotoSerializer

    def perform(self, report: Report, data: dict[str, Any], user: Any) -> None:
        services.report_add_photo(
            report, by=user, file=data["photo"], kind=data["kind"], public=data["public"]
        )


# ---- bulk ------------------------------------------------------------------------------------

MAX_BULK = 200


class BulkSerializer(serializers.Serializer[dict[str, Any]]):
    action = serializers.ChoiceField(choices=["assign", "transition", "priority", "merge"])
    reports = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=MAX_BULK
    )
    team = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    user = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.MAX_NOTE)
    public_note = serializers.BooleanField(required=False, default=True)
    priority = serializers.ChoiceField(choices=list(PRIORITY_KEYS), required=False)
    original = serializers.IntegerField(
        required=False, min_value=1, help_text="merge: die Meldung, in die zusammengeführt wird"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        needs = {"transition": "status", "priority": "priority", "merge": "original"}
        field = needs.get(attrs["action"])
        if field and attrs.get(field) is None:
            raise ValidationError({field: [_("Für diese Sammelaktion erforderlich.")]})
        return attrs


class BulkResultSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    ok = serializers.BooleanField()
    error = serializers.CharField()


class StaffBulkView(APIView):
    """Dispatcher bulk actions. Each report is changed on its own (all-or-nothing per report);
    the answer lists the outcome per report, in the order given."""

    permission_classes = [IsStaffMember]

    @extend_schema(
        request=BulkSerializer,
        responses={
            200: inline_serializer("BulkResponse", {"results": BulkResultSerializer(many=True)}),
            400: dict,
            403: dict,
        },
    )
    def post(self, request: Request) -> Response:
        serializer = BulkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user: Any = request.user
        ids: list[int] = data["reports"]
        action = data["action"]
        results: list[services.BulkResult]
        if action == "assign":
            results = services.bulk_assign(
                ids,
                team=_team(user, data.get("team")),
                user=_person(user, data.get("user")),
                by=user,
            )
        elif action == "transition":
            results = services.bulk_transition(
                ids,
                data["status"],
                by=user,
                note=data.get("note", ""),
                public_note=data["public_note"],
            )
        elif action == "priority":
            results = services.bulk_set_priority(
                ids, priority=PRIORITY_KEYS[data["priority"]], by=user
            )
        else:
            original = _original(user, data["original"])
            results = services.bulk_merge_duplicates(
                original, ids, by=user, note=data.get("note", "")
            )
        return Response(
            {"results": [{"id": r.report_id, "ok": r.ok, "error": r.error} for r in results]}
        )


# ---- lookups for the action forms ------------------------------------------------------------


class ResponseTemplateSerializer(serializers.ModelSerializer[ResponseTemplate]):
    class Meta:
        model = ResponseTemplate
        fields = ("id", "authority", "status", "title", "text")


class TemplateQuerySerializer(serializers.Serializer[dict[str, Any]]):
    report = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(choices=Status.choices, required=False)


class StaffTemplateListView(generics.ListAPIView[ResponseTemplate]):
    """Response templates ("Textbausteine") of the user's authorities; with `report`, those of
    that report's authority, with `status` those for the status (plus general ones)."""

    permission_classes = [IsStaffMember]
    serializer_class = ResponseTemplateSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[ResponseTemplate]:
        query = TemplateQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        user = self.request.user
        if data.get("report"):
            report = get_object_or_404(selectors.staff_reports(user), pk=data["report"])
            return selectors.response_templates(report, status=data.get("status"))
        templates = ResponseTemplate.objects.order_by("authority_id", "sort_order", "title")
        if not permissions.is_superuser(user):
            templates = templates.filter(authority_id__in=permissions.authority_ids(user))
        if data.get("status"):
            templates = templates.filter(status__in=[data["status"], ""])
        return templates

    @extend_schema(parameters=[TemplateQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class StaffAuthorityListView(generics.ListAPIView[Authority]):
    """Active authorities a report can be forwarded to."""

    permission_classes = [IsStaffMember]
    serializer_class = AuthorityRefSerializer
    pagination_class = None
    queryset = Authority.objects.filter(is_active=True).order_by("name")


class StaffMeView(APIView):
    """The signed-in staff member: roles per authority and teams (for the pages and apps)."""

    permission_classes = [IsStaffMember]

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        user: Any = request.user
        roles = permissions.staff_roles(user)
        names = dict(Authority.objects.filter(pk__in=roles).values_list("pk", "name"))
        return Response(
            {
                "id": user.pk,
                "email": user.email,
                "is_superuser": permissions.is_superuser(user),
                "memberships": [
                    {"authority": {"id": pk, "name": names.get(pk, "")}, "roles": sorted(r)}
                    for pk, r in sorted(roles.items())
                ],
                "teams": list(
                    Team.objects.filter(pk__in=permissions.team_ids(user)).values("id", "name")
                ),
            }
        )


# URL segment → view, for config/api_urls.py (POST /api/v1/staff/reports/<id>/<segment>).
ACTION_VIEWS: dict[str, type[ReportActionView]] = {
    "transition": TransitionView,
    "assign": AssignView,
    "take": TakeView,
    "priority": PriorityView,
    "forward": ForwardView,
    "duplicate": DuplicateView,
    "reject": RejectView,
    "reopen": ReopenView,
    "note": NoteView,
    "photo": PhotoView,
}
