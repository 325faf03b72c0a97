"""Participation on development plans (Bebauungspläne, public display and statements under
§ 3 BauGB): a plan with its area, documents and display period, the statements citizens
submit during that period, their attachments and their history (docs/participation.md)."""

from __future__ import annotations

import secrets
import uuid

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo.srid import WGS84


class AccessLevel(models.TextChoices):
    """Who may submit a statement, from lowest to highest (accounts.User.AssuranceLevel)."""

    GUEST = "guest", _("ohne Konto (E-Mail-Adresse wird bestätigt)")
    REGISTERED = "registered", _("Bürgerkonto (E-Mail bestätigt)")
    VERIFIED = "verified", _("geprüfte Identität (eID / BundID)")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf (nicht öffentlich)")
    DISPLAY = "display", _("Öffentliche Auslegung")
    CLOSED = "closed", _("Auslegung beendet")
    RESULT = "result", _("Ergebnis veröffentlicht")


# Plans whose page, area and documents are public.
PUBLIC_STATUSES = (PlanStatus.DISPLAY, PlanStatus.CLOSED, PlanStatus.RESULT)


class Plan(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    title = models.CharField(_("Titel"), max_length=200)
    number = models.CharField(
        _("Nummer"), max_length=40, blank=True, help_text=_("Z. B. „Nr. 12“ oder „B-Plan 3/2026“.")
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    area = models.MultiPolygonField(_("Geltungsbereich"), srid=WGS84, null=True, blank=True)
    display_start = models.DateTimeField(_("Auslegung ab"))
    display_end = models.DateTimeField(
        _("Auslegung bis"), help_text=_("Stellungnahmen werden bis zu diesem Zeitpunkt angenommen.")
    )
    access_level = models.CharField(
        _("Stellungnahme möglich für"),
        max_length=20,
        choices=AccessLevel.choices,
        default=AccessLevel.GUEST,
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    result_text = models.TextField(_("Ergebnis der Abwägung"), blank=True)
    result_document = models.FileField(
        _("Ergebnis (PDF)"), upload_to="participation/results/", blank=True
    )
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    result_published_at = models.DateTimeField(
        _("Ergebnis veröffentlicht am"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Bebauungsplan")
        verbose_name_plural = _("Bebauungspläne")
        ordering = ["-display_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(display_end__gt=models.F("display_start")),
                name="plan_display_period_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("participation:plan", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def is_open(self, now: object = None) -> bool:
        """Statements are accepted: on display and inside the period."""
        moment = now or timezone.now()
        return (
            self.status == PlanStatus.DISPLAY and self.display_start <= moment < self.display_end  # type: ignore[operator]
        )


class PlanDocument(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("Titel"), max_length=200)
    file = models.FileField(_("Datei (PDF)"), upload_to="participation/documents/")
    size = models.PositiveIntegerField(_("Größe in Bytes"), default=0)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)
    created_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Planunterlage")
        verbose_name_plural = _("Planunterlagen")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class StatementStatus(models.TextChoices):
    """Where a statement stands in the consideration (Abwägung)."""

    RECEIVED = "received", _("eingegangen")
    IN_REVIEW = "in_review", _("in Prüfung")
    ACCEPTED = "accepted", _("berücksichtigt")
    PARTLY = "partly", _("teilweise berücksichtigt")
    NOT_ACCEPTED = "not_accepted", _("nicht berücksichtigt")
    NOTED = "noted", _("zur Kenntnis genommen")


def _token() -> str:
    return secrets.token_urlsafe(24)


class Statement(models.Model):
    """A citizen's statement (Stellungnahme). Guests give an e-mail address and confirm it by
    the link they are sent; until then the statement is not passed on to the staff."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="statements")
    author = models.ForeignKey(
        "accounts.User",
        verbose_name=_("Konto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
    )
    name = models.CharField(_("Name"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    text = models.TextField(_("Stellungnahme"))
    pin = models.PointField(_("Ort im Plangebiet"), srid=WGS84, null=True, blank=True)
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    submitted_at = models.DateTimeField(_("eingegangen am"), default=timezone.now)
    receipt = models.CharField(_("Eingangsnummer"), max_length=40, unique=True)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    confirmed_at = models.DateTimeField(_("E-Mail bestätigt am"), null=True, blank=True)
    tags = ArrayField(
        models.CharField(max_length=40), verbose_name=_("Schlagworte"), default=list, blank=True
    )
    status = models.CharField(
        _("Stand"), max_length=20, choices=StatementStatus.choices, default=StatementStatus.RECEIVED
    )
    answer = models.TextField(_("Antwort der Verwaltung"), blank=True)
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Stellungnahme")
        verbose_name_plural = _("Stellungnahmen")
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["plan", "submitted_at"], name="statement_plan_time")]

    def __str__(self) -> str:
        return self.receipt

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def author_email(self) -> str:
        return self.author.email if self.author_id and self.author else self.email


class StatementAttachment(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("Datei"), upload_to="participation/statements/")
    original_name = models.CharField(_("Dateiname"), max_length=120)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("Anlage zur Stellungnahme")
        verbose_name_plural = _("Anlagen zu Stellungnahmen")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class StatementEvent(models.Model):
    """The statement's history (append-only): who did what when."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("eingegangen")
        CONFIRMED = "confirmed", _("E-Mail bestätigt")
        TAGGED = "tagged", _("verschlagwortet")
        ANSWERED = "answered", _("beantwortet")
        RESULT = "result", _("Ergebnis mitgeteilt")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlauf der Stellungnahmen")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.statement} {self.kind}"
