"""Idempotency keys of report creation (POST /api/v1/reports with an `Idempotency-Key`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A client-chosen key (UUID) and the report its first request created.

    The same key with the same request again returns that report instead of filing a second one
    (an offline phone that retries, a Background Sync that fires twice). The unique constraint
    makes concurrent requests with one key wait for the first; rows are purged after
    settings.IDEMPOTENCY_KEY_RETENTION_DAYS (beat, tracker.purge_idempotency_keys)."""

    scope = models.CharField(_("Bereich"), max_length=40)
    key = models.UUIDField(_("Schlüssel"))
    fingerprint = models.CharField(_("Prüfsumme der Anfrage"), max_length=64)
    report = models.ForeignKey(
        "tracker.Report",
        verbose_name=_("Meldung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Idempotenzschlüssel")
        verbose_name_plural = _("Idempotenzschlüssel")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
