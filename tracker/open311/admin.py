"""Admin: issue and revoke API keys (trusted clients, back-office keys acting as an account);
edit each category's Open311 attributes; configure forwarding to authorities' own Open311
systems and read its log; read the updates clients posted."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from outbox.models import OutboxMessage

from .models import (
    ApiKey,
    OutboundDelivery,
    OutboundEndpoint,
    RequestAttributes,
    RequestUpdate,
    Service,
    ServiceAttribute,
)
from .outbound import resend
from .services import api_key_issue, api_key_revoke


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    list_display = (
        "name",
        "prefix",
        "contact",
        "trusted",
        "acts_as",
        "is_active",
        "revoked_at",
        "last_used_at",
    )
    list_filter = ("is_active", "trusted")
    search_fields = ("name", "contact", "prefix")
    fields = (
        "name",
        "contact",
        "prefix",
        "is_active",
        "trusted",
        "acts_as",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    raw_id_fields = ("acts_as",)
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form: ModelForm, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new key is issued by the service; the plain key is shown this once only.
        issued, raw = api_key_issue(name=obj.name, contact=obj.contact)
        if obj.trusted or obj.acts_as_id is not None:
            issued.trusted, issued.acts_as_id = obj.trusted, obj.acts_as_id
            issued.save(update_fields=["trusted", "acts_as"])
        obj.pk = issued.pk
        obj.key_hash, obj.prefix, obj.created_at = issued.key_hash, issued.prefix, issued.created_at
        obj._state.adding = False
        messages.warning(
            request,
            _(
                "Neuer API-Schlüssel für %(name)s: %(key)s — jetzt kopieren und sicher "
                "übergeben; er wird nicht noch einmal angezeigt."
            )
            % {"name": issued.name, "key": raw},
        )

    @admin.action(description=_("Ausgewählte Schlüssel widerrufen"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset:
            api_key_revoke(key)
        self.message_user(request, _("%(n)d Schlüssel widerrufen.") % {"n": queryset.count()})

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> Any:
        if obj is not None and obj.revoked_at is not None:
            return (*self.readonly_fields, "is_active")
        return self.readonly_fields


class ServiceAttributeInline(admin.TabularInline[ServiceAttribute, Service]):
    model = ServiceAttribute
    fk_name = "category"
    extra = 0
    fields = (
        "order",
        "code",
        "datatype",
        "required",
        "variable",
        "description",
        "datatype_description",
        "values",
    )


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    """Categories seen as Open311 services: only their attributes are edited here."""

    list_display = ("slug", "name", "is_active")
    search_fields = ("slug", "name")
    fields = ("slug", "name", "description")
    readonly_fields = ("slug", "name", "description")
    inlines = [ServiceAttributeInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RequestAttributes)
class RequestAttributesAdmin(admin.ModelAdmin[RequestAttributes]):
    list_display = ("report", "api_key", "device_id", "account_id", "created_at")
    list_select_related = ("report", "report__category", "api_key")
    readonly_fields = ("report", "api_key", "values", "device_id", "account_id", "media_url")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(OutboundEndpoint)
class OutboundEndpointAdmin(admin.ModelAdmin[OutboundEndpoint]):
    list_display = ("authority", "url", "jurisdiction_id", "send_contact", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("authority",)
    search_fields = ("authority__name", "url")
    raw_id_fields = ("authority",)
    fields = (
        "authority",
        "url",
        "api_key",
        "jurisdiction_id",
        "service_codes",
        "send_contact",
        "is_active",
    )


class DeliveryStatusFilter(admin.SimpleListFilter):
    """The status lives on the delivery's outbox row."""

    title = _("Status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return OutboxMessage.Status.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.value():
            return queryset
        ids = OutboxMessage.objects.filter(
            target_kind=OutboundDelivery.TARGET, status=self.value()
        ).values("target_id")
        return queryset.filter(pk__in=ids)


@admin.register(OutboundDelivery)
class OutboundDeliveryAdmin(admin.ModelAdmin[OutboundDelivery]):
    """The log: read-only; the only action sends a given-up delivery once more. Status,
    attempts and the answer are read from the delivery's outbox row."""

    list_display = (
        "report",
        "endpoint",
        "status",
        "attempts",
        "remote_id",
        "response_status",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = (DeliveryStatusFilter, "endpoint")
    list_select_related = ("report", "report__category", "endpoint", "endpoint__authority")
    search_fields = ("remote_id", "remote_token", "report__id")
    readonly_fields = (
        "report",
        "endpoint",
        "status",
        "attempts",
        "remote_id",
        "remote_token",
        "response_status",
        "response_excerpt",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "created_at",
    )
    fields = readonly_fields
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Gescheiterte Übermittlungen erneut senden"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboundDelivery]) -> None:
        count = sum(1 for delivery in queryset if resend(delivery))
        self.message_user(request, _("%(n)d Übermittlung(en) erneut eingeplant.") % {"n": count})


@admin.register(RequestUpdate)
class RequestUpdateAdmin(admin.ModelAdmin[RequestUpdate]):
    list_display = ("report", "api_key", "client_update_id", "status", "event", "created_at")
    list_select_related = ("report", "report__category", "api_key")
    search_fields = ("client_update_id", "report__id")
    readonly_fields = (
        "report",
        "api_key",
        "client_update_id",
        "status",
        "event",
        "media_url",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
