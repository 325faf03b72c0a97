"""Opt-outs, follows, area alerts, webhooks and read markers.

Every notification starts as an outbox row (outbox.OutboxMessage) written in the same
transaction as the state change that caused it (outbox.enqueue_on_commit). Celery only
carries the row's id; the row is the truth about what still has to be sent
(docs/notifications.md).
"""

from __future__ import annotations

import secrets

from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.net import validate_public_url
from outbox.models import OutboxMessage


class WebhookDelivery(OutboxMessage):
    """The webhook rows of the outbox (target_kind "webhook", target_id = the endpoint), as
    the delivery log in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("Webhook-Zustellung")
        verbose_name_plural = _("Webhook-Zustellungen")

    @cached_property
    def webhook(self) -> WebhookEndpoint | None:
        if self.target_kind != OutboxMessage.WEBHOOK or self.target_id is None:
            return None
        return WebhookEndpoint.objects.select_related("authority").filter(pk=self.target_id).first()


class EmailOptOut(models.Model):
    """An address that used an unsubscribe link. `scope` names what it no longer wants:
    "report:<id>" (updates of one report), "alert:<id>" (one area alert), "authority-new"
    (new-report mails to an authority address), "digest" (overdue digests), "all"."""

    email = models.EmailField(_("E-Mail"))
    scope = models.CharField(_("Bereich"), max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Abmeldung")
        verbose_name_plural = _("Abmeldungen")
        constraints = [
            models.UniqueConstraint(fields=["email", "scope"], name="optout_once_per_scope")
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.scope}"


class Follow(models.Model):
    """Someone follows a report's public updates without supporting it (supporters follow
    automatically through tracker.Support)."""

    report = models.ForeignKey("tracker.Report", on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Abonnement einer Meldung")
        verbose_name_plural = _("Abonnements von Meldungen")
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="follow_once_per_user")
        ]


class AreaAlert(models.Model):
    """New public reports inside an area (a Gemeinde's territory or a circle), optionally of
    one category, by email at once or as a daily digest."""

    class Frequency(models.TextChoices):
        INSTANT = "instant", _("sofort")
        DAILY = "daily", _("täglich (Zusammenfassung)")

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="area_alerts")
    name = models.CharField(_("Bezeichnung"), max_length=100)
    # The area is stored, whatever it was drawn from, so matching is one ST_Covers.
    area = models.MultiPolygonField(_("Gebiet"), srid=4326)
    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Gemeinde"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    radius_m = models.PositiveIntegerField(_("Radius (m)"), null=True, blank=True)
    category = models.ForeignKey(
        "tracker.Category",
        verbose_name=_("Kategorie"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    frequency = models.CharField(
        _("Häufigkeit"), max_length=10, choices=Frequency.choices, default=Frequency.INSTANT
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Daily digests cover reports made public after this moment.
    digest_since = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Gebietsbenachrichtigung")
        verbose_name_plural = _("Gebietsbenachrichtigungen")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


def _secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """A back-office system of an authority that receives signed JSON on report events."""

    class Event(models.TextChoices):
        CREATED = "report.created", _("neue Meldung")
        STATUS = "report.status", _("Statusänderung")
        FORWARDED = "report.forwarded", _("Weiterleitung")
        COMMENT = "report.comment", _("öffentlicher Kommentar")

    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        on_delete=models.CASCADE,
        related_name="webhooks",
    )
    url = models.URLField(_("URL"), max_length=500, validators=[validate_public_url])
    secret = models.CharField(
        _("Geheimnis"),
        max_length=100,
        default=_secret,
        help_text=_("Schlüssel für die HMAC-SHA256-Signatur; nur der Empfänger darf ihn kennen."),
    )
    events = models.JSONField(
        _("Ereignisse"),
        default=list,
        blank=True,
        help_text=_("Leer = alle Ereignisse."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    description = models.CharField(_("Beschreibung"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Webhook")
        verbose_name_plural = _("Webhooks")
        ordering = ["authority__name", "url"]

    def __str__(self) -> str:
        return f"{self.authority}: {self.url}"

    def wants(self, event: str) -> bool:
        return self.is_active and (not self.events or event in self.events)


class ReportView(models.Model):
    """When a user last opened a report: everything after it is an unread update."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey("tracker.Report", on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Gelesen-Markierung")
        verbose_name_plural = _("Gelesen-Markierungen")
        constraints = [
            models.UniqueConstraint(fields=["user", "report"], name="report_view_once_per_user")
        ]
