"""FIT-Connect hand-over: which office receives its online applications through FIT-Connect
(FitConnectRoute), and how each application's hand-over went (Handover). Imported by
catalogue.models so Django sees the models; imports nothing of the catalogue itself (the
foreign keys are by name), so catalogue.fitconnect may import both without a circle."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class HandoverMode(models.TextChoices):
    OFF = "off", _("aus: nur die Bearbeitungsseiten des Portals")
    FITCONNECT = "fitconnect", _("nur FIT-Connect: Bearbeitung im Fachverfahren")
    BOTH = "both", _("FIT-Connect und die Bearbeitungsseiten des Portals")


def validate_destination_id(value: str) -> None:
    try:
        uuid.UUID(value)
    except ValueError as exc:
        raise ValidationError(
            _("Die Destination-ID ist eine UUID, z. B. 2e0b9d1c-…-…; bitte prüfen Sie die Angabe.")
        ) from exc


class FitConnectRoute(models.Model):
    """An authority takes its online applications (all, or those of one service) through
    FIT-Connect. Without a destination ID the Routing API is asked by the service's LeiKa key
    and the authority's ARS when an application is handed over."""

    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        on_delete=models.CASCADE,
        related_name="fitconnect_routes",
    )
    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("Dienstleistung"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leer = alle Dienstleistungen der Behörde."),
    )
    mode = models.CharField(
        _("Empfang der Anträge"),
        max_length=20,
        choices=HandoverMode.choices,
        default=HandoverMode.BOTH,
    )
    destination_id = models.CharField(
        _("Destination-ID"),
        max_length=36,
        blank=True,
        validators=[validate_destination_id],
        help_text=_(
            "Leer = über die Routing-API nach LeiKa-Schlüssel der Leistung und ARS der Behörde "
            "ermitteln."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("FIT-Connect-Empfang")
        verbose_name_plural = _("FIT-Connect-Empfang")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "service"],
                name="one_fitconnect_route_per_authority_and_service",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority} – {self.get_mode_display()}"

    def clean(self) -> None:
        """Without a destination ID the Routing API needs the area key and the LeiKa key."""
        if self.mode == HandoverMode.OFF or self.destination_id or self.authority_id is None:
            return
        if not (self.authority.ars or self.authority.ags):
            raise ValidationError(
                {
                    "destination_id": _(
                        "Die Behörde hat keinen Regionalschlüssel (ARS/AGS): Bitte tragen Sie "
                        "die Destination-ID ein."
                    )
                }
            )
        if self.service is not None and not self.service.leika_key:
            raise ValidationError(
                {
                    "destination_id": _(
                        "Die Leistung hat keinen LeiKa-Schlüssel: Bitte tragen Sie die "
                        "Destination-ID ein."
                    )
                }
            )


class Handover(models.Model):
    """The hand-over of one application through FIT-Connect and what the platform's event log
    says about it. Every step is recorded, so a retry continues where the last one stopped
    (the same submission, the same announced attachment IDs): nothing is sent twice."""

    class State(models.TextChoices):
        PENDING = "pending", _("Übermittlung ausstehend")
        SUBMITTED = "submitted", _("übermittelt")
        ACCEPTED = "accepted", _("angenommen")
        REJECTED = "rejected", _("abgelehnt")
        FAILED = "failed", _("Übermittlung abgewiesen")

    application = models.OneToOneField(
        "catalogue.Application", on_delete=models.CASCADE, related_name="fitconnect_handover"
    )
    mode = models.CharField(max_length=20, choices=HandoverMode.choices)
    state = models.CharField(
        _("Stand"), max_length=20, choices=State.choices, default=State.PENDING
    )
    destination_id = models.CharField(_("Destination-ID"), max_length=36, blank=True)
    submission_id = models.CharField(_("Submission-ID"), max_length=36, blank=True)
    case_id = models.CharField(_("Case-ID"), max_length=36, blank=True)
    # {str(Attachment.pk): {"id": announced UUID, "uploaded": bool}}
    attachments = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveIntegerField(_("Versuche"), default=0)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), null=True, blank=True)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    submitted_at = models.DateTimeField(_("übermittelt am"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("abgelehnt am"), null=True, blank=True)
    reject_reason = models.TextField(_("Ablehnungsgrund"), blank=True)
    # The verified security event tokens read so far: [{"jti", "event", "iat", "iss"}].
    events = models.JSONField(default=list, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("FIT-Connect-Übermittlung")
        verbose_name_plural = _("FIT-Connect-Übermittlungen")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="handover_due")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_state_display()}"

    @property
    def worked_elsewhere(self) -> bool:
        """The office works this application in its own system (mode "fitconnect"), unless
        the hand-over was refused: then the portal's staff pages take it, nothing is lost."""
        return self.mode == HandoverMode.FITCONNECT and self.state != self.State.FAILED

    @property
    def citizen_label(self) -> str:
        """What the applicant sees: a refusal by the platform is the office's business."""
        if self.state in (self.State.PENDING, self.State.FAILED):
            return str(self.State.PENDING.label)
        return str(self.get_state_display())

    @property
    def is_open(self) -> bool:
        """Still waiting: for the platform (pending) or for the office's answer (submitted)."""
        return self.state in (self.State.PENDING, self.State.SUBMITTED)
