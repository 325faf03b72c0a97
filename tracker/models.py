"""Categories with their routing rules, teams, reports with their workflow fields, photos,
history and response templates. State changes go through tracker.services only."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from boundaries.models import Level
from core.choices import ChoiceLabels
from geo.models import AssetType
from privacy.models import validate_period

from .statuses import OPEN_STATUSES, Status


class Priority(models.IntegerChoices):
    """Urgency of a report. Integers so that sorting by priority is a plain ORDER BY."""

    LOW = 1, _("niedrig")
    NORMAL = 2, _("normal")
    HIGH = 3, _("hoch")
    URGENT = 4, _("dringend")


class Category(models.Model):
    """What a citizen can report, and how the report finds its authority."""

    slug = models.SlugField(_("Kennung"), max_length=80, unique=True)
    name = models.CharField(_("Name"), max_length=150)
    name_en = models.CharField(_("Name (englisch)"), max_length=150, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    level = models.CharField(
        _("zuständige Ebene"),
        max_length=20,
        choices=Level.choices,
        default=Level.GEMEINDE,
        help_text=_(
            "Wer zuständig ist, wenn weder Objekt noch Straße die Zuständigkeit bestimmen."
        ),
    )
    snap_to_roads = models.BooleanField(
        _("an Straßen ausrichten"),
        default=False,
        help_text=_("Meldungen auf einer Straße gehen an deren Baulastträger."),
    )
    road_classes = models.CharField(
        _("Straßenklassen"),
        max_length=20,
        blank=True,
        help_text=_("z. B. „BLKG“; leer = alle Klassen"),
    )
    asset_type = models.CharField(
        _("Objektart"), max_length=30, choices=AssetType.choices, blank=True
    )
    snap_tolerance_m = models.FloatField(
        _("Fangradius (m)"),
        default=25.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(500.0)],
    )
    fixed_authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("feste Stelle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fixed_categories",
        help_text=_("Z. B. ein Versorger, der alle Meldungen dieser Kategorie bearbeitet."),
    )
    duplicate_radius_m = models.FloatField(
        _("Radius für Duplikate (m)"),
        default=50.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(1000.0)],
    )
    available_in = models.ManyToManyField(
        "boundaries.Authority",
        verbose_name=_("nur angeboten in"),
        blank=True,
        related_name="offered_categories",
        help_text=_(
            "Leer = überall im Portalgebiet. Sonst nur, wo eine dieser Stellen zuständig ist."
        ),
    )
    # Workflow defaults, applied at intake (tracker.services.report_create).
    default_priority = models.PositiveSmallIntegerField(
        _("Standardpriorität"), choices=Priority.choices, default=Priority.NORMAL
    )
    target_days = models.PositiveSmallIntegerField(
        _("Bearbeitungsziel (Tage)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(3650)],
        help_text=_("Fälligkeit = Eingang + so viele Tage; leer = keine Frist."),
    )
    requires_after_photo = models.BooleanField(
        _("Foto nach Erledigung erforderlich"),
        default=False,
        help_text=_("Erledigt melden nur mit einem Foto nach der Erledigung."),
    )
    # Retention (privacy.retention): empty = the authority's period, else the portal's.
    contact_retention_months = models.IntegerField(
        _("Kontaktdaten löschen nach (Monate)"),
        null=True,
        blank=True,
        validators=[validate_period],
        help_text=_("Monate nach dem Abschluss; leer = Frist der Stelle bzw. des Portals."),
    )
    anonymise_after_months = models.IntegerField(
        _("Meldung anonymisieren nach (Monate)"),
        null=True,
        blank=True,
        validators=[validate_period],
        help_text=_("Monate nach dem Abschluss; leer = Frist der Stelle bzw. des Portals."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)

    class Meta:
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact_retention_months__gte=0)
                | models.Q(contact_retention_months__isnull=True),
                name="category_contact_retention_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(anonymise_after_months__gte=0)
                | models.Q(anonymise_after_months__isnull=True),
                name="category_anonymise_not_negative",
            ),
        ]

    def localized_name(self) -> str:
        """The name in the active language (English where an English name is set)."""
        return self.name_en if get_language() == "en" and self.name_en else self.name

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A working group of an authority, e.g. "Straßenmeisterei Nord" or "Bauhof Winsen"."""

    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        on_delete=models.CASCADE,
        related_name="teams",
    )
    name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail"), blank=True)
    categories = models.ManyToManyField(
        Category, verbose_name=_("Kategorien"), blank=True, related_name="teams"
    )
    # Who works in the team. Roles come from accounts.Membership of the team's authority; a
    # team member without a membership there has no access (tracker.permissions).
    members = models.ManyToManyField(
        "accounts.User", verbose_name=_("Mitglieder"), blank=True, related_name="teams"
    )

    class Meta:
        verbose_name = _("Team")
        verbose_name_plural = _("Teams")
        ordering = ["authority__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.authority})"


class Report(ChoiceLabels, models.Model):
    """A defect report. The routing decision is stored, never recomputed behind anyone's back."""

    class Source(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        OPEN311 = "open311", _("Open311")
        INSPECTION = "inspection", _("Streckenkontrolle")

    category = models.ForeignKey(
        Category, verbose_name=_("Kategorie"), on_delete=models.PROTECT, related_name="reports"
    )
    location = models.PointField(_("Ort"), srid=4326)
    address = models.CharField(_("Ortsangabe"), max_length=300, blank=True)
    # The public description. Staff may edit or hide it (tracker.services.moderation); the
    # citizen's own text is then kept in original_description, for staff only.
    description = models.TextField(_("Beschreibung"), max_length=5000)
    original_description = models.TextField(
        _("ursprüngliche Beschreibung"), max_length=5000, blank=True
    )
    description_state = models.CharField(
        _("Beschreibung öffentlich"),
        max_length=10,
        choices=[("", _("wie gemeldet")), ("edited", _("bearbeitet")), ("hidden", _("entfernt"))],
        blank=True,
        default="",
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )

    # Routing decision, as made at intake (see boundaries.services.route).
    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("zuständige Stelle"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    routing_reason = models.CharField(_("Grund der Zuständigkeit"), max_length=20)
    routing_detail = models.CharField(_("Zuständigkeit im Detail"), max_length=300, blank=True)
    routing_distance_m = models.FloatField(_("Abstand zu Straße/Objekt (m)"), null=True, blank=True)
    road = models.ForeignKey(
        "geo.RoadSegment", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    asset = models.ForeignKey(
        "geo.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )

    # Who reported it. Never public (DSGVO); erased when the account is deleted.
    reporter = models.ForeignKey(
        "accounts.User",
        verbose_name=_("Meldende Person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    reporter_email = models.EmailField(_("E-Mail"), blank=True)
    reporter_name = models.CharField(_("Name"), max_length=150, blank=True)
    reporter_phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    language = models.CharField(_("Sprache"), max_length=8, default="de")

    # A guest's report reaches the authority at once but is public only after the email
    # confirmation link was clicked.
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    confirmation_token = models.CharField(max_length=64, unique=True)
    tracking_token = models.CharField(max_length=64, unique=True)

    source = models.CharField(_("Quelle"), max_length=10, choices=Source.choices, default="web")
    # Retention (tracker.services.retention): staff mark a description free of personal
    # data, so that it survives the anonymisation; the dates say what was erased when.
    description_is_clean = models.BooleanField(
        _("Beschreibung ohne personenbezogene Daten"),
        default=False,
        help_text=_("Bleibt bei der Anonymisierung erhalten."),
    )
    contact_erased_at = models.DateTimeField(_("Kontaktdaten gelöscht am"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisiert am"), null=True, blank=True)
    supporter_count = models.PositiveIntegerField(_("Unterstützungen"), default=0)

    # Work management (set by tracker.services only).
    priority = models.PositiveSmallIntegerField(
        _("Priorität"), choices=Priority.choices, default=Priority.NORMAL
    )
    due_at = models.DateTimeField(_("fällig am"), null=True, blank=True)
    assigned_team = models.ForeignKey(
        Team,
        verbose_name=_("zugewiesenes Team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_reports",
    )
    assigned_to = models.ForeignKey(
        "accounts.User",
        verbose_name=_("zugewiesen an"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_reports",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("Duplikat von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    # No index on created_at alone: with one, the planner walks it backwards for "newest in
    # this bbox" and filters thousands of rows; the GiST bitmap plus a top-N sort is faster.
    created_at = models.DateTimeField(_("gemeldet am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("aktualisiert am"), auto_now=True)

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["category", "status"], name="report_category_status"),
            models.Index(fields=["authority", "status"], name="report_authority_status"),
            models.Index(fields=["assigned_team", "status"], name="report_team_status"),
            # The public map's pages (tracker.map_geojson): newest first, with what the
            # viewport and the filters test, so the walk is an index-only scan that stops after
            # a page; its cost does not grow with the number of reports.
            models.Index(
                fields=["-created_at", "-id"],
                include=["location", "status", "category"],
                condition=models.Q(confirmed_at__isnull=False),
                name="report_public_newest",
            ),
            models.Index(  # the staff queue's pages (tracker.staff.queue_json): the same walk
                fields=["-created_at", "-id"],
                include=["location", "authority", "status"],
                name="report_staff_newest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.category}"

    @property
    def reference(self) -> str:
        """The number citizens quote on the phone: year and id."""
        year = self.created_at.year if self.created_at else 0
        return f"{year}-{self.pk:06d}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Open and past its due date (selectors.overdue_q() is the same rule in SQL)."""
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()


class Photo(models.Model):
    """A processed photo: auto-rotated, all metadata stripped, with a thumbnail. `image` and
    `thumbnail` are the public version, with `blur_boxes` blurred (faces and
    number plates, tracker.services.redaction); `original` keeps the unblurred photo for
    staff only (core.media rule for "photos-original/"). `redacted_at` is empty until the
    boxes were detected and the public version rendered."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Meldung")
        AFTER = "after", _("nach der Erledigung")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("Bild"), upload_to="photos/%Y/%m/")
    thumbnail = models.FileField(_("Vorschau"), upload_to="photos/%Y/%m/thumbs/")
    original = models.FileField(
        _("Original (nur intern)"), upload_to="photos-original/%Y/%m/", blank=True
    )
    # [{"id": 1, "x": 10, "y": 20, "w": 80, "h": 80, "label": "face", "source": "auto"}, …]
    # in the stored image's pixels; source "auto" (detected) or "staff" (drawn by staff).
    blur_boxes = models.JSONField(_("Schwärzungen"), default=list, blank=True)
    redacted_at = models.DateTimeField(_("geschwärzt am"), null=True, blank=True)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BEFORE)
    is_public = models.BooleanField(
        _("öffentlich"), default=False, help_text=_("Nach Sichtung durch die Behörde freigegeben")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")
        ordering = ["created_at", "id"]
        # core.media finds a photo by its stored name on every download.
        indexes = [
            models.Index(fields=["image"], name="photo_image_name"),
            models.Index(fields=["thumbnail"], name="photo_thumbnail_name"),
            models.Index(fields=["original"], name="photo_original_name"),
            # The redaction backlog (/healthz for staff and monitoring): photos not yet scanned.
            models.Index(
                fields=["created_at"],
                condition=models.Q(redacted_at__isnull=True),
                name="photo_unredacted",
            ),
        ]


class ReportEvent(ChoiceLabels, models.Model):
    """One entry of a report's history: who did what when, public or internal."""

    class Kind(models.TextChoices):
        CREATED = "created", _("eingegangen")
        CONFIRMED = "confirmed", _("bestätigt")
        STATUS = "status", _("Statusänderung")
        COMMENT = "comment", _("Kommentar")
        SUPPORTED = "supported", _("Unterstützung")
        FORWARDED = "forwarded", _("weitergeleitet")
        ASSIGNED = "assigned", _("zugewiesen")
        NOTE = "note", _("interne Notiz")
        PHOTO = "photo", _("Foto")
        PRIORITY = "priority", _("Priorität")
        MERGED = "merged", _("Duplikat zusammengeführt")
        MODERATED = "moderated", _("Moderation")
        MEASURE = "measure", _("Sofortmaßnahme")

    class Review(models.TextChoices):
        """A citizen's comment under review (authorities that publish comments after review)."""

        NONE = "", _("—")
        PENDING = "pending", _("wartet auf Prüfung")
        REJECTED = "rejected", _("abgelehnt")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("Notiz"), blank=True, max_length=5000)
    is_public = models.BooleanField(_("öffentlich"), default=True)
    review = models.CharField(
        _("Prüfung"), max_length=10, choices=Review.choices, blank=True, default=""
    )
    # The authority responsible when this happened: internal entries are visible to its
    # staff only, even after the report moved on to another authority (and back).
    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Forwarding: from whom to whom (both authorities see the entry).
    from_authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("von Behörde"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("an Behörde"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Assignment entries: to which team / person.
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlauf")
        ordering = ["created_at", "id"]
        # A request's latest public note (Open311 status_notes): one index probe per report.
        indexes = [
            models.Index(
                fields=["report", "-created_at", "-id"],
                condition=models.Q(is_public=True) & ~models.Q(note=""),
                name="event_public_note_latest",
            )
        ]


# Moderation models, supports and response templates live in modules of their own; imported
# here so that they belong to the app's models.
from .idempotency_models import IdempotencyKey  # noqa: E402, F401
from .moderation_models import AbuseFlag, ModerationSettings  # noqa: E402, F401
from .support_models import Support  # noqa: E402, F401
from .template_models import ResponseTemplate  # noqa: E402, F401
