"""Django admin for the tracker. Authority admins (Membership role "admin") manage their teams,
members, response templates and moderation settings and look at their reports; superusers
see everything.

Reports are read-only here: every state change goes through tracker.services (the staff pages
and the staff API), so the history stays complete.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin_scope import AuthorityScopedAdmin, admin_authority_ids, is_superuser
from accounts.models import Membership, User

from . import permissions
from .models import (
    Category,
    ModerationSettings,
    Photo,
    Report,
    ReportEvent,
    ResponseTemplate,
    Team,
)
from .privacy_parts import log_contact_change, log_contact_view


@admin.register(Category)
class CategoryAdmin(AuthorityScopedAdmin):
    """Categories are shared by all authorities: superusers edit them, authority admins may
    look (their defaults — priority, target days, after photo — drive the workflow)."""

    list_display = (
        "name",
        "slug",
        "level",
        "default_priority",
        "target_days",
        "requires_after_photo",
        "is_active",
    )
    list_filter = ("level", "is_active", "requires_after_photo")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("available_in",)
    read_only_for_scoped = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        # Not scoped: every authority uses the same categories.
        return admin.ModelAdmin.get_queryset(self, request)

    def _in_scope(self, request: HttpRequest, obj: Model | None) -> bool:
        return is_superuser(request) or bool(admin_authority_ids(request))


class TeamForm(forms.ModelForm[Team]):
    class Meta:
        model = Team
        fields = ("authority", "name", "email", "categories", "members")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        authority = cleaned.get("authority")
        members = cleaned.get("members")
        if authority is not None and members:
            staff_ids = set(
                Membership.objects.filter(authority=authority).values_list("user_id", flat=True)
            )
            outsiders = [m.email for m in members if m.pk not in staff_ids]
            if outsiders:
                self.add_error(
                    "members",
                    _("Ohne Mitgliedschaft bei dieser Stelle: %(emails)s")
                    % {"emails": ", ".join(outsiders)},
                )
        return cleaned


@admin.register(Team)
class TeamAdmin(AuthorityScopedAdmin):
    form = TeamForm
    list_display = ("name", "authority", "email")
    list_filter = ("authority",)
    search_fields = ("name",)
    filter_horizontal = ("categories", "members")
    list_select_related = ("authority",)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "members":
            # Only people who work for one of the admin's authorities, never all accounts.
            people = User.objects.filter(memberships__isnull=False)
            if not is_superuser(request):
                people = people.filter(memberships__authority_id__in=admin_authority_ids(request))
            kwargs["queryset"] = people.distinct().order_by("email")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(AuthorityScopedAdmin):
    list_display = ("title", "authority", "status", "sort_order")
    list_filter = ("status", "authority")
    search_fields = ("title", "text")
    list_select_related = ("authority",)


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(AuthorityScopedAdmin):
    """Per authority: citizens' comments public at once (default) or after review."""

    list_display = ("authority", "citizen_comments")
    list_filter = ("citizen_comments",)
    list_select_related = ("authority",)


class ReadOnlyInline:
    """Inlines of the read-only report page: visible to whoever may view the report (the
    report admin is scoped already), never changed here."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Called without obj too (InlineModelAdmin.get_queryset); the parent decides.
        return True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReportEventInline(ReadOnlyInline, admin.TabularInline[ReportEvent, Report]):
    model = ReportEvent
    fk_name = "report"
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "from_status", "to_status", "note", "is_public", "actor")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReportEvent]:
        # Internal entries of other authorities stay hidden here too (forwarded reports).
        return (
            super()
            .get_queryset(request)
            .filter(permissions.visible_events_q(request.user))
            .select_related("actor")
        )


class PhotoInline(ReadOnlyInline, admin.TabularInline[Photo, Report]):
    model = Photo
    extra = 0
    can_delete = False
    fields = ("image", "thumbnail", "kind", "is_public", "created_at")
    readonly_fields = fields


@admin.register(Report)
class ReportAdmin(AuthorityScopedAdmin, GISModelAdmin):
    """Read-only: status, assignment and the rest change through the workflow services."""

    list_display = (
        "__str__",
        "status",
        "priority",
        "authority",
        "assigned_team",
        "due_at",
        "created_at",
    )
    list_filter = ("status", "priority", "category")
    search_fields = ("id", "description", "address")
    list_select_related = ("category", "authority", "assigned_team")
    date_hierarchy = "created_at"
    inlines = (PhotoInline, ReportEventInline)
    exclude = ("confirmation_token", "tracking_token")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_superuser(request)

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        # The (read-only) report page shows the contact data: the access log notes who saw it.
        obj = context.get("original")
        if isinstance(obj, Report):
            log_contact_view(request.user, obj, "admin")
        return super().render_change_form(request, context, *args, **kwargs)

    def delete_model(self, request: HttpRequest, obj: Report) -> None:
        log_contact_change(request.user, obj, "admin", reason="gelöscht")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        for report in queryset:
            log_contact_change(request.user, report, "admin", reason="gelöscht")
        super().delete_queryset(request, queryset)
