"""The service catalogue (Serviceportal): services, per-authority overrides, online applications
with their history, attachments, postbox messages, fees and payments, tenant pages and
favourites. State changes go through catalogue.services; reads through catalogue.selectors."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from boundaries.models import Level

from .leika import validate_leika

# The text search configuration used for the stored vector and for every query. "german"
# ships with PostgreSQL (Snowball stemmer and stop words); synonyms are expanded in Python
# before the query is built (catalogue.search), so no dictionary file on the server is needed.
SEARCH_CONFIG = "german"


class ResponsibleLevel(models.TextChoices):
    """The tier that is responsible for a service by law (before delegation and overrides)."""

    KREIS = Level.KREIS.value, _("Landkreis")
    SAMTGEMEINDE = Level.SAMTGEMEINDE.value, _("Samtgemeinde (bei verbandsfreien: Gemeinde)")
    GEMEINDE = Level.GEMEINDE.value, _("Gemeinde / Stadt")


class AssuranceRequirement(models.TextChoices):
    """The minimum account level a service needs, ordered from lowest to highest."""

    GUEST = "guest", _("ohne Konto")
    REGISTERED = "registered", _("Bürgerkonto (E-Mail bestätigt)")
    VERIFIED = "verified", _("geprüfte Identität (eID / BundID)")


ASSURANCE_RANK = {
    AssuranceRequirement.GUEST: 0,
    AssuranceRequirement.REGISTERED: 1,
    AssuranceRequirement.VERIFIED: 2,
}


class LifeSituation(models.Model):
    """A Lebenslage ("Umzug", "Kind und Familie") that groups the services a citizen needs in
    it; the catalogue's first view (the A–Z list is the second)."""

    name = models.CharField(_("Name"), max_length=100)
    name_en = models.CharField(_("Name (Englisch)"), max_length=100, blank=True)
    slug = models.SlugField(_("Kurzname"), max_length=100, unique=True)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=200, blank=True)
    summary_en = models.CharField(_("Kurzbeschreibung (Englisch)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)

    class Meta:
        verbose_name = _("Lebenslage")
        verbose_name_plural = _("Lebenslagen")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def localized_name(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name

    def localized_summary(self, language: str) -> str:
        return self.summary_en if language == "en" and self.summary_en else self.summary


class Service(models.Model):
    """A service of the public administration that citizens can find and (maybe) apply for
    online. `form_schema` is the online form as data: a flat JSON Schema object with German
    titles (see docs/catalogue.md)."""

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=100, unique=True)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    keywords = models.TextField(
        _("Suchbegriffe"), blank=True, help_text=_("Alltagswörter, durch Komma getrennt.")
    )
    leika_key = models.CharField(
        _("LeiKa-Schlüssel"),
        max_length=14,
        validators=[validate_leika],
        db_index=True,
        help_text=_("14-stelliger Schlüssel im Leistungskatalog (LeiKa), z. B. 99050012104000."),
    )
    # Set by the XZuFi import (catalogue.xzufi): the Leistung's id in the editorial system.
    xzufi_id = models.CharField(_("XZuFi-ID"), max_length=200, blank=True, db_index=True)
    level = models.CharField(_("zuständige Ebene"), max_length=20, choices=ResponsibleLevel.choices)
    min_assurance = models.CharField(
        _("mindestens nötiges Vertrauensniveau"),
        max_length=20,
        choices=AssuranceRequirement.choices,
        default=AssuranceRequirement.REGISTERED,
    )
    is_online = models.BooleanField(
        _("online beantragbar"), default=False, help_text=_("Sonst nur vor Ort.")
    )
    fees = models.TextField(_("Gebühren"), blank=True)
    required_documents = models.TextField(
        _("erforderliche Unterlagen"), blank=True, help_text=_("Eine Unterlage je Zeile.")
    )
    processing_time = models.CharField(_("Bearbeitungsdauer"), max_length=200, blank=True)
    prerequisites = models.TextField(_("Voraussetzungen"), blank=True)
    deadlines = models.TextField(_("Fristen"), blank=True)
    legal_basis = models.TextField(_("Rechtsgrundlagen"), blank=True)
    # XZuFi elements we do not map, kept as XML fragments ({"path": [xml, …]}).
    xzufi_extra = models.JSONField(_("weitere XZuFi-Angaben"), default=dict, blank=True)
    links = models.JSONField(
        _("Links"), default=list, blank=True, help_text=_('Liste von {"title": …, "url": …}')
    )
    form_schema = models.JSONField(_("Antragsformular (JSON Schema)"), default=dict, blank=True)
    life_situations = models.ManyToManyField(
        LifeSituation, verbose_name=_("Lebenslagen"), blank=True, related_name="services"
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    # Weighted vector kept by PostgreSQL itself: name A, keywords B, summary/description C.
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("name", weight="A", config=SEARCH_CONFIG)
            + SearchVector("keywords", weight="B", config=SEARCH_CONFIG)
            + SearchVector("summary", "description", weight="C", config=SEARCH_CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("Dienstleistung")
        verbose_name_plural = _("Dienstleistungen")
        ordering = ["name"]
        indexes = [GinIndex(fields=["search_vector"], name="service_search_gin")]
        constraints = [
            models.UniqueConstraint(
                fields=["xzufi_id"], condition=~models.Q(xzufi_id=""), name="service_unique_xzufi"
            ),
            models.CheckConstraint(
                condition=models.Q(leika_key__regex=r"^[0-9]{14}$"), name="service_leika_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]


class ServiceOverride(models.Model):
    """How one authority deviates from the catalogue for a service: it does not offer it online,
    it hands it to another authority (or keeps it although it usually delegates), or it names
    its own contact or fee."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="overrides")
    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        on_delete=models.CASCADE,
        related_name="service_overrides",
    )
    handled_by = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("wahrgenommen durch"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="services_handled_for_others",
        help_text=_(
            "Leer = wie im Katalog. Die Behörde selbst = sie erledigt die Leistung selbst, "
            "auch wenn sie sonst Aufgaben abgibt (z. B. eine große Stadt mit eigener Bauaufsicht)."
        ),
    )
    offered_online = models.BooleanField(
        _("online angeboten"), null=True, blank=True, help_text=_("Leer = wie im Katalog.")
    )
    contact_email = models.EmailField(_("E-Mail"), blank=True)
    contact_phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    contact_note = models.CharField(_("Ansprechstelle"), max_length=200, blank=True)
    fees = models.TextField(_("Gebühren"), blank=True)

    class Meta:
        verbose_name = _("Abweichung einer Behörde")
        verbose_name_plural = _("Abweichungen der Behörden")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "authority"], name="one_override_per_service_and_authority"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.authority}"


class SearchSynonym(models.Model):
    """An everyday word and the catalogue words it stands for ("Hund" → Hundesteuer)."""

    term = models.CharField(_("Wort"), max_length=100, unique=True)
    expansions = models.CharField(
        _("steht für"), max_length=500, help_text=_("Wörter durch Komma getrennt.")
    )

    class Meta:
        verbose_name = _("Suchsynonym")
        verbose_name_plural = _("Suchsynonyme")
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term} → {self.expansions}"


class FeeRule(models.Model):
    """What a service costs: a catalogue default (no authority) or an authority's own amount."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="fee_rules")
    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="fee_rules",
    )
    amount = models.DecimalField(
        _("Betrag (EUR)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    label = models.CharField(_("Bezeichnung"), max_length=200)

    class Meta:
        verbose_name = _("Gebührenregel")
        verbose_name_plural = _("Gebührenregeln")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "authority"],
                name="one_fee_rule_per_service_and_authority",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount} €"


class ApplicationStatus(models.TextChoices):
    """The application workflow speaks the tracker's public vocabulary: the same values and
    labels as tracker.models.Status (a test keeps them equal; catalogue does not import
    tracker), so "Meine Anliegen" shows reports and applications with one set of words."""

    NEW = "new", _("neu")
    IN_REVIEW = "in_review", _("in Prüfung")
    IN_PROGRESS = "in_progress", _("in Arbeit")
    DONE = "done", _("erledigt")
    REJECTED = "rejected", _("abgelehnt")


class Application(models.Model):
    """An online application of a citizen for a service, routed to the responsible authority;
    the routing answer is stored like a report's."""

    reference = models.CharField(_("Aktenzeichen"), max_length=20, unique=True)
    service = models.ForeignKey(
        Service, verbose_name=_("Dienstleistung"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        "accounts.User",
        verbose_name=_("Antragsteller/in"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("zuständige Stelle"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    routing_detail = models.CharField(_("Zuständigkeit"), max_length=500, blank=True)
    location = models.PointField(_("Ort"), srid=4326, null=True, blank=True)
    address = models.CharField(_("Anschrift"), max_length=300, blank=True)
    data = models.JSONField(_("Angaben"), default=dict)
    status = models.CharField(
        _("Status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.NEW
    )
    created_at = models.DateTimeField(_("eingereicht am"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("zuletzt aktualisiert"), auto_now=True)
    # Set by the retention job (catalogue.retention) when the period has ended.
    anonymised_at = models.DateTimeField(_("anonymisiert am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Antrag")
        verbose_name_plural = _("Anträge")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["authority", "status"], name="application_queue")]

    def __str__(self) -> str:
        return f"{self.reference} ({self.service})"


class ApplicationEvent(models.Model):
    """One entry of an application's history (the tracker's ReportEvent pattern)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("eingegangen")
        STATUS = "status", _("Statusänderung")
        MESSAGE = "message", _("Nachricht")
        NOTE = "note", _("interne Notiz")
        PAYMENT = "payment", _("Gebühr")
        HANDOVER = "handover", _("Übermittlung (FIT-Connect)")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, blank=True, default=""
    )
    to_status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, blank=True, default=""
    )
    note = models.TextField(_("Notiz"), blank=True, max_length=5000)
    is_public = models.BooleanField(_("für Antragsteller/in sichtbar"), default=True)
    authority = models.ForeignKey(
        "boundaries.Authority", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlauf")
        ordering = ["created_at", "id"]


class Message(models.Model):
    """A postbox message between the citizen and the authority about one application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_authority = models.BooleanField(_("von der Behörde"), default=False)
    body = models.TextField(_("Nachricht"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Nachricht")
        verbose_name_plural = _("Nachrichten")
        ordering = ["created_at", "id"]


class Attachment(models.Model):
    """A checked document: photos are re-encoded without metadata (core.images), PDFs are
    checked (core.attachments). Belongs to the application form or to a message."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    field = models.CharField(_("Formularfeld"), max_length=100, blank=True)
    file = models.FileField(_("Datei"), upload_to="applications/%Y/%m/")
    original_name = models.CharField(_("Dateiname"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Anlage")
        verbose_name_plural = _("Anlagen")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Payment(models.Model):
    """The fee of one application and how it is paid (catalogue.payments providers)."""

    class State(models.TextChoices):
        OPEN = "open", _("offen")
        PAID = "paid", _("bezahlt")
        CANCELLED = "cancelled", _("storniert")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="payment"
    )
    amount = models.DecimalField(_("Betrag (EUR)"), max_digits=9, decimal_places=2)
    label = models.CharField(_("Bezeichnung"), max_length=200)
    provider = models.CharField(_("Zahlungsart"), max_length=50)
    state = models.CharField(_("Stand"), max_length=20, choices=State.choices, default=State.OPEN)
    invoice_number = models.CharField(_("Rechnungsnummer"), max_length=30, blank=True)
    due_date = models.DateField(_("fällig am"), null=True, blank=True)
    external_reference = models.CharField(_("Referenz des Anbieters"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Zahlung")
        verbose_name_plural = _("Zahlungen")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice_number"],
                condition=~models.Q(invoice_number=""),
                name="payment_unique_invoice_number",
            )
        ]


class AuthorityPage(models.Model):
    """An authority's branded start page on the shared portal (/stelle/<slug>/)."""

    authority = models.OneToOneField(
        "boundaries.Authority", on_delete=models.CASCADE, related_name="page"
    )
    welcome = models.TextField(_("Begrüßungstext"), blank=True)
    banner = models.ImageField(_("Banner"), upload_to="authority-banners/", blank=True)
    banner_alt = models.CharField(_("Alternativtext des Banners"), max_length=200, blank=True)
    imprint_url = models.URLField(_("Impressum"), blank=True)
    privacy_url = models.URLField(_("Datenschutzerklärung"), blank=True)
    featured = models.ManyToManyField(Service, verbose_name=_("hervorgehoben"), blank=True)

    class Meta:
        verbose_name = _("Startseite einer Behörde")
        verbose_name_plural = _("Startseiten der Behörden")

    def __str__(self) -> str:
        return str(self.authority)


class Favourite(models.Model):
    """A service a citizen pinned to the personal start page."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="favourite_services"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Favorit")
        verbose_name_plural = _("Favoriten")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "service"], name="favourite_once")]


class SavedPlace(models.Model):
    """The address a citizen keeps in the Bürgerkonto for the Zuständigkeitsfinder (deleted
    with the account)."""

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="saved_place"
    )
    label = models.CharField(_("Anschrift"), max_length=200)
    location = models.PointField(_("Ort"), srid=4326)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("gespeicherte Anschrift")
        verbose_name_plural = _("gespeicherte Anschriften")

    def __str__(self) -> str:
        return self.label


# Models of the federal standards live in modules of their own and are registered from here:
# the FIT-Connect hand-over (catalogue.fitconnect), BundID logins (catalogue.saml), e-payment
# (catalogue.xbezahl) and the XZuFi import's tables (catalogue.xzufi).
from .fitconnect_models import FitConnectRoute as FitConnectRoute  # noqa: E402
from .fitconnect_models import Handover as Handover  # noqa: E402
from .identity_models import SamlIdentity as SamlIdentity  # noqa: E402
from .identity_models import SamlLevel as SamlLevel  # noqa: E402
from .payment_models import PaymentTransaction as PaymentTransaction  # noqa: E402
from .payment_models import XBezahlAccount as XBezahlAccount  # noqa: E402
from .xzufi_models import (  # noqa: E402, F401
    ImportRun,
    OrganisationalUnit,
    ServiceResponsibility,
)
