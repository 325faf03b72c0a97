"""Plans in the Django admin, scoped to the authority admins' authorities; statements are
read-only there (staff work on them in /beteiligung/arbeit/)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.http import HttpRequest

from accounts.admin_scope import AuthorityScopedAdmin

from .models import Plan, PlanDocument


class PlanDocumentInline(admin.TabularInline):
    model = PlanDocument
    extra = 0
    fields = ["title", "file", "order"]


@admin.register(Plan)
class PlanAdmin(AuthorityScopedAdmin, GISModelAdmin):
    list_display = ["__str__", "authority", "status", "display_start", "display_end"]
    list_filter = ["status", "access_level"]
    search_fields = ["title", "number", "description"]
    readonly_fields = ["status", "published_at", "result_published_at", "created_at", "updated_at"]
    inlines = [PlanDocumentInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Statements refer to the plan (PROTECT); a plan on display stays.
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.status == "draft"
        )
