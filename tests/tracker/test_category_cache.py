"""The intake's per-process category cache: a change through the admin or the services
applies to the very next report; a change made by another process (here: behind the ORM's
back, announced by the version in Redis) within about a second."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from boundaries.models import Level
from tests.factories import CategoryFactory, box, territory
from tracker import category_cache
from tracker.models import Category, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def region() -> dict[str, Any]:
    kreis = territory("Landkreis Test", Level.KREIS, box(10.0, 53.0, 10.2, 53.1), ags="99001")
    other = territory("Landkreis Nachbar", Level.KREIS, box(11.0, 53.0, 11.2, 53.1), ags="99002")
    category = CategoryFactory.create(slug="wilder-muell", name="Wilder Müll", level=Level.KREIS)
    return {"kreis": kreis, "other": other, "category": category}


def post_report(client: Client) -> Any:
    return client.post(
        "/api/v1/reports",
        {
            "lat": "53.05",
            "lon": "10.1",
            "category": "wilder-muell",
            "description": "Sperrmüll am Waldrand",
            "email": "b@example.org",
        },
    )


def test_deactivating_a_category_refuses_the_next_report(client: Client, region: dict) -> None:
    assert post_report(client).status_code == 201  # cached now
    category = region["category"]
    category.is_active = False
    category.save()
    refused = post_report(client)
    assert refused.status_code == 400
    assert "Unbekannte Kategorie" in str(refused.json()["category"])
    assert Report.objects.count() == 1


def test_limiting_where_a_category_is_offered_applies_to_the_next_report(
    client: Client, region: dict
) -> None:
    assert post_report(client).status_code == 201
    region["category"].available_in.set([region["other"]])
    refused = post_report(client)
    assert refused.status_code == 400
    assert "an diesem Ort nicht angeboten" in str(refused.json()["category"])
    region["category"].available_in.set([region["kreis"]])
    assert post_report(client).status_code == 201


def test_another_process_change_is_seen_within_about_a_second(client: Client, region: dict) -> None:
    assert post_report(client).status_code == 201
    # Another worker deactivates it: this process learns of it only through Redis.
    Category.objects.filter(pk=region["category"].pk).update(is_active=False)
    assert post_report(client).status_code == 201  # still cached here, for at most a second
    cache.set(category_cache.VERSION_KEY, "changed-elsewhere", timeout=None)
    time.sleep(category_cache.CHECK_SECONDS + 0.1)
    assert post_report(client).status_code == 400
