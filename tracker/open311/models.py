"""Open311 clients (API keys), service definitions (attributes per category) and what an
Open311 request brings beyond a plain report (attribute values, device and account ids,
token). The report itself is a tracker.Report, filed through tracker.services.report_create."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator, URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.net import validate_public_url
from outbox.models import OutboxMessage
from tracker.models import Category


class ApiKey(models.Model):
    """A key issued to one client application. Only a SHA-256 hash of the key is stored; the
    plain key is shown once, when it is issued (see admin)."""

    name = models.CharField(_("Anwendung"), max_length=150)
    contact = models.CharField(
        _("Kontakt"), max_length=300, blank=True, help_text=_("Ansprechperson, E-Mail, Telefon")
    )
    # Keys are 256-bit random strings: a plain SHA-256 needs no salt or stretching, and lets
    # the lookup be an indexed equality match.
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("Schlüsselanfang"),
        max_length=8,
        editable=False,
        help_text=_("Die ersten Zeichen, um einen Schlüssel wiederzuerkennen."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    # A client that verified the citizen itself (e.g. a town's app with its own login): its
    # reports are public at once instead of waiting for our confirmation e-mail.
    trusted = models.BooleanField(
        _("vertrauenswürdig"),
        default=False,
        help_text=_(
            "Die Anwendung prüft die meldenden Personen selbst: ihre Meldungen sind sofort "
            "bestätigt und öffentlich."
        ),
    )
    # The back-office system of an authority changes the workflow status through
    # POST servicerequestupdates in the name of this account (with its roles, checked by
    # tracker.permissions like any staff member). Without it, updates are citizens' comments.
    acts_as = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handelt als"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="open311_keys",
        help_text=_(
            "Nur für Fachverfahren einer Stelle: Statusänderungen per servicerequestupdates "
            "laufen im Namen dieses Kontos (es braucht die Rolle Disposition bei der Stelle). "
            "Leer: Aktualisierungen sind öffentliche Kommentare von Bürgerinnen und Bürgern."
        ),
    )
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("ausgestellt am"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API-Schlüssel")
        verbose_name_plural = _("API-Schlüssel")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.is_active and self.revoked_at is None


class Datatype(models.TextChoices):
    """The six datatypes of GeoReport v2 service definitions."""

    STRING = "string", _("Text (einzeilig)")
    NUMBER = "number", _("Zahl")
    DATETIME = "datetime", _("Datum/Uhrzeit")
    TEXT = "text", _("Text (mehrzeilig)")
    SINGLEVALUELIST = "singlevaluelist", _("Auswahl (ein Wert)")
    MULTIVALUELIST = "multivaluelist", _("Auswahl (mehrere Werte)")


LIST_DATATYPES = (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST)

attribute_code = RegexValidator(
    r"^[A-Za-z0-9_.-]+$", _("Nur Buchstaben, Ziffern, Punkt, Binde- und Unterstrich.")
)


def _validate_values(values: Any) -> None:
    if not isinstance(values, list) or not all(
        isinstance(v, dict)
        and isinstance(v.get("key"), str)
        and v["key"]
        and isinstance(v.get("name"), str)
        for v in values
    ):
        raise ValidationError(
            _('Werte als Liste von {"key": "...", "name": "..."} angeben (key und name als Text).')
        )
    keys = [v["key"] for v in values]
    if len(set(keys)) != len(keys):
        raise ValidationError(_("Jeder key darf nur einmal vorkommen."))


class ServiceAttribute(models.Model):
    """One field of a category's Open311 service definition (GET services/{code})."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("Kategorie"),
        on_delete=models.CASCADE,
        related_name="open311_attributes",
    )
    code = models.CharField(_("Code"), max_length=50, validators=[attribute_code])
    datatype = models.CharField(
        _("Datentyp"), max_length=20, choices=Datatype.choices, default=Datatype.STRING
    )
    required = models.BooleanField(_("Pflichtfeld"), default=False)
    variable = models.BooleanField(
        _("Eingabe"),
        default=True,
        help_text=_("Aus: nur ein Hinweis für die meldende Person, keine Eingabe."),
    )
    order = models.PositiveSmallIntegerField(
        _("Reihenfolge"), default=1, validators=[MinValueValidator(1)]
    )
    description = models.CharField(_("Frage / Beschreibung"), max_length=500)
    datatype_description = models.CharField(_("Hinweis zum Format"), max_length=300, blank=True)
    values = models.JSONField(
        _("Werte"),
        default=list,
        blank=True,
        validators=[_validate_values],
        help_text=_('Nur für Auswahlen: [{"key": "klein", "name": "kleiner als 20 cm"}, …]'),
    )

    class Meta:
        verbose_name = _("Open311-Attribut")
        verbose_name_plural = _("Open311-Attribute")
        ordering = ["category", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code"], name="open311_attribute_unique_code"
            ),
            models.UniqueConstraint(
                fields=["category", "order"], name="open311_attribute_unique_order"
            ),
            models.CheckConstraint(
                condition=models.Q(order__gte=1), name="open311_attribute_order_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category.slug}/{self.code}"

    def clean(self) -> None:
        super().clean()
        if self.datatype in LIST_DATATYPES and not self.values:
            raise ValidationError({"values": _("Eine Auswahl braucht mindestens einen Wert.")})
        if self.datatype not in LIST_DATATYPES and self.values:
            raise ValidationError({"values": _("Werte gibt es nur bei Auswahlen.")})
        if not self.variable and self.required:
            raise ValidationError({"required": _("Ein reiner Hinweis kann nicht Pflicht sein.")})

    @property
    def keys(self) -> list[str]:
        return [str(v["key"]) for v in self.values or []]


class RequestAttributes(models.Model):
    """What an Open311 POST brought beyond the report: validated attribute values, the
    client's device and account ids, the media_url it named. Never public."""

    report = models.OneToOneField(
        "tracker.Report", on_delete=models.CASCADE, related_name="open311_attributes"
    )
    api_key = models.ForeignKey(
        ApiKey,
        verbose_name=_("API-Schlüssel"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    values = models.JSONField(_("Attribute"), default=dict, blank=True)
    device_id = models.CharField(_("Geräte-ID"), max_length=200, blank=True)
    account_id = models.CharField(_("Konto-ID beim Client"), max_length=200, blank=True)
    # Stored for staff, never fetched by us (no requests to arbitrary URLs) nor republished.
    media_url = models.URLField(_("Medien-URL"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311-Angaben")
        verbose_name_plural = _("Open311-Angaben")

    def __str__(self) -> str:
        return f"Open311 {self.report_id}"


class RequestToken(models.Model):
    """GET tokens/{token}: maps a token handed to the client to its report. The token also
    lets the client see its own request before the reporter confirmed it."""

    token = models.CharField(max_length=64, unique=True)
    report = models.OneToOneField(
        "tracker.Report", on_delete=models.CASCADE, related_name="open311_token"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311-Token")
        verbose_name_plural = _("Open311-Tokens")

    def __str__(self) -> str:
        return self.token[:8]


class Service(Category):
    """Categories as Open311 services: a proxy so the admin can edit their attributes here
    without touching the tracker's own Category admin."""

    class Meta:
        proxy = True
        verbose_name = _("Open311-Dienst")
        verbose_name_plural = _("Open311-Dienste")


class RequestUpdate(models.Model):
    """An update a client posted (POST servicerequestupdates): the client's own update_id,
    unique per key, so a repeated POST finds the history entry it created the first time."""

    api_key = models.ForeignKey(
        ApiKey, verbose_name=_("API-Schlüssel"), on_delete=models.CASCADE, related_name="updates"
    )
    client_update_id = models.CharField(_("update_id des Clients"), max_length=100)
    report = models.ForeignKey(
        "tracker.Report", on_delete=models.CASCADE, related_name="open311_updates"
    )
    # The history entry the update became (the last one, when a status needed several steps).
    event = models.ForeignKey(
        "tracker.ReportEvent", null=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("Status (Client)"), max_length=40)
    # Stored for staff, never fetched by us nor republished (as RequestAttributes.media_url).
    media_url = models.URLField(_("Medien-URL"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311-Aktualisierung")
        verbose_name_plural = _("Open311-Aktualisierungen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["api_key", "client_update_id"], name="open311_update_once_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.api_key_id}/{self.client_update_id}"


def _validate_service_codes(value: Any) -> None:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
    ):
        raise ValidationError(
            _('Zuordnung als {"kategorie-kennung": "entfernter service_code", …} angeben.')
        )


class OutboundEndpoint(models.Model):
    """An authority that runs its own Open311 system: its new reports (routed or forwarded to
    it) are posted there as service requests (tracker.open311.outbound)."""

    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Stelle"),
        on_delete=models.CASCADE,
        related_name="open311_endpoints",
    )
    url = models.CharField(
        _("Basis-URL"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"]), validate_public_url],
        help_text=_(
            "z. B. https://fachverfahren.gemeinde.de/open311/v2/ — requests.xml wird angehängt."
        ),
    )
    api_key = models.CharField(
        _("API-Schlüssel beim Empfänger"),
        max_length=200,
        blank=True,
        help_text=_(
            "Wird im Klartext gespeichert: er muss bei jeder Übermittlung mitgesendet werden."
        ),
    )
    jurisdiction_id = models.CharField(_("jurisdiction_id"), max_length=100, blank=True)
    service_codes = models.JSONField(
        _("Zuordnung der Kategorien"),
        default=dict,
        blank=True,
        validators=[_validate_service_codes],
        help_text=_(
            'Kategorie-Kennung → service_code beim Empfänger, z. B. {"schlagloch": "POT"}. '
            "Nicht aufgeführte Kategorien werden mit ihrer Kennung gesendet."
        ),
    )
    send_contact = models.BooleanField(
        _("Kontaktdaten mitsenden"),
        default=True,
        help_text=_("E-Mail, Name und Telefon der meldenden Person (die Stelle ist zuständig)."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311-Weiterleitung")
        verbose_name_plural = _("Open311-Weiterleitungen")
        ordering = ["authority__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority"],
                condition=models.Q(is_active=True),
                name="open311_one_active_endpoint_per_authority",
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority} → {self.url}"

    def remote_code(self, category_slug: str) -> str:
        return str((self.service_codes or {}).get(category_slug) or category_slug)


class OutboundDelivery(models.Model):
    """One report handed to one endpoint: what the receiver calls it (remote id / token) and
    when it arrived. Unique per endpoint and report, so a report is never posted twice to the
    same endpoint. The sending itself — status, attempts, errors, the receiver's answer — is
    the outbox row with target ("open311.delivery", this id) (outbox.OutboxMessage)."""

    TARGET = "open311.delivery"

    endpoint = models.ForeignKey(
        OutboundEndpoint,
        verbose_name=_("Weiterleitung"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    report = models.ForeignKey(
        "tracker.Report",
        verbose_name=_("Meldung"),
        on_delete=models.CASCADE,
        related_name="open311_deliveries",
    )
    remote_id = models.CharField(_("service_request_id beim Empfänger"), max_length=200, blank=True)
    remote_token = models.CharField(_("token beim Empfänger"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("übermittelt am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311-Übermittlung")
        verbose_name_plural = _("Open311-Übermittlungen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "report"], name="open311_deliver_report_once"
            )
        ]
        indexes = [models.Index(fields=["endpoint", "remote_id"], name="open311_delivery_remote")]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.endpoint_id} ({self.status})"

    # The delivery log, read from the outbox row (None / "" while there is none).

    @property
    def message(self) -> OutboxMessage | None:
        return (
            OutboxMessage.objects.filter(target_kind=self.TARGET, target_id=self.pk)
            .order_by("-pk")
            .first()
        )

    @property
    def status(self) -> str:
        message = self.message
        if message is None:
            return OutboxMessage.Status.SENT if self.sent_at else OutboxMessage.Status.PENDING
        return message.status

    @property
    def attempts(self) -> int:
        message = self.message
        return message.attempts if message else 0

    @property
    def last_error(self) -> str:
        message = self.message
        return message.last_error if message else ""

    @property
    def response_status(self) -> int | None:
        message = self.message
        return message.response_status if message else None

    @property
    def response_excerpt(self) -> str:
        message = self.message
        return message.response_excerpt if message else ""

    @property
    def next_attempt_at(self) -> datetime | None:
        message = self.message
        if message is None or message.status != OutboxMessage.Status.PENDING:
            return None
        return message.next_attempt_at
