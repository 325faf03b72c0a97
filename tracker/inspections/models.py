"""Streckenkontrolle: inspection plans per road class, rounds driven by a crew with their GPS
track, the road segments they covered, and the tamper-evident ledger over all history rows.
State changes go through tracker.inspections.services only."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo.models import RoadClass


class InspectionPlan(models.Model):
    """Which roads an authority inspects how often: all its segments of one road class, driven
    by one team every `interval_days` days (the route)."""

    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Baulastträger"),
        on_delete=models.CASCADE,
        related_name="inspection_plans",
    )
    road_class = models.CharField(_("Straßenklasse"), max_length=1, choices=RoadClass.choices)
    team = models.ForeignKey(
        "tracker.Team",
        verbose_name=_("Team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspection_plans",
    )
    name = models.CharField(_("Bezeichnung der Route"), max_length=150)
    interval_days = models.PositiveSmallIntegerField(
        _("Kontrollintervall (Tage)"),
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("z. B. 7 für wöchentlich (B/L), 14 für zweiwöchentlich (K)"),
    )
    starts_on = models.DateField(
        _("gilt ab"),
        default=timezone.localdate,
        help_text=_("Nie kontrollierte Abschnitte sind ab diesem Tag fällig."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Kontrollplan")
        verbose_name_plural = _("Kontrollpläne")
        ordering = ["authority__name", "road_class", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "road_class"], name="inspection_plan_one_per_class"
            )
        ]

    def __str__(self) -> str:
        return self.name


class InspectionRound(models.Model):
    """One Streckenkontrolle: a crew drives the plan's route, records its track and findings."""

    class State(models.TextChoices):
        RUNNING = "running", _("unterwegs")
        FINISHED = "finished", _("abgeschlossen")

    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("Route"), on_delete=models.PROTECT, related_name="rounds"
    )
    team = models.ForeignKey(
        "tracker.Team",
        verbose_name=_("Team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("Kontrolleur/in"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="inspection_rounds",
    )
    state = models.CharField(
        _("Stand"), max_length=10, choices=State.choices, default=State.RUNNING
    )
    started_at = models.DateTimeField(_("begonnen"), default=timezone.now)
    ended_at = models.DateTimeField(_("beendet"), null=True, blank=True)
    track = models.LineStringField(_("Fahrtweg"), srid=4326, null=True, blank=True)
    note = models.TextField(_("Bemerkung"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("Kontrollfahrt")
        verbose_name_plural = _("Kontrollfahrten")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.started_at:%d.%m.%Y}"


class TrackPoint(models.Model):
    """One GPS fix of a round (from the phone's watchPosition or typed in)."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="points")
    geom = models.PointField(srid=4326)
    recorded_at = models.DateTimeField()
    accuracy_m = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]


class SegmentInspection(models.Model):
    """A road segment inspected on a round: the proof of the Streckenkontrolle."""

    segment = models.ForeignKey(
        "geo.RoadSegment", on_delete=models.PROTECT, related_name="inspections"
    )
    round = models.ForeignKey(
        InspectionRound, on_delete=models.PROTECT, related_name="segment_inspections"
    )
    inspected_at = models.DateTimeField(_("kontrolliert am"))
    by_track = models.BooleanField(
        _("laut GPS-Spur befahren"),
        default=False,
        help_text=_("Sonst von der Kolonne als befahren angegeben."),
    )
    findings = models.PositiveIntegerField(_("Befunde"), default=0)

    class Meta:
        verbose_name = _("kontrollierter Abschnitt")
        verbose_name_plural = _("kontrollierte Abschnitte")
        ordering = ["-inspected_at", "-id"]
        indexes = [models.Index(fields=["segment", "inspected_at"], name="segment_inspected")]
        constraints = [
            models.UniqueConstraint(fields=["segment", "round"], name="segment_once_per_round")
        ]


class Finding(models.Model):
    """A defect found on a round: a report filed by the crew, with the measure taken."""

    round = models.ForeignKey(InspectionRound, on_delete=models.PROTECT, related_name="findings")
    report = models.OneToOneField(
        "tracker.Report", on_delete=models.PROTECT, related_name="inspection_finding"
    )
    segment = models.ForeignKey(
        "geo.RoadSegment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    measure = models.CharField(_("Sofortmaßnahme"), max_length=20, blank=True)

    class Meta:
        ordering = ["id"]


class InspectionEvent(models.Model):
    """One entry of a round's history. Append-only; chained into the ledger."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Kontrollfahrt begonnen")
        FINDING = "finding", _("Befund erfasst")
        INSPECTED = "inspected", _("Abschnitt kontrolliert")
        ENDED = "ended", _("Kontrollfahrt beendet")

    round = models.ForeignKey(InspectionRound, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    segment = models.ForeignKey(
        "geo.RoadSegment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        "tracker.Report", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Eintrag der Kontrollfahrt")
        verbose_name_plural = _("Einträge der Kontrollfahrten")
        ordering = ["created_at", "id"]


class LedgerEntry(models.Model):
    """One link of the hash chain over all history rows (report and inspection events).

    Written in two steps (docs/inspections.md, "Ledger"): the entry itself (source, row, who
    acted) in the transaction that writes the row; its place in the chain (`seq`, the row's
    `content_hash`, `prev_hash`, `entry_hash`, `sealed_at`) after the commit by the one sealer
    (`ledger.seal`), in id order. `entry_hash` is the SHA-256 of (source, row id, content hash,
    actor label, previous entry hash). Editing a sealed row, a link or deleting either breaks
    the chain at that link (ledger.verify)."""

    class Source(models.TextChoices):
        REPORT_EVENT = "report_event", _("Meldungsverlauf")
        INSPECTION_EVENT = "inspection_event", _("Kontrollfahrt")

    source = models.CharField(max_length=20, choices=Source.choices)
    row_id = models.BigIntegerField()
    # Who acted, as written at that time (staff name or "Bürger/in"): survives the deletion of
    # an account, so the record still tells a court who did what.
    actor_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set by the sealer; NULL while the entry waits for it (at most a few seconds normally).
    seq = models.BigIntegerField(null=True, blank=True, unique=True)
    content_hash = models.CharField(max_length=64, null=True, blank=True)
    prev_hash = models.CharField(max_length=64, null=True, blank=True)
    entry_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    sealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "row_id"], name="ledger_one_link_per_row")
        ]
        indexes = [
            # The sealer's and the alarm's question: the unsealed entries, oldest first.
            models.Index(
                fields=["id"], name="ledger_unsealed", condition=models.Q(seq__isnull=True)
            )
        ]
