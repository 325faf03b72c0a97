"""Events in the Django admin: authority admins see and edit their authorities' events only
(accounts.admin_scope); saving goes through events.services.event_save (the Gemeinde is
derived from the place)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.http import HttpRequest

from accounts.admin_scope import AuthorityScopedAdmin

from .models import Event, EventCategory
from .services import event_save


@admin.register(EventCategory)
class EventCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Event)
class EventAdmin(AuthorityScopedAdmin, GISModelAdmin):
    list_display = [
        "title",
        "starts_at",
        "all_day",
        "category",
        "authority",
        "town",
        "is_published",
    ]
    list_filter = ["is_published", "category", "all_day"]
    search_fields = ["title", "description", "address"]
    date_hierarchy = "starts_at"
    readonly_fields = ["town", "created_at", "updated_at"]
    fields = [
        "authority",
        "category",
        "title",
        "description",
        ("starts_at", "ends_at", "all_day"),
        "location",
        "address",
        "town",
        "accessibility",
        "is_published",
        ("created_at", "updated_at"),
    ]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        event_save(obj)


from . import council_admin  # noqa: E402, F401  (registers the OParl admin)
