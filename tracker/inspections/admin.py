"""Inspection plans are configured in the admin (per authority and road class: the interval
and the team); rounds are read-only there — they change through the round pages only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin_scope import AuthorityScopedAdmin

from .models import InspectionPlan, InspectionRound


@admin.register(InspectionPlan)
class InspectionPlanAdmin(AuthorityScopedAdmin):
    list_display = ("name", "authority", "road_class", "interval_days", "team", "is_active")
    list_filter = ("road_class", "is_active")
    search_fields = ("name", "authority__name")


@admin.register(InspectionRound)
class InspectionRoundAdmin(AuthorityScopedAdmin):
    authority_field = "plan__authority"
    read_only_for_scoped = True
    list_display = ("plan", "state", "started_at", "ended_at", "started_by", "team")
    list_filter = ("state",)
    exclude = ("track",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
