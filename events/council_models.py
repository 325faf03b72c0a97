"""Council sessions imported from OParl 1.1 (https://schema.oparl.org/1.1/).

An `OParlSource` is one council information system (its System URL) an operator configured;
its Bodies map to our authorities (the source's authority, else by AGS). Meetings, their agenda
items and file links, committees (Organization) and papers are stored by their OParl id, so a
second import updates instead of duplicating. Every dated meeting has an `Event` of the
category "Sitzung", so sessions appear in the calendar, its map and its feeds; the event's page
shows the agenda. Files are links to the council system (accessUrl/downloadUrl), never copies.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.net import validate_public_url

OPARL_ID_LENGTH = 500


class OParlSource(models.Model):
    system_url = models.URLField(
        _("OParl-System (URL)"),
        max_length=OPARL_ID_LENGTH,
        unique=True,
        validators=[validate_public_url],
        help_text=_(
            "Die Adresse des OParl-System-Objekts, z. B. https://ratsinfo.example.de/oparl/v1.1/system"
        ),
    )
    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="oparl_sources",
        help_text=_("Leer: jede Körperschaft wird der Behörde mit ihrem AGS zugeordnet."),
    )
    is_active = models.BooleanField(_("regelmäßig abgleichen"), default=True)
    last_synced_at = models.DateTimeField(
        _("letzter vollständiger Abgleich"), null=True, blank=True
    )
    last_run_at = models.DateTimeField(_("letzter Lauf"), null=True, blank=True)
    last_summary = models.TextField(_("Ergebnis des letzten Laufs"), blank=True)

    class Meta:
        verbose_name = _("OParl-System")
        verbose_name_plural = _("OParl-Systeme")

    def __str__(self) -> str:
        return self.system_url


class CouncilOrganization(models.Model):
    """A committee, council or faction (OParl Organization)."""

    source = models.ForeignKey(OParlSource, on_delete=models.CASCADE, related_name="organizations")
    authority = models.ForeignKey(
        "boundaries.Authority", on_delete=models.CASCADE, related_name="council_organizations"
    )
    oparl_id = models.URLField(max_length=OPARL_ID_LENGTH, unique=True)
    name = models.CharField(_("Name"), max_length=300)
    short_name = models.CharField(_("Kurzname"), max_length=100, blank=True)
    classification = models.CharField(_("Art"), max_length=100, blank=True)
    modified = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CouncilPaper(models.Model):
    """A Drucksache / Vorlage (OParl Paper), linked from the agenda items it is discussed in."""

    source = models.ForeignKey(OParlSource, on_delete=models.CASCADE, related_name="papers")
    authority = models.ForeignKey(
        "boundaries.Authority", on_delete=models.CASCADE, related_name="council_papers"
    )
    oparl_id = models.URLField(max_length=OPARL_ID_LENGTH, unique=True)
    name = models.CharField(_("Titel"), max_length=500)
    reference = models.CharField(_("Drucksachennummer"), max_length=100, blank=True)
    paper_type = models.CharField(_("Art"), max_length=100, blank=True)
    date = models.DateField(_("Datum"), null=True, blank=True)
    web_url = models.URLField(max_length=OPARL_ID_LENGTH, blank=True)
    modified = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Vorlage")
        verbose_name_plural = _("Vorlagen")

    def __str__(self) -> str:
        return f"{self.reference} {self.name}".strip()


class CouncilMeeting(models.Model):
    """A session (OParl Meeting)."""

    source = models.ForeignKey(OParlSource, on_delete=models.CASCADE, related_name="meetings")
    authority = models.ForeignKey(
        "boundaries.Authority", on_delete=models.CASCADE, related_name="council_meetings"
    )
    oparl_id = models.URLField(max_length=OPARL_ID_LENGTH, unique=True)
    event = models.OneToOneField(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_meeting",
    )
    name = models.CharField(_("Name"), max_length=300)
    starts_at = models.DateTimeField(_("Beginn"), null=True, blank=True)
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    cancelled = models.BooleanField(_("abgesagt"), default=False)
    meeting_state = models.CharField(_("Status"), max_length=100, blank=True)
    location_text = models.CharField(_("Ort"), max_length=300, blank=True)
    organizations = models.ManyToManyField(CouncilOrganization, blank=True, related_name="meetings")
    web_url = models.URLField(max_length=OPARL_ID_LENGTH, blank=True)
    modified = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.name


class CouncilAgendaItem(models.Model):
    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.CASCADE, related_name="agenda")
    oparl_id = models.URLField(max_length=OPARL_ID_LENGTH, unique=True)
    number = models.CharField(_("Nummer"), max_length=50, blank=True)
    order = models.IntegerField(_("Reihenfolge"), default=0)
    name = models.TextField(_("Gegenstand"))
    public = models.BooleanField(_("öffentlich"), default=True)
    result = models.CharField(_("Ergebnis"), max_length=300, blank=True)
    resolution_text = models.TextField(_("Beschluss"), blank=True)
    paper = models.ForeignKey(
        CouncilPaper, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()


class FileRole(models.TextChoices):
    INVITATION = "invitation", _("Einladung")
    RESULTS_PROTOCOL = "results_protocol", _("Ergebnisprotokoll")
    VERBATIM_PROTOCOL = "verbatim_protocol", _("Wortprotokoll")
    AUXILIARY = "auxiliary", _("Anlage")
    RESOLUTION = "resolution", _("Beschluss")
    MAIN = "main", _("Vorlage")


class CouncilFile(models.Model):
    """A link to a document on the council system (never a copy)."""

    meeting = models.ForeignKey(
        CouncilMeeting, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    agenda_item = models.ForeignKey(
        CouncilAgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    paper = models.ForeignKey(
        CouncilPaper, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    oparl_id = models.URLField(max_length=OPARL_ID_LENGTH)
    role = models.CharField(_("Rolle"), max_length=20, choices=FileRole.choices)
    name = models.CharField(_("Name"), max_length=300)
    mime_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    access_url = models.URLField(max_length=OPARL_ID_LENGTH)
    download_url = models.URLField(max_length=OPARL_ID_LENGTH, blank=True)

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        return self.access_url or self.download_url
