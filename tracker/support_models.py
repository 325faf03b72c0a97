"""Supports: a person backs an existing report ("Ich bin auch betroffen") and follows it.
Changed through tracker.services only.

Kept apart from tracker.models (which imports this module at its end) so that neither file
grows too large; foreign keys name their targets as strings."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class Support(models.Model):
    """ "Ich bin auch betroffen": a person backs an existing report and follows its updates."""

    report = models.ForeignKey("tracker.Report", on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.CASCADE, related_name="supports"
    )
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Unterstützung")
        verbose_name_plural = _("Unterstützungen")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user"],
                condition=models.Q(user__isnull=False),
                name="support_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["report", "email"],
                condition=~models.Q(email=""),
                name="support_once_per_email",
            ),
        ]
