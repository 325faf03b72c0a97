"""Django admin for roads and assets with map widgets: superusers only (Django's default
permission check)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from .models import AddressPoint, Asset, RoadSegment


@admin.register(RoadSegment)
class RoadSegmentAdmin(GISModelAdmin):
    list_display = ("__str__", "road_class", "ref", "name", "owner", "ortsdurchfahrt")
    list_filter = ("road_class", "ortsdurchfahrt")
    search_fields = ("ref", "name", "external_id")
    raw_id_fields = ("owner",)
    list_select_related = ("owner",)


@admin.register(Asset)
class AssetAdmin(GISModelAdmin):
    list_display = ("__str__", "asset_type", "external_id", "name", "owner")
    list_filter = ("asset_type",)
    search_fields = ("external_id", "name")
    raw_id_fields = ("owner",)
    list_select_related = ("owner",)


@admin.register(AddressPoint)
class AddressPointAdmin(GISModelAdmin):
    list_display = ("street", "house_number", "postcode", "town", "source")
    search_fields = ("street", "town", "postcode")
