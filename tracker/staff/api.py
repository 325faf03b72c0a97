"""Staff REST API (/api/v1/staff/): the work queue, the staff view of a report and its actions.

Same rules as the staff pages: only people with a membership get in (session or token auth),
they see the reports currently at their authorities, other reports are 404, actions their
role does not allow are 403, actions the workflow does not allow now are 400 — each with a
German message. Every change goes through tracker.staff.actions; the services' refusals are
turned into responses by the one exception handler (config/exceptions.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from boundaries.models import Authority
from core.fastpath import short_path
from tracker import permissions, selectors
from tracker.models import Report, ResponseTemplate, Team
from tracker.privacy_parts import log_contact_view

from . import actions, queue_json
from .moderation import API_MODERATION_ACTIONS
from .queue_json import StaffPagination
from .serializers import (
    SORTS,
    AddNoteSerializer,
    AddPhotoSerializer,
    AssignSerializer,
    AuthorityQuerySerializer,
    AuthorityRefSerializer,
    BulkResultSerializer,
    BulkSerializer,
    DuplicateSerializer,
    EmptySerializer,
    ForwardedSerializer,
    ForwardSerializer,
    NoteFields,
    PrioritySerializer,
    PrivacySerializer,
    RejectSerializer,
    ResponseTemplateSerializer,
    StaffQuerySerializer,
    StaffReportDetailSerializer,
    StaffReportSerializer,
    TemplateQuerySerializer,
    TransitionSerializer,
)
from .versions import VersionConflict, clean_version, report_version


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


def queue_options(query: Any, user: Any) -> tuple[dict[str, Any], str]:
    """selectors.staff_queue's arguments and the sort from the work queue's query string
    (a ValidationError, i.e. a 400, for bad values). Also used by tracker.staff.fastpath."""
    serializer = StaffQuerySerializer(data=query, context={"user": user})
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    sort = data.get("sort", "-created_at")
    team = data.get("team") or {"ids": [], "none": False}
    options = {
        "statuses": data.get("status", []),
        "team_ids": team["ids"],
        "unassigned": team["none"],
        "assigned_to_id": data.get("assigned_to"),
        "categories": data.get("category", []),
        "priorities": data.get("priority", []),
        "overdue": data.get("overdue"),
        "road_ref": data.get("road", ""),
        "bbox": data.get("bbox"),
        "authority_id": data.get("authority"),
        "moderation": data.get("moderation", ""),
        "order_by": SORTS[sort],
    }
    return options, sort


def queue_statement(query: Any, user: Any, guard_sql: str | None = None) -> queue_json.Statement:
    """The statement for one page of `user`'s work queue: the same queryset (scope, filters,
    sort) as the staff pages use; PostgreSQL counts it, takes the page and writes the
    features (tracker.staff.queue_json). Also used by tracker.staff.fastpath."""
    options, sort = queue_options(query, user)
    queue = selectors.staff_queue(user, **{**options, "bbox": None})
    reports, counted = queue_json.in_viewport(queue, options["bbox"])
    return queue_json.queue_statement(query, reports, sort, counted=counted, guard_sql=guard_sql)


# ---- the queue and the detail ----------------------------------------------------------------


# Known browser sessions and API tokens are answered before the session/CSRF stack
# (tracker.staff.fastpath).
@short_path("tracker.staff.fastpath.staff_queue")
class StaffReportListView(generics.ListAPIView[Report]):
    """The work queue: reports currently at the user's authorities, filtered and sorted."""

    permission_classes = [IsStaffMember]
    serializer_class = StaffReportSerializer
    pagination_class = StaffPagination

    def queue_kwargs(self) -> dict[str, Any]:
        """selectors.staff_queue's arguments from the validated query string."""
        options, self.sort = queue_options(self.request.query_params, self.request.user)
        return options

    def get_queryset(self) -> QuerySet[Report]:
        return selectors.staff_queue(self.request.user, **self.queue_kwargs())

    @extend_schema(
        parameters=[StaffQuerySerializer],
        responses={200: StaffReportSerializer(many=True), 400: dict, 403: dict},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        statement = queue_statement(request.query_params, request.user)
        return queue_json.page_response(request, statement, queue_json.queue_page(statement))


def _detail(report_id: int, user: Any, status: int = 200, **extra: Any) -> Response:
    report = get_object_or_404(selectors.staff_report_detail(user), pk=report_id)
    log_contact_view(user, report, "api")
    data = StaffReportDetailSerializer(report, context={"user": user}).data
    body = {**extra, "current": data} if extra else data
    response = Response(body, status=status)
    response["ETag"] = f'"{report_version(report)}"'
    return response


def _conflict(conflict: VersionConflict, user: Any) -> Response:
    """409: the report changed since the client's version; the answer carries the message,
    both versions and the report as it is now, so the client can show both side by side."""
    return _detail(
        conflict.report.pk,
        user,
        status=409,
        detail=str(conflict),
        code="conflict",
        expected_version=conflict.expected,
        current_version=conflict.current,
    )


class StaffReportDetailView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(responses={200: StaffReportDetailSerializer, 403: dict, 404: dict})
    def get(self, request: Request, pk: int) -> Response:
        return _detail(pk, request.user)


# ---- actions ---------------------------------------------------------------------------------


class ReportActionView(APIView):
    """POST an action on one report; answers with the report's staff detail."""

    # The action's name in tracker.staff.actions; the input serializer's validated data are
    # its parameters.

    permission_classes = [IsStaffMember]
    staff_action = ""
    input_serializer: type[serializers.Serializer[dict[str, Any]]] = EmptySerializer
    photo_error_field = "photo"  # where config.exceptions puts a PhotoRejected

    def post(self, request: Request, pk: int) -> Response:
        report = get_object_or_404(selectors.staff_reports(request.user), pk=pk)
        data = self.input_serializer(data=request.data, context={"user": request.user})
        data.is_valid(raise_exception=True)
        expected = clean_version(
            request.data.get("expected_version") or request.headers.get("If-Match")
        )
        try:
            actions.perform(
                self.staff_action,
                report,
                by=request.user,  # type: ignore[arg-type]
                expected_version=expected,
                **data.validated_data,
            )
        except VersionConflict as conflict:
            return _conflict(conflict, request.user)
        return self.respond(report, request.user)

    def respond(self, report: Report, user: Any) -> Response:
        return _detail(report.pk, user)


_ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="nicht möglich (Grund)"),
    409: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Meldung inzwischen geändert (mit expected_version / If-Match): "
        "detail, expected_version, current_version, current (der aktuelle Stand)",
    ),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description="Rolle erlaubt es nicht"),
    404: OpenApiResponse(OpenApiTypes.OBJECT, description="keine Meldung Ihrer Stelle"),
}


