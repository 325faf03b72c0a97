"""The demo region gives a few categories Open311 attributes, idempotently."""

from __future__ import annotations

import pytest

from data.demo import load_demo
from tracker.open311.models import ServiceAttribute

pytestmark = pytest.mark.django_db


def test_demo_seeds_attributes_once_and_keeps_edits() -> None:
    first = load_demo(commit=True)
    assert first.tallies["open311 attrs"].created == 3
    groesse = ServiceAttribute.objects.get(category__slug="schlagloch", code="groesse")
    assert groesse.datatype == "singlevaluelist" and groesse.keys == ["klein", "mittel", "gross"]
    mast = ServiceAttribute.objects.get(category__slug="strassenbeleuchtung")
    mast.description = "Nummer am Mast (vom Betreiber angepasst)"
    mast.save()
    second = load_demo(commit=True)
    assert second.tallies["open311 attrs"].created == 0
    mast.refresh_from_db()
    assert mast.description == "Nummer am Mast (vom Betreiber angepasst)"
    assert ServiceAttribute.objects.count() == 3
