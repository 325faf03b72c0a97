"""OParl systems and imported sessions in the Django admin (scoped to the admin's
authorities; sessions are read-only — the council system is their source)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin_scope import AuthorityScopedAdmin

from .models import CouncilAgendaItem, CouncilMeeting, OParlSource


@admin.register(OParlSource)
class OParlSourceAdmin(AuthorityScopedAdmin):
    list_display = ["system_url", "authority", "is_active", "last_run_at", "last_synced_at"]
    list_filter = ["is_active"]
    readonly_fields = ["last_run_at", "last_synced_at", "last_summary"]
    fields = ["system_url", "authority", "is_active", *readonly_fields]


class AgendaInline(admin.TabularInline):
    model = CouncilAgendaItem
    fields = ["number", "name", "public", "result", "paper"]
    readonly_fields = ["number", "name", "public", "result", "paper"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(AuthorityScopedAdmin):
    read_only_for_scoped = True
    list_display = ["name", "starts_at", "authority", "cancelled"]
    list_filter = ["cancelled"]
    search_fields = ["name", "oparl_id"]
    date_hierarchy = "starts_at"
    inlines = [AgendaInline]
    readonly_fields = [
        "oparl_id", "source", "authority", "event", "name", "starts_at", "ends_at", "cancelled",
        "meeting_state", "location_text", "web_url", "modified",
    ]  # fmt: skip
    exclude = ["organizations"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
