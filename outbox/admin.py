"""Admin: the whole outbox, for superusers (apps show their own slice, e.g. the webhook
delivery log in notifications.admin)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import delivery
from .models import OutboxMessage


class RetryMixin:
    @admin.action(description=_("Erneut zustellen"))
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        for message_id in queryset.exclude(status=OutboxMessage.Status.SENT).values_list(
            "pk", flat=True
        ):
            delivery.requeue(message_id)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(RetryMixin, admin.ModelAdmin):
    actions = ["retry"]
    list_display = ["created_at", "kind", "idempotency_key", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["idempotency_key"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
