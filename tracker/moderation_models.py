"""Moderation data: an authority's choice how citizens' comments are published, and citizens'
"Missbrauch melden" flags on reports. Changed through tracker.services.moderation only.

Kept apart from tracker.models (which imports this module at its end) so that neither file
grows too large; foreign keys name their targets as strings."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class ModerationSettings(models.Model):
    """Per authority: are citizens' comments (e.g. Open311 updates from a FixMyStreet app)
    public at once, or only after a staff member published them? No row = at once."""

    class Comments(models.TextChoices):
        IMMEDIATELY = "immediately", _("sofort veröffentlichen")
        AFTER_REVIEW = "after_review", _("erst nach Prüfung veröffentlichen")

    authority = models.OneToOneField(
        "boundaries.Authority",
        verbose_name=_("Stelle"),
        on_delete=models.CASCADE,
        related_name="moderation_settings",
    )
    citizen_comments = models.CharField(
        _("Kommentare von Bürgerinnen und Bürgern"),
        max_length=20,
        choices=Comments.choices,
        default=Comments.IMMEDIATELY,
        help_text=_(
            "Nach Prüfung: neue Kommentare erscheinen in der Arbeitsliste unter "
            "„Kommentare prüfen“ und werden erst nach der Freigabe öffentlich."
        ),
    )

    class Meta:
        verbose_name = _("Moderation")
        verbose_name_plural = _("Moderation")

    def __str__(self) -> str:
        return str(self.authority)


class AbuseFlag(models.Model):
    """A citizen's "Missbrauch melden" on a public report, open until staff resolve it."""

    class Reason(models.TextChoices):
        PERSONAL_DATA = "personal_data", _("Persönliche Daten (Name, Gesicht, Kennzeichen)")
        OFFENSIVE = "offensive", _("Beleidigend oder diskriminierend")
        SPAM = "spam", _("Werbung oder Spam")
        FALSE = "false", _("Falsche oder irreführende Angaben")
        OTHER = "other", _("Sonstiges")

    report = models.ForeignKey(
        "tracker.Report", on_delete=models.CASCADE, related_name="abuse_flags"
    )
    reason = models.CharField(_("Grund"), max_length=20, choices=Reason.choices)
    text = models.TextField(_("Hinweis"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("gemeldet am"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Missbrauchsmeldung")
        verbose_name_plural = _("Missbrauchsmeldungen")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["report"],
                condition=models.Q(resolved_at__isnull=True),
                name="abuseflag_open_by_report",
            )
        ]
