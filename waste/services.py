"""Writes of the Abfallkalender: reminder subscriptions (double opt-in) and queueing the
evening-before reminders. Mail is notifications' work: queued here by name through the
outbox (notifications.waste_mail renders and sends it, with an opt-out link)."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from outbox import enqueue_on_commit

from .models import CollectionDistrict, PickupDate, WasteSubscription


def _has_verified(user: User | None, email: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def subscribe(
    district: CollectionDistrict, *, email: str, user: User | None = None, language: str = "de"
) -> WasteSubscription:
    """Ask for reminders. A verified account address is confirmed at once; any other address
    gets a confirmation mail first. Subscribing again re-sends it (a new token)."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Bitte eine gültige E-Mail-Adresse angeben.")}) from None
    subscription, created = WasteSubscription.objects.select_for_update().get_or_create(
        district=district, email=email, defaults={"language": language}
    )
    if not created and subscription.confirmed_at is not None and _has_verified(user, email):
        return subscription
    subscription.language = language if language in ("de", "en") else "de"
    subscription.user = user if user is not None and user.is_authenticated else subscription.user
    subscription.token = secrets.token_urlsafe(24)
    if _has_verified(user, email):
        subscription.confirmed_at = timezone.now()
        subscription.save()
        return subscription
    subscription.confirmed_at = None
    subscription.save()
    enqueue_on_commit(
        "notifications.waste_subscription_confirm", subscription.pk, subscription.token[:8]
    )
    return subscription


@transaction.atomic
def confirm(token: str) -> WasteSubscription:
    subscription = (
        WasteSubscription.objects.select_for_update()
        .select_related("district__town")
        .filter(token=token)
        .first()
    )
    if subscription is None:
        raise ValidationError(_("Dieser Bestätigungslink ist ungültig oder veraltet."))
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def queue_reminders(today: date) -> int:
    """Queue one reminder event per district with pickups tomorrow and confirmed subscribers
    (the outbox key makes a second run on the same day a no-op)."""
    tomorrow = today + timedelta(days=1)
    districts = (
        PickupDate.objects.filter(
            date=tomorrow, district__subscriptions__confirmed_at__isnull=False
        )
        .values_list("district_id", flat=True)
        .distinct()
    )
    count = 0
    with transaction.atomic():
        for district_id in sorted(districts):
            enqueue_on_commit("notifications.waste_reminder", district_id, tomorrow.isoformat())
            count += 1
    return count