class ForwardView(ReportActionView):
    staff_action = "forward"
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


FORWARD_SCHEMA = extend_schema(
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
        **_ERRORS,
    },
)

# URL segment (POST /api/v1/staff/reports/<id>/<segment>) → input, summary; the segment is
# the action's name in tracker.staff.actions.ACTIONS.
API_ACTIONS: dict[str, tuple[type[serializers.Serializer[Any]], str]] = {
    "transition": (TransitionSerializer, "Status ändern (prüfen, annehmen, beginnen, erledigt …)"),
    "assign": (AssignSerializer, "Team und/oder Person zuweisen (beides leer: aufheben)"),
    "take": (EmptySerializer, "Selbst übernehmen (Kolonne)"),
    "priority": (PrioritySerializer, "Priorität setzen"),
    "forward": (ForwardSerializer, "An eine andere Stelle weiterleiten"),
    "duplicate": (DuplicateSerializer, "Als Duplikat einer anderen Meldung schließen"),
    "reject": (RejectSerializer, "Ablehnen (mit Begründung für die meldende Person)"),
    "reopen": (NoteFields, "Wieder öffnen (erledigt/abgelehnt → in Prüfung)"),
    "note": (AddNoteSerializer, "Interne Notiz oder öffentlicher Kommentar"),
    "photo": (AddPhotoSerializer, "Foto hinzufügen (multipart, standardmäßig „nachher“)"),
    **API_MODERATION_ACTIONS,
    "privacy": (PrivacySerializer, "Beschreibung als frei von personenbezogenen Daten markieren"),
}


def _action_view(name: str, serializer: type[serializers.Serializer[Any]], summary: str) -> Any:
    if name == "forward":
        return extend_schema_view(post=FORWARD_SCHEMA)(ForwardView)
    view = type(
        f"{name.title().replace('-', '')}View",
        (ReportActionView,),
        {"staff_action": name, "input_serializer": serializer, "__module__": __name__},
    )
    schema = extend_schema(
        summary=summary, request=serializer, responses={200: StaffReportDetailSerializer, **_ERRORS}
    )
    return extend_schema_view(post=schema)(view)


# For config/api_urls.py.
ACTION_VIEWS: dict[str, type[ReportActionView]] = {
    name: _action_view(name, serializer, summary)
    for name, (serializer, summary) in API_ACTIONS.items()
}


# ---- bulk ------------------------------------------------------------------------------------


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
        serializer = BulkSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        params = dict(serializer.validated_data)
        results = actions.bulk_apply(
            params.pop("action"),
            params.pop("reports"),
            by=request.user,  # type: ignore[arg-type]
            **params,
        )
        return Response(
            {"results": [{"id": r.report_id, "ok": r.ok, "error": r.error} for r in results]}
        )


# ---- lookups for the action forms ------------------------------------------------------------


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
        return selectors.staff_templates(user, status=data.get("status"))

    @extend_schema(parameters=[TemplateQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class StaffAuthorityListView(generics.ListAPIView[Authority]):
    """Active authorities a report can be forwarded to; with `report`, all but that report's
    current authority (as on the staff page)."""

    permission_classes = [IsStaffMember]
    serializer_class = AuthorityRefSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Authority]:
        query = AuthorityQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        report = None
        if query.validated_data.get("report"):
            reports = selectors.staff_reports(self.request.user)
            report = get_object_or_404(reports, pk=query.validated_data["report"])
        return selectors.forward_targets(report)

    @extend_schema(parameters=[AuthorityQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


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
