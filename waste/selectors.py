"""Reads of the Abfallkalender."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import groupby

from django.db.models import QuerySet
from django.utils import timezone

from .models import CollectionDistrict, PickupDate

UPCOMING_DAYS = 56


def pickups(district_id: int, since: date, until: date) -> QuerySet[PickupDate]:
    return (
        PickupDate.objects.filter(district_id=district_id, date__gte=since, date__lt=until)
        .select_related("waste_type")
        .order_by("date", "waste_type__order", "waste_type__name")
    )


def upcoming_by_day(
    district_id: int, days: int = UPCOMING_DAYS
) -> list[tuple[date, list[PickupDate]]]:
    today = timezone.localdate()
    rows = pickups(district_id, today, today + timedelta(days=days))
    return [(day, list(items)) for day, items in groupby(rows, key=lambda p: p.date)]


def districts() -> QuerySet[CollectionDistrict]:
    return CollectionDistrict.objects.select_related("town").order_by("town__name", "name")
