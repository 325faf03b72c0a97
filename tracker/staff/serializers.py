"""Serializers of the staff API (/api/v1/staff/): the queue and detail output, and the input
of each action. Inputs naming ids (team, person, authority, original report) are resolved by
tracker.staff.actions, the same way the staff pages resolve them; the validated data are the
keyword parameters of `actions.perform` and `actions.bulk_apply`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, OrderBy
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from accounts.models import User
from boundaries.models import Authority
from core import choices, params
from core.errors import error_dict
from geo.params import parse_bbox
from tracker import permissions, selectors, services
from tracker.models import (
    AbuseFlag,
    Photo,
    Priority,
    Report,
    ReportEvent,
    ResponseTemplate,
    Status,
    Team,
)

from . import actions
from .versions import report_version

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


ACTORS = StaffUserSerializer()  # one for all authors: each instance builds its fields anew
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
    "version",
    "moderation",
)


class StaffReportSerializer(GeoFeatureModelSerializer):
    """A report in the work queue (GeoJSON Feature, exact location)."""

    reference = serializers.CharField(read_only=True)
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)  # type: ignore[var-annotated]
    category_name = serializers.SerializerMethodField()
    status_label = choices.ChoiceLabelField("status")
    priority = serializers.SerializerMethodField()
    priority_label = choices.ChoiceLabelField("priority")
    overdue = serializers.SerializerMethodField()
    authority = AuthorityRefSerializer(read_only=True)
    assigned_team = TeamRefSerializer(read_only=True, allow_null=True)
    assigned_to = StaffUserSerializer(read_only=True, allow_null=True)
    road_ref = serializers.SerializerMethodField()
    confirmed = serializers.BooleanField(source="is_confirmed", read_only=True)
    moderation = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField(
        help_text="Version für Änderungen unterwegs (expected_version / If-Match)"
    )

    class Meta:
        model = Report
        geo_field = "location"
        fields: tuple[str, ...] = QUEUE_FIELDS

    def get_version(self, report: Report) -> str:
        return report_version(report)

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

    @extend_schema_field(
        inline_serializer(
            "QueueModeration",
            {
                "open_flags": serializers.IntegerField(),
                "comments_waiting": serializers.IntegerField(),
                "description_state": serializers.CharField(),
            },
        )
    )
    def get_moderation(self, report: Report) -> dict[str, Any]:
        """Badges: open abuse flags, comments waiting for review, the description's state."""
        return {
            "open_flags": getattr(report, "open_flags", 0),
            "comments_waiting": getattr(report, "comments_waiting", 0),
            "description_state": report.description_state,
        }


class StaffPhotoSerializer(serializers.ModelSerializer[Photo]):
    url = serializers.FileField(source="image", read_only=True)
    thumbnail = serializers.FileField(read_only=True)
    original = serializers.FileField(read_only=True)  # unblurred, staff only
    blur_boxes = serializers.JSONField(read_only=True)  # id, x, y, w, h, label, source

    class Meta:
        model = Photo
        fields: tuple[str, ...] = ("id", "url", "thumbnail", "original", "blur_boxes")
        fields += ("redacted_at", "kind", "is_public", "width", "height", "created_at")


class AbuseFlagSerializer(serializers.ModelSerializer[AbuseFlag]):
    """An open "Missbrauch melden" of a citizen (no personal data is taken)."""

    reason_label = choices.ChoiceLabelField("reason")

    class Meta:
        model = AbuseFlag
        fields = ("id", "reason", "reason_label", "text", "created_at")


