"""Admin of privacy: retention periods (authority admins for their authority, superusers for
the portal), legal holds (placed and released, never edited), and the access log (read only,
searchable by authority admins and data protection officers of the authority)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin_scope import AuthorityScopedAdmin, is_superuser
from accounts.models import Membership, Role

from . import holds
from .models import AccessLogEntry, LegalHold, RetentionPolicy

PRIVACY_ROLES = (Role.ADMIN, Role.DATA_PROTECTION)
_CACHE = "_privacy_authority_ids"


def privacy_authority_ids(request: HttpRequest) -> set[int]:
    """Authorities where the user is admin or data protection officer (cached per request)."""
    cached: set[int] | None = getattr(request, _CACHE, None)
    if cached is None:
        user = request.user
        cached = (
            set(
                Membership.objects.filter(user_id=user.pk, role__in=PRIVACY_ROLES).values_list(
                    "authority_id", flat=True
                )
            )
            if user.is_authenticated and user.is_active and user.is_staff
            else set()
        )
        setattr(request, _CACHE, cached)
    return cached


class PrivacyScopedAdmin(AuthorityScopedAdmin):
    """Like AuthorityScopedAdmin, with data protection officers counted in."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if is_superuser(request):
            return queryset
        return queryset.filter(authority__in=privacy_authority_ids(request))

    def _in_scope(self, request: HttpRequest, obj: Model | None) -> bool:
        if is_superuser(request):
            return True
        ids = privacy_authority_ids(request)
        return bool(ids) and (obj is None or self.object_authority_id(obj) in ids)


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(AuthorityScopedAdmin):
    list_display = ("record_type", "authority", "months", "updated_at")
    list_filter = ("record_type",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[RetentionPolicy]:
        queryset = super().get_queryset(request)
        if not is_superuser(request):
            # Authority admins also see the portal's periods (read only), to compare.
            return RetentionPolicy.objects.filter(
                Q(pk__in=queryset.values("pk")) | Q(authority__isnull=True)
            )
        return queryset

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is not None and getattr(obj, "authority_id", 0) is None:
            return is_superuser(request)
        return super().has_change_permission(request, obj)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if not is_superuser(request) and "authority" in form.base_fields:
            form.base_fields["authority"].required = True
        return form


class LegalHoldForm(forms.ModelForm[LegalHold]):
    kind = forms.ChoiceField(label=_("Art"))

    class Meta:
        model = LegalHold
        fields = ("kind", "reference", "reason")

    request: HttpRequest | None = None  # set by LegalHoldAdmin.get_form

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field: Any = self.fields["kind"]
        kind_field.choices = [(k.key, k.label) for k in holds.kinds()]
        self.fields["reference"].help_text = _(
            "z. B. 2026-000042 oder das Aktenzeichen des Antrags"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        target = holds.resolve(data["kind"], data["reference"])
        request = self.request
        if (
            request is not None
            and not is_superuser(request)
            and target.authority_id not in privacy_authority_ids(request)
        ):
            raise ValidationError(
                {"reference": _("Dieser Datensatz gehört nicht zu Ihrer Stelle.")}
            )
        self.instance.object_id = target.object_id
        self.instance.authority_id = target.authority_id
        data["reference"] = target.reference
        return data


@admin.register(LegalHold)
class LegalHoldAdmin(PrivacyScopedAdmin):
    form = LegalHoldForm
    list_display = ("reference", "kind", "authority", "created_by", "created_at", "released_at")
    list_filter = ("kind", "released_at")
    search_fields = ("reference", "reason")
    actions = ("release",)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # type: ignore[attr-defined]  # a class made for this request by modelform_factory
        return form

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # A hold is placed and released (the action), never edited.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: LegalHold, form: Any, change: bool) -> None:
        obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Ausgewählte Sperren aufheben"))
    def release(self, request: HttpRequest, queryset: QuerySet[LegalHold]) -> None:
        released = 0
        for hold in queryset.filter(released_at__isnull=True):
            holds.hold_release(hold, by=request.user)  # type: ignore[arg-type]
            released += 1
        self.message_user(
            request, _("%(n)s Sperre(n) aufgehoben.") % {"n": released}, messages.SUCCESS
        )


@admin.register(AccessLogEntry)
class AccessLogAdmin(PrivacyScopedAdmin):
    list_display = (
        "created_at",
        "actor_email",
        "action",
        "channel",
        "kind",
        "reference",
        "fields",
        "reason",
        "authority",
    )
    list_filter = ("action", "channel", "kind")
    search_fields = ("actor_email", "reference", "reason")
    date_hierarchy = "created_at"
    list_select_related = ("authority",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
