"""Texts of the legal pages, editable per portal in the admin; shipped defaults until edited."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalPage(models.Model):
    class Kind(models.TextChoices):
        IMPRINT = "impressum", _("Impressum")
        PRIVACY = "datenschutz", _("Datenschutzerklärung")
        ACCESSIBILITY = "barrierefreiheit", _("Erklärung zur Barrierefreiheit")
        EASY_LANGUAGE = "leichte-sprache", _("Leichte Sprache")

    kind = models.CharField(_("Seite"), max_length=20, choices=Kind.choices, unique=True)
    text_de = models.TextField(
        _("Text (Deutsch)"),
        blank=True,
        help_text=_(
            "Leer lassen, um den mitgelieferten Text zu zeigen. Format: Leerzeile = neuer Absatz, "
            "„# “ = Überschrift, „## “ = Zwischenüberschrift, „- “ = Aufzählung. Web- und "
            "E-Mail-Adressen werden zu Links; HTML wird nicht ausgewertet."
        ),
    )
    text_en = models.TextField(
        _("Text (Englisch)"),
        blank=True,
        help_text=_(
            "Leer lassen: englische Besucher sehen den deutschen Text (oder den mitgelieferten "
            "englischen, solange der deutsche nicht bearbeitet ist)."
        ),
    )
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Rechtliche Seite")
        verbose_name_plural = _("Rechtliche Seiten")
        ordering = ["kind"]

    def __str__(self) -> str:
        return str(self.get_kind_display())
