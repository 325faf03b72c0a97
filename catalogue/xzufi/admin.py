"""Admin for the XZuFi import: the runs with their change summary (read-only, so staff see
what the scheduled re-sync did), the imported organisational units and Zuständigkeiten."""

from __future__ import annotations

import json

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from ..models import ImportRun, OrganisationalUnit, ServiceResponsibility


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin[ImportRun]):
    list_display = ("started_at", "source", "ok", "committed", "message")
    list_filter = ("ok", "committed")
    readonly_fields = ("started_at", "source", "ok", "committed", "message", "summary_table")
    exclude = ("summary",)

    @admin.display(description=_("Änderungen"))
    def summary_table(self, run: ImportRun) -> SafeString:
        return format_html("<pre>{}</pre>", json.dumps(run.summary, indent=2, ensure_ascii=False))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OrganisationalUnit)
class OrganisationalUnitAdmin(admin.ModelAdmin[OrganisationalUnit]):
    list_display = ("name", "official_key", "authority", "email", "phone")
    search_fields = ("name", "xzufi_id", "official_key")
    autocomplete_fields = ("authority",)


@admin.register(ServiceResponsibility)
class ServiceResponsibilityAdmin(admin.ModelAdmin[ServiceResponsibility]):
    list_display = ("service", "area_key", "area", "unit")
    search_fields = ("service__name", "service__leika_key", "area_key", "unit__name")
    list_select_related = ("service", "area", "unit")
    autocomplete_fields = ("service", "area", "unit")
