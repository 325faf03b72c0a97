"""The outbox row: one unit of work that leaves the system, and its delivery log."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One unit of outgoing work: an event to fan out (kind = a task name such as
    "notifications.report_updated"), one email, one webhook call, one Open311 request.

    `idempotency_key` is unique: the same work is stored (and so sent) once, however often a
    task is redelivered or a fan-out is repeated. `target_kind`/`target_id` name the object the
    row is delivered to (e.g. "webhook" + a notifications.WebhookEndpoint id) without a foreign
    key, because the outbox sits below every app that uses it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("ausstehend")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("endgültig fehlgeschlagen")
        CANCELLED = "cancelled", _("verworfen")

    EMAIL = "email"
    WEBHOOK = "webhook"

    kind = models.CharField(_("Art"), max_length=100, db_index=True)
    payload = models.JSONField(_("Inhalt"), default=dict)
    idempotency_key = models.CharField(_("Idempotenzschlüssel"), max_length=255, unique=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("Versuche"), default=0)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), default=timezone.now)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gesendet am"), null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # What the row is delivered to, and what its server answered (the delivery log).
    target_kind = models.CharField(_("Ziel (Art)"), max_length=50, blank=True, default="")
    target_id = models.PositiveBigIntegerField(_("Ziel (ID)"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("HTTP-Status"), null=True, blank=True)
    response_excerpt = models.TextField(_("Antwort (Auszug)"), blank=True)
    # Bytes the receiver answered with (its body is not kept for everyone: core.net).
    response_size = models.PositiveIntegerField(_("Antwort (Bytes)"), null=True, blank=True)

    class Meta:
        # The table the outbox had when it lived in the notifications app: moved, not copied.
        db_table = "notifications_outboxmessage"
        verbose_name = _("Benachrichtigung (Outbox)")
        verbose_name_plural = _("Benachrichtigungen (Outbox)")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The beat task's scan: due pending rows, oldest first.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="outbox_pending_due",
            ),
            models.Index(fields=["target_kind", "target_id"], name="outbox_target"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} [{self.idempotency_key}] {self.status}"
