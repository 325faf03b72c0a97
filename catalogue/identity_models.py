"""The link between an account and its identity at a SAML identity provider (BundID): the
provider's entity ID and the person's stable identifier there (bPK2, or the persistent NameID),
the level of the last login. Imported by catalogue.models so Django finds it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SamlLevel(models.TextChoices):
    BASIC = "basic", _("niedrig (z. B. Benutzername und Passwort)")
    SUBSTANTIAL = "substantial", _("substanziell (z. B. ELSTER-Zertifikat)")
    HIGH = "high", _("hoch (Online-Ausweis)")


class SamlIdentity(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saml_identities",
        verbose_name=_("Konto"),
    )
    issuer = models.CharField(_("Identitätsanbieter (Entity ID)"), max_length=500)
    subject = models.CharField(_("Kennung beim Identitätsanbieter"), max_length=500)
    level = models.CharField(
        _("Vertrauensniveau der letzten Anmeldung"), max_length=20, choices=SamlLevel.choices
    )
    created_at = models.DateTimeField(_("verknüpft am"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("zuletzt angemeldet"))

    class Meta:
        verbose_name = _("BundID-Verknüpfung")
        verbose_name_plural = _("BundID-Verknüpfungen")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="saml_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.issuer}"
