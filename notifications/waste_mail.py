"""Mail of the Abfallkalender, through the outbox like every other mail.

waste.services queues by name: "notifications.waste_subscription_confirm" (subscription id,
token prefix) when someone asks for reminders, and "notifications.waste_reminder"
(district id, ISO date) from the evening beat task. These handlers fan out into one email row
per recipient (notifications.emails.queue: opt-outs checked when stored and when sent, an
unsubscribe link in every mail). Plain text; the texts live in waste's templates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.urls import reverse

from core.urls import absolute_url
from outbox.models import OutboxMessage
from outbox.registry import Cancelled
from waste.models import CollectionDistrict, PickupDate, WasteSubscription

from .emails import Recipient, language_or_default, queue

TEMPLATES = "waste/email"


def subscription_confirm(message: OutboxMessage) -> Iterable[int]:
    subscription_id, token_prefix = message.payload["args"][:2]
    subscription = (
        WasteSubscription.objects.select_related("district__town")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None or not subscription.token.startswith(str(token_prefix)):
        raise Cancelled("subscription gone or asked for again")
    if subscription.confirmed_at is not None:
        return []
    recipient = Recipient(subscription.email, language_or_default(subscription.language), "waste")
    context = {
        "district": subscription.district,
        "confirm_url": absolute_url(reverse("waste:confirm", args=[subscription.token])),
    }
    key = f"waste-confirm:{subscription.pk}:{token_prefix}"
    found = queue(message, key, recipient, f"{TEMPLATES}/confirm", context, subscription.scope)
    return [found] if found is not None else []


def reminder(message: OutboxMessage) -> Iterable[int]:
    """Tomorrow's pickups in one district, to each confirmed subscriber."""
    district_id, day_text = message.payload["args"][:2]
    day = date.fromisoformat(str(day_text))
    district = CollectionDistrict.objects.select_related("town").get(pk=district_id)
    pickups = list(
        PickupDate.objects.filter(district=district, date=day)
        .select_related("waste_type")
        .order_by("waste_type__order", "waste_type__name")
    )
    if not pickups:
        return []
    context = {
        "district": district,
        "day": day,
        "waste_types": [p.waste_type.name for p in pickups],
        "district_url": absolute_url(reverse("waste:district", args=[district.pk])),
    }
    ids: list[int] = []
    subscriptions = WasteSubscription.objects.filter(
        district=district, confirmed_at__isnull=False
    ).order_by("pk")
    for subscription in subscriptions:
        recipient = Recipient(
            subscription.email, language_or_default(subscription.language), "waste"
        )
        key = f"waste-reminder:{district.pk}:{day.isoformat()}"
        found = queue(message, key, recipient, f"{TEMPLATES}/reminder", context, subscription.scope)
        if found is not None:
            ids.append(found)
    return ids
