"""What the XZuFi import keeps beside the services: the organisational units
(Organisationseinheiten), the Zuständigkeiten (service + area key → unit) and a log of runs.
Imported from catalogue.models, so Django counts them as the catalogue app's models."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationalUnit(models.Model):
    """An Organisationseinheit of the editorial system, matched onto one of our authorities by
    its official key (ARS/AGS) when it names one."""

    xzufi_id = models.CharField(_("XZuFi-ID"), max_length=200, unique=True)
    name = models.CharField(_("Name"), max_length=300)
    official_key = models.CharField(
        _("amtlicher Schlüssel"), max_length=12, blank=True, help_text=_("ARS oder AGS")
    )
    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisational_units",
    )
    address = models.TextField(_("Anschrift"), blank=True)
    email = models.CharField(_("E-Mail"), max_length=254, blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    website = models.CharField(_("Website"), max_length=500, blank=True)
    opening_hours = models.TextField(_("Öffnungszeiten"), blank=True)
    extra = models.JSONField(_("weitere XZuFi-Angaben"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Organisationseinheit (XZuFi)")
        verbose_name_plural = _("Organisationseinheiten (XZuFi)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceResponsibility(models.Model):
    """A Zuständigkeit: for `service` in the area with the official key `area_key`, `unit` is
    responsible. `area` is our authority with that key (if we have one); the
    Zuständigkeitsfinder (catalogue.responsibility) reads these before the level rules."""

    service = models.ForeignKey(
        "catalogue.Service", on_delete=models.CASCADE, related_name="responsibilities"
    )
    area_key = models.CharField(_("Gebietsschlüssel (ARS)"), max_length=12)
    area = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Gebiet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        OrganisationalUnit,
        verbose_name=_("Organisationseinheit"),
        on_delete=models.CASCADE,
        related_name="responsibilities",
    )
    extra = models.JSONField(_("weitere XZuFi-Angaben"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Zuständigkeit (XZuFi)")
        verbose_name_plural = _("Zuständigkeiten (XZuFi)")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "area_key", "unit"], name="one_responsibility_per_area_unit"
            )
        ]
        indexes = [models.Index(fields=["area", "service"], name="responsibility_area")]

    def __str__(self) -> str:
        return f"{self.service} @ {self.area_key} → {self.unit}"


class ImportRun(models.Model):
    """One run of the XZuFi import (command or scheduled re-sync) and its change summary."""

    started_at = models.DateTimeField(_("gestartet"), auto_now_add=True)
    source = models.CharField(_("Quelle"), max_length=1000)
    committed = models.BooleanField(_("geschrieben"), default=False)
    ok = models.BooleanField(_("erfolgreich"), default=False)
    summary = models.JSONField(_("Änderungen"), default=dict, blank=True)
    message = models.TextField(_("Meldung"), blank=True)

    class Meta:
        verbose_name = _("XZuFi-Import")
        verbose_name_plural = _("XZuFi-Importe")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.source}"
