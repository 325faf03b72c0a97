"""The Abfallkalender in the Django admin: districts (map widget) and their dates, scoped to
the Gemeinden an authority admin administers (accounts.admin_scope)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.http import HttpRequest

from accounts.admin_scope import AuthorityScopedAdmin, admin_authority_ids, is_superuser
from boundaries.models import Authority

from .models import CollectionDistrict, PickupDate, WasteSubscription, WasteType


@admin.register(WasteType)
class WasteTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "colour", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CollectionDistrict)
class CollectionDistrictAdmin(AuthorityScopedAdmin, GISModelAdmin):
    authority_field = "town"
    list_display = ["name", "town"]
    search_fields = ["name", "streets", "town__name"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "town" and not is_superuser(request):
            kwargs["queryset"] = Authority.objects.filter(pk__in=admin_authority_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(PickupDate)
class PickupDateAdmin(AuthorityScopedAdmin):
    authority_field = "district__town"
    list_display = ["date", "waste_type", "district"]
    list_filter = ["waste_type"]
    date_hierarchy = "date"

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "district" and not is_superuser(request):
            kwargs["queryset"] = CollectionDistrict.objects.filter(
                town_id__in=admin_authority_ids(request)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(WasteSubscription)
class WasteSubscriptionAdmin(AuthorityScopedAdmin):
    authority_field = "district__town"
    read_only_for_scoped = True
    list_display = ["email", "district", "confirmed_at", "created_at"]
    search_fields = ["email"]
    exclude = ["token"]
