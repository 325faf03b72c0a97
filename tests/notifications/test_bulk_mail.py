"""Large fan-outs (area alerts, followers) are queued in batches, each shared text rendered
once: every subscriber still gets exactly the mail the one-by-one path would have rendered,
with their own alert's name and their own unsubscribe link, and opt-outs still hold."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core import signing

from notifications import alerts, emails
from notifications.models import AreaAlert, EmailOptOut
from outbox.models import OutboxMessage
from tests.factories import UserFactory
from tests.tracker.staff.fixtures import World, make_world


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def _alert(email: str, name: str, language: str = "de") -> AreaAlert:
    user = UserFactory.create(email=email, preferred_language=language)
    area = MultiPolygon(Polygon.from_bbox((9.9, 52.9, 10.3, 53.2)), srid=4326)
    return AreaAlert.objects.create(
        user=user, name=name, area=area, frequency=AreaAlert.Frequency.INSTANT
    )


def test_every_subscriber_gets_their_own_mail_as_if_rendered_alone(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    garden = [_alert(f"garten{i}@example.org", "Garten") for i in range(3)]
    school = _alert("schule@example.org", "Schulweg")
    english = _alert("english@example.org", "Garten", language="en")
    away = _alert("weg@example.org", "Garten")
    EmailOptOut.objects.create(email="weg@example.org", scope=f"alert:{away.pk}")
    report = world.report(confirmed=True)
    parent = OutboxMessage.objects.create(kind="test.parent", idempotency_key="parent")

    # The unsubscribe links are signed with a timestamp of one-second resolution: both mails
    # are signed in the same second, whatever second the fan-out ends in.
    second = signing.b62_encode(int(time.time()))
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda signer: second)
    ids = alerts.fan_out_instant(parent, report.pk)

    rows = {row.payload["to"]: row for row in OutboxMessage.objects.filter(pk__in=ids)}
    assert "weg@example.org" not in rows
    expected_to = {a.user.email for a in [*garden, school, english]}
    assert expected_to <= set(rows)
    context: dict[str, Any] = alerts._alert_context(None, [report])
    for alert in [*garden, school, english]:
        row = rows[alert.user.email]
        alone = emails.render(
            alert.user.email,
            "area_alert",
            {**context, "alert": alert},
            alert.user.preferred_language,
            f"alert:{alert.pk}",
        )
        assert row.payload == alone
        assert (
            row.idempotency_key == f"email:alert:{alert.pk}:report:{report.pk}:{alert.user.email}"
        )
    links = {rows[a.user.email].payload["headers"]["List-Unsubscribe"] for a in garden}
    assert len(links) == 3  # each their own unsubscribe link
    assert "Schulweg" in rows["schule@example.org"].payload["subject"]
    assert (
        rows["english@example.org"].payload["text"] != rows["garten0@example.org"].payload["text"]
    )


def test_a_repeated_fan_out_queues_nothing_new(world: World) -> None:
    for i in range(3):
        _alert(f"nachbar{i}@example.org", "Nachbarschaft")
    report = world.report(confirmed=True)
    parent = OutboxMessage.objects.create(kind="test.parent", idempotency_key="parent")
    first = alerts.fan_out_instant(parent, report.pk)
    again = alerts.fan_out_instant(parent, report.pk)
    assert sorted(first) == sorted(again)
    assert OutboxMessage.objects.filter(kind=OutboxMessage.EMAIL).count() == len(first)
