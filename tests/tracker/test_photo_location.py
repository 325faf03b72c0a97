"""POST /api/v1/photos/location: the GPS position of a photo, rate-limited per address."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from PIL import Image
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db


def photo() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (90, 90, 90)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "foto.jpg"
    return buffer


def test_reading_photo_positions_is_rate_limited_per_address(settings: Any) -> None:
    rates: dict[str, Any] = {**api_settings.DEFAULT_THROTTLE_RATES, "photo_location": "2/h"}
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = rates
    try:
        client = Client(HTTP_ACCEPT_LANGUAGE="de")
        for _ in range(2):
            answer = client.post("/api/v1/photos/location", {"photo": photo()})
            assert answer.status_code == 404  # no GPS position in this photo
        third = client.post("/api/v1/photos/location", {"photo": photo()})
        assert third.status_code == 429
        assert "gedrosselt" in third.json()["detail"]
        # Another address still gets its answer.
        other = Client(REMOTE_ADDR="192.0.2.7")
        assert other.post("/api/v1/photos/location", {"photo": photo()}).status_code == 404
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
