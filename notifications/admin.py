"""Admin: webhooks and their delivery log for authority admins (scoped to their authorities
with accounts.admin_scope), opt-outs and area alerts for superusers. The whole outbox is in
outbox.admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin_scope import AuthorityScopedAdmin, admin_authority_ids, is_superuser
from outbox.admin import RetryMixin
from outbox.models import OutboxMessage

from .models import AreaAlert, EmailOptOut, WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(AuthorityScopedAdmin):
    list_display = ["url", "authority", "is_active", "description"]
    list_filter = ["is_active"]
    search_fields = ["url", "description"]
    fields = ["authority", "url", "events", "is_active", "description", "secret"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(RetryMixin, AuthorityScopedAdmin):
    """The delivery log: what was sent where, what came back, how often it was tried."""

    authority_field = "webhook__authority"
    read_only_for_scoped = True
    actions = ["retry"]
    list_display = [
        "created_at",
        "webhook",
        "event",
        "status",
        "attempts",
        "response_status",
        "response_size",
        "sent_at",
        "next_attempt_at",
    ]
    list_filter = ["status"]
    readonly_fields = [
        "webhook",
        "idempotency_key",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "response_status",
        "response_size",
        "last_error",
        "payload",
        "created_at",
    ]
    # Never the receiver's answer: status code and size only (an internal service's body must
    # not come back to an authority admin through a webhook URL, see core.net).
    exclude = ["kind", "parent", "target_kind", "target_id", "response_excerpt"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # The outbox points at its endpoint by id (target_id), not by a foreign key, so the
        # authority scope is applied through the endpoints' ids.
        queryset = admin.ModelAdmin.get_queryset(self, request).filter(
            kind=OutboxMessage.WEBHOOK, target_kind=OutboxMessage.WEBHOOK
        )
        if is_superuser(request):
            return queryset
        endpoints = WebhookEndpoint.objects.filter(authority_id__in=admin_authority_ids(request))
        return queryset.filter(target_id__in=endpoints.values("pk"))

    @admin.display(description=_("Ereignis"))
    def event(self, obj: OutboxMessage) -> str:
        return str(obj.payload.get("event", ""))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Read-only for everyone; the retry action is allowed to whoever may view.
        return False

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        if not self.has_view_permission(request):
            return {}
        return actions


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ["email", "scope", "created_at"]
    search_fields = ["email"]


@admin.register(AreaAlert)
class AreaAlertAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "authority", "category", "frequency", "is_active"]
    list_filter = ["frequency", "is_active"]
    raw_id_fields = ["user"]
    exclude = ["area"]
