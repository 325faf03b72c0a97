"""Retention periods set by the authorities, legal holds set by staff, and the append-only
access log of staff reads and exports of personal data."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordType(models.TextChoices):
    """Kinds of records with a retention period (all periods in months; see docs/privacy.md
    for what happens when one ends)."""

    REPORT_CONTACT = "report_contact", _("Meldungen: Kontaktdaten der meldenden Person")
    REPORT = "report", _("Meldungen: Anonymisierung")
    APPLICATION = "application", _("Anträge: Anonymisierung")
    MESSAGE = "message", _("Postfachnachrichten")
    ACCESS_LOG = "access_log", _("Zugriffsprotokoll")


# The portal's defaults in months, used where neither the authority nor the portal set a
# period (docs/privacy.md lists them; the record of processing activities reads them here).
DEFAULT_MONTHS: dict[str, int] = {
    RecordType.REPORT_CONTACT: 6,
    RecordType.REPORT: 36,
    RecordType.APPLICATION: 72,
    RecordType.MESSAGE: 24,
    RecordType.ACCESS_LOG: 24,
}

MAX_MONTHS = 1200


def validate_period(value: int) -> None:
    if value is None:
        return
    if value < 0:
        raise ValidationError(
            _("Eine Aufbewahrungsfrist kann nicht negativ sein (0 = beim nächsten Lauf löschen)."),
            code="negative_period",
        )
    if value > MAX_MONTHS:
        raise ValidationError(
            _("Höchstens %(max)s Monate (100 Jahre).") % {"max": MAX_MONTHS}, code="too_long"
        )


class RetentionPolicy(models.Model):
    """How long one kind of record is kept, for one authority or (no authority) portal-wide."""

    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="retention_policies",
        help_text=_("Leer = Vorgabe für das ganze Portal."),
    )
    record_type = models.CharField(_("Art der Daten"), max_length=20, choices=RecordType.choices)
    months = models.IntegerField(
        _("Frist (Monate)"),
        validators=[validate_period],
        help_text=_(
            "Kontaktdaten, Anonymisierung, Anträge und Nachrichten: Monate nach dem Abschluss; "
            "Zugriffsprotokoll: Monate nach dem Eintrag."
        ),
    )
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Aufbewahrungsfrist")
        verbose_name_plural = _("Aufbewahrungsfristen")
        ordering = ["authority__name", "record_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "record_type"],
                name="retention_policy_once",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=models.Q(months__gte=0), name="retention_months_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.months}"


class LegalHold(models.Model):
    """While a hold is active (not released), no retention job touches the record."""

    kind = models.CharField(_("Art"), max_length=20)
    object_id = models.BigIntegerField(_("Datensatz"))
    reference = models.CharField(_("Aktenzeichen"), max_length=40)
    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.TextField(_("Grund"), max_length=2000)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("gesetzt von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("gesetzt am"), auto_now_add=True)
    released_at = models.DateTimeField(_("aufgehoben am"), null=True, blank=True)
    released_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("aufgehoben von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Aufbewahrungssperre")
        verbose_name_plural = _("Aufbewahrungssperren")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "object_id"], name="legal_hold_target")]

    def __str__(self) -> str:
        return f"{self.reference} ({self.kind})"

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class AccessLogEntry(models.Model):
    """One staff read or export of personal data, or an admin change to it. Append-only: rows
    are never updated; only the retention job deletes them when their period has ended."""

    class Action(models.TextChoices):
        VIEW = "view", _("angesehen")
        EXPORT = "export", _("exportiert")
        CHANGE = "change", _("geändert")

    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("wer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_email = models.CharField(_("wer (E-Mail)"), max_length=254)
    action = models.CharField(_("was"), max_length=10, choices=Action.choices)
    channel = models.CharField(_("Weg"), max_length=20)  # page, api, admin, export
    kind = models.CharField(_("Art"), max_length=20)  # report, application, subject
    object_id = models.BigIntegerField(_("Datensatz"), null=True)
    reference = models.CharField(_("Aktenzeichen"), max_length=40, blank=True)
    fields = models.CharField(_("Felder"), max_length=300, blank=True)
    reason = models.CharField(_("Grund"), max_length=500, blank=True)
    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("wann"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Zugriffsprotokoll")
        verbose_name_plural = _("Zugriffsprotokoll")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor_email} {self.get_action_display()} {self.reference}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("Das Zugriffsprotokoll kann nicht geändert werden."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(_("Das Zugriffsprotokoll kann nicht geändert werden."))


def _export_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class DataExport(models.Model):
    """A copy of one person's data (Art. 15/20 DSGVO) as a ZIP: asked for by the citizen in the
    Bürgerkonto, or by staff for a guest, who must confirm by the e-mailed link first. Built
    by the outbox kind "privacy.build_export"; downloadable only by its subject (the account,
    or whoever holds the guest's link) until `expires_at`, then deleted with its file."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("wartet auf Bestätigung")
        QUEUED = "queued", _("wird erstellt")
        READY = "ready", _("bereit")
        FAILED = "failed", _("fehlgeschlagen")

    token = models.CharField(max_length=64, unique=True, default=_export_token, editable=False)
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("Konto"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    email = models.EmailField(_("E-Mail-Adresse"))
    language = models.CharField(max_length=8, default="de")
    status = models.CharField(
        _("Stand"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("beantragt von (Mitarbeitende)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(_("Datei"), upload_to="privacy-exports/", blank=True)
    size = models.PositiveBigIntegerField(_("Größe (Bytes)"), default=0)
    created_at = models.DateTimeField(_("angefordert am"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    ready_at = models.DateTimeField(_("bereit seit"), null=True, blank=True)
    expires_at = models.DateTimeField(_("gültig bis"))

    class Meta:
        verbose_name = _("Datenauskunft")
        verbose_name_plural = _("Datenauskünfte")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"

    @property
    def is_guest(self) -> bool:
        return self.user_id is None
