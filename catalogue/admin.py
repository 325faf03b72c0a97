"""Django admin for the catalogue (superusers): services with their form schema checked on
save, overrides, synonyms, fees and authority pages. Applications are read-only here: every
state change goes through catalogue.services (the staff pages), so the history stays whole."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from jsonschema.exceptions import SchemaError

from accounts.admin_scope import AuthorityScopedAdmin, is_superuser

from . import schema_forms
from .models import (
    Application,
    ApplicationEvent,
    AuthorityPage,
    FeeRule,
    FitConnectRoute,
    Handover,
    LifeSituation,
    SamlIdentity,
    SearchSynonym,
    Service,
    ServiceOverride,
)
from .privacy_log import log_application_view


class ServiceForm(forms.ModelForm[Service]):
    class Meta:
        model = Service
        exclude: list[str] = []

    def clean_form_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = self.cleaned_data["form_schema"] or {}
        if schema:
            try:
                schema_forms.check_schema(schema)
            except SchemaError as exc:
                raise forms.ValidationError(
                    _("Das Formular ist kein gültiges JSON Schema: %(error)s")
                    % {"error": exc.message}
                ) from exc
        elif self.cleaned_data.get("is_online"):
            raise forms.ValidationError(_("Eine Online-Leistung braucht ein Formular."))
        return schema


class OverrideInline(admin.TabularInline[ServiceOverride, Service]):
    model = ServiceOverride
    fk_name = "service"
    extra = 0
    autocomplete_fields = ("authority", "handled_by")


class FeeRuleInline(admin.TabularInline[FeeRule, Service]):
    model = FeeRule
    extra = 0
    autocomplete_fields = ("authority",)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    form = ServiceForm
    list_display = ("name", "level", "min_assurance", "is_online", "leika_key", "is_active")
    list_filter = ("level", "min_assurance", "is_online", "is_active")
    search_fields = ("name", "keywords", "leika_key")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (OverrideInline, FeeRuleInline)
    filter_horizontal = ("life_situations",)


@admin.register(LifeSituation)
class LifeSituationAdmin(admin.ModelAdmin[LifeSituation]):
    list_display = ("name", "position")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "name_en")


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin[SearchSynonym]):
    list_display = ("term", "expansions")
    search_fields = ("term", "expansions")


@admin.register(AuthorityPage)
class AuthorityPageAdmin(AuthorityScopedAdmin):
    """Each authority's admins edit their own start page (superusers: all)."""

    list_display = ("authority",)
    filter_horizontal = ("featured",)


@admin.register(ServiceOverride)
class ServiceOverrideAdmin(AuthorityScopedAdmin):
    """How an authority offers a service: online or not, handled by another office (e.g. its
    Samtgemeinde), own contact. Authority admins edit their own authority's rows."""

    list_display = ("service", "authority", "handled_by", "offered_online")
    list_filter = ("offered_online",)
    search_fields = ("service__name", "authority__name")
    list_select_related = ("service", "authority", "handled_by")


@admin.register(FeeRule)
class FeeRuleAdmin(AuthorityScopedAdmin):
    """An authority's fees for a service (its admins edit their own)."""

    list_display = ("service", "authority", "label", "amount")
    search_fields = ("service__name", "authority__name", "label")
    list_select_related = ("service", "authority")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # A rule without authority is the default everywhere: superusers only.
        if db_field.name == "authority" and not is_superuser(request):
            field.required = True
        return field


class EventInline(admin.TabularInline[ApplicationEvent, Application]):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "from_status", "to_status", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin[Application]):
    list_display = ("reference", "service", "authority", "status", "created_at")
    list_filter = ("status", "service")
    search_fields = ("reference",)
    inlines = (EventInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        # The (read-only) page shows the applicant's data: the access log notes who saw it.
        obj = context.get("original")
        if isinstance(obj, Application):
            log_application_view(request.user, obj, "admin")
        return super().render_change_form(request, context, *args, **kwargs)


# Online payments (XBezahldienste accounts, payment transactions) register themselves.
from . import payment_admin  # noqa: E402, F401


@admin.register(FitConnectRoute)
class FitConnectRouteAdmin(AuthorityScopedAdmin):
    """How an authority receives its online applications: the portal's staff pages, FIT-Connect
    (its own system) or both; per service or for all (docs/catalogue.md, "FIT-Connect")."""

    list_display = ("authority", "service", "mode", "destination_id")
    list_filter = ("mode",)
    search_fields = ("authority__name", "service__name", "destination_id")
    list_select_related = ("authority", "service")
    autocomplete_fields = ("service",)


@admin.register(Handover)
class HandoverAdmin(AuthorityScopedAdmin):
    """The hand-overs and what the platform answered (read-only: retry on the staff page)."""

    authority_field = "application__authority"
    read_only_for_scoped = True
    list_display = ("application", "state", "attempts", "submitted_at", "last_error")
    list_filter = ("state", "mode")
    search_fields = ("application__reference", "submission_id", "case_id")
    list_select_related = ("application__service",)
    readonly_fields = [f.name for f in Handover._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SamlIdentity)
class SamlIdentityAdmin(admin.ModelAdmin[SamlIdentity]):
    """BundID links (read-only): made by a login, removed with the account."""

    list_display = ("user", "issuer", "level", "last_login_at")
    list_filter = ("level",)
    search_fields = ("user__email",)
    readonly_fields = ("user", "issuer", "subject", "level", "created_at", "last_login_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


# The XZuFi import's tables (runs, organisational units, Zuständigkeiten).
from .xzufi import admin as xzufi_admin  # noqa: E402, F401