class StaffEventSerializer(serializers.ModelSerializer[ReportEvent]):
    kind_label = choices.ChoiceLabelField("kind")
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
            "review",
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
        return dict(ACTORS.to_representation(event.actor))


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
    abuse_flags = serializers.SerializerMethodField()

    class Meta(StaffReportSerializer.Meta):
        fields = (
            *StaffReportSerializer.Meta.fields,
            "original_description",
            "abuse_flags",
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
        # Only those the user may see: the same rule as on the staff page.
        duplicates = selectors.staff_duplicates(report, self.context["user"])
        return list(duplicates.values_list("id", flat=True))

    @extend_schema_field(StaffPhotoSerializer(many=True))
    def get_photos(self, report: Report) -> list[dict[str, Any]]:
        return list(StaffPhotoSerializer(report.photos.all(), many=True).data)

    @extend_schema_field(StaffEventSerializer(many=True))
    def get_history(self, report: Report) -> list[dict[str, Any]]:
        user = self.context["user"]
        own = selectors.staff_scope(user)
        events = selectors.staff_history(report, user)
        return list(StaffEventSerializer(events, many=True, context={"own_authorities": own}).data)

    @extend_schema_field(AbuseFlagSerializer(many=True))
    def get_abuse_flags(self, report: Report) -> list[dict[str, Any]]:
        return list(AbuseFlagSerializer(selectors.open_abuse_flags(report), many=True).data)

    def get_allowed_actions(self, report: Report) -> list[str]:
        return sorted(permissions.allowed_actions(self.context["user"], report))


class ForwardedSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    authority = AuthorityRefSerializer()
    detail = serializers.CharField()


class ResponseTemplateSerializer(serializers.ModelSerializer[ResponseTemplate]):
    class Meta:
        model = ResponseTemplate
        fields = ("id", "authority", "status", "title", "text")


# ---- input -----------------------------------------------------------------------------------


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
    moderation = serializers.ChoiceField(
        choices=["flagged", "comments", "any"],
        required=False,
        help_text="flagged: Missbrauch gemeldet; comments: Kommentare warten auf Prüfung",
    )
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
        if not all(params.is_int(p) for p in ids):
            raise ValidationError(_("Team-IDs als Zahlen angeben (oder „none“)."))
        return {"ids": [int(p) for p in ids], "none": "none" in parts}

    def validate_assigned_to(self, raw: str) -> int:
        if raw == "me":
            return int(self.context["user"].pk)
        if not params.is_int(raw):
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


class TemplateQuerySerializer(serializers.Serializer[dict[str, Any]]):
    report = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(choices=Status.choices, required=False)


class AuthorityQuerySerializer(serializers.Serializer[dict[str, Any]]):
    report = serializers.IntegerField(
        required=False, min_value=1, help_text="nur Stellen, an die diese Meldung gehen kann"
    )


class NoteFields(serializers.Serializer[dict[str, Any]]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.MAX_NOTE)
    public_note = serializers.BooleanField(
        required=False, default=True, help_text="Notiz öffentlich (für die meldende Person)"
    )


class TransitionSerializer(NoteFields):
    status = serializers.ChoiceField(choices=Status.choices)


class AssignSerializer(serializers.Serializer[dict[str, Any]]):
    team = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    user = serializers.IntegerField(source="person", required=False, allow_null=True, min_value=1)

    def validate_team(self, team_id: int | None) -> Team | None:
        return actions.resolve_team(self.context["user"], team_id)

    def validate_user(self, person_id: int | None) -> User | None:
        return actions.resolve_person(self.context["user"], person_id)


class PrioritySerializer(serializers.Serializer[dict[str, Any]]):
    priority = serializers.ChoiceField(choices=list(PRIORITY_KEYS))

    def validate_priority(self, key: str) -> int:
        return PRIORITY_KEYS[key]


class PrivacySerializer(serializers.Serializer[dict[str, Any]]):
    description_clean = serializers.BooleanField(
        help_text="Beschreibung frei von personenbezogenen Daten (bleibt bei der Anonymisierung)"
    )


class ForwardSerializer(serializers.Serializer[dict[str, Any]]):
    authority = serializers.CharField(help_text="ID oder Kurzname der Stelle")
    note = serializers.CharField(max_length=services.MAX_NOTE)
    public_note = serializers.BooleanField(required=False, default=False)

    def validate_authority(self, raw: str) -> Authority:
        return actions.resolve_authority(raw)


class DuplicateSerializer(serializers.Serializer[dict[str, Any]]):
    original = serializers.IntegerField(min_value=1)
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.MAX_NOTE)

    def validate_original(self, report_id: int) -> Report:
        return actions.resolve_original(self.context["user"], report_id)


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


MAX_BULK = 200


class BulkSerializer(serializers.Serializer[dict[str, Any]]):
    action = serializers.ChoiceField(choices=list(actions.BULK_ACTIONS))
    reports = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=MAX_BULK
    )
    team = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    user = serializers.IntegerField(source="person", required=False, allow_null=True, min_value=1)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.MAX_NOTE)
    public_note = serializers.BooleanField(required=False, default=True)
    priority = serializers.ChoiceField(choices=list(PRIORITY_KEYS), required=False)
    original = serializers.IntegerField(
        required=False, min_value=1, help_text="merge: die Meldung, in die zusammengeführt wird"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Check what the chosen action needs and resolve the ids it names."""
        spec = actions.BULK_ACTIONS[attrs["action"]]
        for name in spec.required:
            if attrs.get(name) is None:
                raise ValidationError({name: [_("Für diese Sammelaktion erforderlich.")]})
        user = self.context["user"]
        resolvers = {
            "team": lambda value: actions.resolve_team(user, value),
            "person": lambda value: actions.resolve_person(user, value),
            "priority": lambda value: PRIORITY_KEYS[value],
            "original": lambda value: actions.resolve_original(user, value),
        }
        params = {"action": spec.name, "reports": attrs["reports"]}
        for name in spec.inputs:
            if name in attrs:
                try:
                    params[name] = resolvers.get(name, lambda value: value)(attrs[name])
                except DjangoValidationError as exc:
                    raise ValidationError({_field(name): exc.messages}) from exc
        return params


def _field(name: str) -> str:
    """The request's field name of an action parameter."""
    return "user" if name == "person" else name


class BulkResultSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    ok = serializers.BooleanField()
    error = serializers.CharField()
