"""Django admin for authorities and boundaries: superusers only (Django's default permission
check: authority admins hold no model permissions here). Boundaries get a map widget."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Authority, Boundary, BoundarySet, RoadAuthority
from .sets import store_boundary


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin[Authority]):
    list_display = ("name", "level", "ags", "email", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name", "slug", "ags", "ars")
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("parent", "delegates_to")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "slug",
                    "level",
                    "ags",
                    "ars",
                    "parent",
                    "delegates_to",
                    "handles_ortsdurchfahrten",
                    "is_active",
                )
            },
        ),
        (
            _("Kontakt, Anschrift und Öffnungszeiten"),
            {"fields": ("email", "phone", "website", "address", "opening_hours")},
        ),
        (
            _("Erscheinungsbild"),
            {
                "description": _(
                    "Der Portalbetreiber (Einstellung OPERATING_AUTHORITY) prägt jede Seite und "
                    "jede E-Mail; eine Gemeinde mit eigenem Erscheinungsbild ihre eigenen Seiten "
                    "und die E-Mails zu ihren Meldungen. Farben brauchen WCAG-AA-Kontrast."
                ),
                "fields": (
                    "portal_name",
                    "own_identity",
                    "colour",
                    "secondary_colour",
                    "logo",
                    "logo_static",
                    "banner",
                    "banner_alt",
                ),
            },
        ),
    )


@admin.register(BoundarySet)
class BoundarySetAdmin(admin.ModelAdmin[BoundarySet]):
    """Activation runs through boundaries.sets.activate_set (import commands), not here."""

    list_display = ("name", "level", "is_active", "activated_at", "created_at")
    list_filter = ("level", "is_active")
    readonly_fields = ("is_active", "activated_at")


@admin.register(Boundary)
class BoundaryAdmin(GISModelAdmin):
    """Map widget for a boundary. Saving goes through boundaries.sets.store_boundary
    (ST_MakeValid, subdivided lookup pieces). Boundaries of the active set are read-only:
    corrections go into a new set, which is then activated (versioned, never edited in place)."""

    list_display = ("authority", "boundary_set")
    list_filter = ("boundary_set",)
    search_fields = ("authority__name",)
    raw_id_fields = ("authority",)
    list_select_related = ("authority", "boundary_set")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.boundary_set.is_active:
            return ("boundary_set", "authority", "geom")
        return ()

    def save_model(self, request: HttpRequest, obj: Boundary, form: Any, change: bool) -> None:
        stored, _repaired = store_boundary(obj.boundary_set, obj.authority, obj.geom)
        obj.pk = stored.pk
        obj.geom = stored.geom


@admin.register(RoadAuthority)
class RoadAuthorityAdmin(admin.ModelAdmin[RoadAuthority]):
    list_display = ("road_class", "territory", "authority")
    raw_id_fields = ("territory", "authority")
