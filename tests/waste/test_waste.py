"""The Abfallkalender as citizens use it: lookup by address (street list and area), the
district's page and iCal feed, and reminders by e-mail (double opt-in, delivered through the
outbox into the test mail box, opt-out link in every mail)."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import timezone

from outbox import delivery
from outbox.models import OutboxMessage
from tests.factories import UserFactory
from waste import services
from waste.models import CollectionDistrict, PickupDate, WasteSubscription, WasteType

pytestmark = pytest.mark.django_db


def drain() -> None:
    """Deliver the outbox the way the worker does, fan-out rows included."""
    for _round in range(5):
        ids = list(
            OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).values_list(
                "pk", flat=True
            )
        )
        if not ids:
            return
        for message_id in ids:
            delivery.deliver(message_id)


def nord() -> CollectionDistrict:
    return CollectionDistrict.objects.get(name="Nord")


def test_lookup_by_street_finds_the_listed_district(client: Client, calendar_demo: None) -> None:
    page = client.get("/abfall/", {"adresse": "Kirchstraße 5, Heidestadt"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Abfuhrbezirk Nord" in html
    assert "Restmüll" in html and "Gelbe Tonne" in html
    assert f"/abfall/bezirk/{nord().pk}/abfuhrtermine.ics" in html


def test_lookup_by_area_and_unknown_addresses(client: Client, calendar_demo: None) -> None:
    html = client.get("/abfall/", {"adresse": "Birkenweg, Birkenhain"}).content.decode()
    assert "Gesamtes Gemeindegebiet" in html
    # A street in a town without districts, and nonsense: a clear message, no error.
    html = client.get("/abfall/", {"adresse": "Schulweg, Heidestadt"}).content.decode()
    assert "kein Abfuhrbezirk eingetragen" in html
    html = client.get("/abfall/", {"adresse": "Xyzzy"}).content.decode()
    assert "keine Straße und keinen Ort gefunden" in html


def test_ical_feed_per_district_and_per_address(client: Client, calendar_demo: None) -> None:
    response = client.get("/abfall/kalender.ics", {"adresse": "Am Markt, Heidestadt"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == PickupDate.objects.filter(district=nord()).count()
    assert {str(e["SUMMARY"]) for e in events} == {"Restmüll", "Bioabfall", "Papier", "Gelbe Tonne"}
    assert all(e.get("UID") and e.get("DTSTAMP") for e in events)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert client.get("/abfall/kalender.ics", {"adresse": "Xyzzy"}).status_code == 404


def test_api_lookup_and_dates(client: Client, calendar_demo: None) -> None:
    found = client.get("/api/v1/waste/lookup", {"q": "Kirchstraße, Heidestadt"}).json()
    assert found["district"]["name"] == "Nord"
    assert found["pickups"] and {"date", "waste_type"} <= set(found["pickups"][0])
    assert client.get("/api/v1/waste/lookup", {"q": "Xyzzy"}).status_code == 404
    assert client.get("/api/v1/waste/lookup", {"q": ""}).status_code == 400
    dates = client.get(f"/api/v1/waste/districts/{nord().pk}/dates", {"since": "nie"})
    assert dates.status_code == 400 and "JJJJ-MM-TT" in dates.json()["since"][0]


def test_guest_reminder_needs_confirmation_then_arrives_with_opt_out(
    client: Client, calendar_demo: None
) -> None:
    district = nord()
    response = client.post(
        f"/abfall/bezirk/{district.pk}/erinnerung/", {"email": "Anna@Example.org"}
    )
    assert "Bitte bestätigen Sie" in response.content.decode()
    drain()
    assert len(mail.outbox) == 1 and "bestätigen" in mail.outbox[0].subject
    subscription = WasteSubscription.objects.get(email="anna@example.org")
    confirm_path = f"/abfall/bestaetigen/{subscription.token}/"
    assert confirm_path in mail.outbox[0].body
    # Nothing is sent before the confirmation.
    tomorrow = timezone.localdate() + timedelta(days=1)
    PickupDate.objects.get_or_create(
        district=district, waste_type=WasteType.objects.get(slug="papier"), date=tomorrow
    )
    assert services.queue_reminders(timezone.localdate()) == 0
    # GET only shows the button (mail scanners), POST confirms.
    assert "Erinnerung bestätigen" in client.get(confirm_path).content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    client.post(confirm_path)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    mail.outbox.clear()
    assert services.queue_reminders(timezone.localdate()) == 1
    drain()
    assert len(mail.outbox) == 1
    reminder = mail.outbox[0]
    assert reminder.to == ["anna@example.org"]
    assert reminder.subject.startswith("Morgen") and "Papier" in reminder.subject
    assert "Papier" in reminder.body
    assert "List-Unsubscribe" in reminder.extra_headers
    unsubscribe = reminder.extra_headers["List-Unsubscribe"].strip("<>").split("testserver")[-1]
    unsubscribe_path = unsubscribe[unsubscribe.index("/konto/") :]
    assert unsubscribe_path in reminder.body
    # Running the beat task again the same day sends nothing twice.
    services.queue_reminders(timezone.localdate())
    drain()
    assert len(mail.outbox) == 1
    # Opting out stops the next reminder.
    client.post(unsubscribe_path)
    mail.outbox.clear()
    PickupDate.objects.create(
        district=district,
        waste_type=WasteType.objects.get(slug="bio"),
        date=tomorrow + timedelta(days=1),
    ) if not PickupDate.objects.filter(
        district=district, date=tomorrow + timedelta(days=1)
    ).exists() else None
    services.queue_reminders(timezone.localdate() + timedelta(days=1))
    drain()
    assert mail.outbox == []


def test_signed_in_citizen_with_verified_address_is_confirmed_at_once(
    client: Client, calendar_demo: None
) -> None:
    user = UserFactory.create(email="bert@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    page = client.get(f"/abfall/bezirk/{nord().pk}/").content.decode()
    assert 'value="bert@example.org"' in page
    response = client.post(f"/abfall/bezirk/{nord().pk}/erinnerung/", {"email": user.email})
    assert "Sie werden am Vorabend" in response.content.decode()
    drain()
    assert mail.outbox == []  # no confirmation mail needed
    assert WasteSubscription.objects.get(email=user.email).confirmed_at is not None


def test_bad_email_and_bad_token_get_clear_messages(client: Client, calendar_demo: None) -> None:
    response = client.post(f"/abfall/bezirk/{nord().pk}/erinnerung/", {"email": "kein-at"})
    assert response.status_code == 400
    assert "gültige E-Mail-Adresse" in response.content.decode()
    assert not WasteSubscription.objects.exists()
    response = client.post("/abfall/bestaetigen/falsch/")
    assert response.status_code == 400 and "ungültig" in response.content.decode()
