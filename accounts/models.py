"""The citizen account (Bürgerkonto): one user model for citizens and staff, logging in by email."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(DjangoUserManager["User"]):
    """Creates users keyed by email; there is no username."""

    use_in_migrations = True

    def _create_user_by_email(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user_by_email(email, password, **extra)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        if not extra["is_staff"] or not extra["is_superuser"]:
            raise ValueError("A superuser needs is_staff and is_superuser.")
        return self._create_user_by_email(email, password, **extra)


class User(AbstractUser):
    """A person: citizen, staff member of an authority, or both."""

    class AssuranceLevel(models.TextChoices):
        REGISTERED = "registered", _("Registriert (E-Mail bestätigt)")
        VERIFIED = "verified", _("Identität geprüft (eID)")

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    display_name = models.CharField(_("Anzeigename"), max_length=150, blank=True)
    assurance_level = models.CharField(
        _("Vertrauensniveau"),
        max_length=20,
        choices=AssuranceLevel.choices,
        default=AssuranceLevel.REGISTERED,
    )
    preferred_language = models.CharField(
        _("Sprache"), max_length=8, default="de", choices=[("de", "Deutsch"), ("en", "English")]
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("Benutzer")
        verbose_name_plural = _("Benutzer")

    def __str__(self) -> str:
        return self.email


class Role(models.TextChoices):
    """What a staff member may do for an authority (see tracker.permissions for the rules)."""

    DISPATCHER = "dispatcher", _("Disposition")
    CREW = "crew", _("Außendienst/Kolonne")
    PLANNER = "planner", _("Planung")
    ADMIN = "admin", _("Verwaltung der Stelle")
    DATA_PROTECTION = "dpo", _("Datenschutzbeauftragte/r")


# Roles that open the Django admin (is_staff): authority admins, and data protection officers
# for the access log and legal holds (privacy.admin).
ADMIN_SITE_ROLES = frozenset({Role.ADMIN, Role.DATA_PROTECTION})


class Membership(models.Model):
    """A person works for an authority in one role. Several memberships per person are fine
    (e.g. dispatcher for the Landkreis and planner for a Gemeinde). Team membership lives on
    tracker.Team.members: teams belong to an authority and to the tracker."""

    user = models.ForeignKey(
        User, verbose_name=_("Benutzer"), on_delete=models.CASCADE, related_name="memberships"
    )
    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("seit"), auto_now_add=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["authority__name", "user__email", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "authority", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.authority})"
