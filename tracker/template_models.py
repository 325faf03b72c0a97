"""Response templates ("Textbausteine"): prepared public notes of an authority per status."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from .statuses import Status


class ResponseTemplate(models.Model):
    """A prepared public status note ("Textbaustein"), so answering the citizen is one click."""

    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        on_delete=models.CASCADE,
        related_name="response_templates",
    )
    status = models.CharField(
        _("für Status"),
        max_length=20,
        choices=Status.choices,
        blank=True,
        help_text=_("Leer = für jeden Status anbieten."),
    )
    title = models.CharField(_("Titel"), max_length=100)
    text = models.TextField(_("Text"), max_length=5000)
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)

    class Meta:
        verbose_name = _("Textbaustein")
        verbose_name_plural = _("Textbausteine")
        ordering = ["authority__name", "status", "sort_order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "status", "title"], name="response_template_unique_title"
            )
        ]

    def __str__(self) -> str:
        return self.title
