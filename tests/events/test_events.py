"""The events calendar as a citizen and a calendar app see it: month grid, filters, iCal
feeds parsed back, RSS/Atom, favourites on the personal page, the API."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from boundaries.models import Authority
from data.demo_calendar import load_demo_calendar
from data.demo_spec import BIRKENHAIN, STADT
from events.models import Event, EventCategory
from events.services import event_save
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def this_month() -> str:
    return timezone.localdate().strftime("%Y-%m")


def test_month_grid_shows_each_event_on_its_day(client: Client, calendar_demo: None) -> None:
    response = client.get("/veranstaltungen/", {"monat": this_month()})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<table class="month-grid"' in html
    # The market is in the cell of the 6th (the cell's hidden label names the day), with its
    # start time; the all-day Dorffest has no time.
    cells = html.split("<td")[1:]
    market_cell = next(cell for cell in cells if "Wochenmarkt" in cell)
    assert ", 6. " in market_cell and "08:00" in market_cell
    fest_cell = next(cell for cell in cells if "Dorffest" in cell)
    assert ", 20. " in fest_cell and "event-time" not in fest_cell
    # The previous/next links keep the filters.
    filtered = client.get("/veranstaltungen/", {"monat": this_month(), "gemeinde": BIRKENHAIN})
    page = filtered.content.decode()
    assert "Dorffest Birkenhain" in page
    assert "Wochenmarkt" not in page
    assert f"gemeinde={BIRKENHAIN}" in page


def test_filter_by_category_and_bad_month_falls_back(client: Client, calendar_demo: None) -> None:
    page = client.get("/veranstaltungen/", {"monat": this_month(), "art": "sprechstunde"})
    text = page.content.decode()
    assert "Sprechstunde des Bürgermeisters" in text
    assert "Dorffest" not in text
    assert client.get("/veranstaltungen/", {"monat": "13-x"}).status_code == 200


def test_town_is_derived_from_the_place(calendar_demo: None) -> None:
    market = Event.objects.get(title__startswith="Wochenmarkt")
    assert market.town is not None and market.town.slug == STADT
    # Without a place: a Kreis event has no Gemeinde.
    info = Event.objects.get(title__startswith="Bürgerinformation")
    assert info.location is None and info.town is None


def test_ical_feed_per_authority_is_valid_and_subscribable(
    client: Client, calendar_demo: None
) -> None:
    response = client.get(f"/veranstaltungen/stelle/{STADT}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    timezones = list(calendar.walk("VTIMEZONE"))
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Berlin"]
    events = list(calendar.walk("VEVENT"))
    titles = {str(e["SUMMARY"]) for e in events}
    # Heidestadt's own events and its council sessions (demo OParl import), not the others.
    assert titles == {
        "Wochenmarkt auf dem Marktplatz",
        "Sprechstunde des Bürgermeisters",
        "41. Sitzung – Ausschuss für Bauen, Planung und Umwelt",
        "42. Sitzung – Ausschuss für Bauen, Planung und Umwelt",
        "43. Sitzung – Ausschuss für Schule, Kultur und Sport",
        "44. Sitzung – Rat der Stadt Heidestadt",
    }
    for event in events:
        assert str(event["UID"]).startswith("event-") and event.get("DTSTAMP") is not None
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    market = next(e for e in events if "Wochenmarkt" in str(e["SUMMARY"]))
    assert market.decoded("DTSTART").hour == 8  # local time, as on the page
    assert "stufenlos" in str(market["DESCRIPTION"])
    # The UID is stable between two downloads (calendar apps update, not duplicate).
    again = icalendar.Calendar.from_ical(client.get(f"/veranstaltungen/stelle/{STADT}.ics").content)
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == {str(e["UID"]) for e in events}


def test_all_day_events_are_dates_in_ical(client: Client, calendar_demo: None) -> None:
    response = client.get("/veranstaltungen/art/veranstaltung.ics")
    calendar = icalendar.Calendar.from_ical(response.content)
    fest = next(e for e in calendar.walk("VEVENT") if "Dorffest" in str(e["SUMMARY"]))
    assert isinstance(fest.decoded("DTSTART"), date) and not isinstance(
        fest.decoded("DTSTART"), datetime
    )
    assert fest.decoded("DTEND") - fest.decoded("DTSTART") == timedelta(days=1)
    assert client.get("/veranstaltungen/art/gibt-es-nicht.ics").status_code == 404


def test_rss_and_atom_of_new_events(client: Client, calendar_demo: None) -> None:
    rss = client.get("/veranstaltungen/neu.rss")
    assert rss["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(rss.content).findall("./channel/item")  # noqa: S314 - our own output
    assert len(items) == 8  # four events and four council sessions
    assert any("Dorffest" in (item.findtext("title") or "") for item in items)
    assert any("44. Sitzung" in (item.findtext("title") or "") for item in items)
    atom = ET.fromstring(client.get("/veranstaltungen/neu.atom").content)  # noqa: S314
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert len(atom.findall("a:entry", ns)) == 8


def test_favourites_land_on_the_personal_page(client: Client, calendar_demo: None) -> None:
    event = Event.objects.get(title__startswith="Dorffest")
    # Guests are sent to the login.
    assert client.post(f"/veranstaltungen/{event.pk}/merken/").status_code == 302
    user = UserFactory.create()
    client.force_login(user)
    client.post(f"/veranstaltungen/{event.pk}/merken/")
    mine = client.get("/konto/anliegen/").content.decode()
    assert "Gemerkte Veranstaltungen" in mine and "Dorffest Birkenhain" in mine
    assert "Nicht mehr merken" in client.get(f"/veranstaltungen/{event.pk}/").content.decode()
    client.post(f"/veranstaltungen/{event.pk}/merken/")
    assert "Dorffest Birkenhain" not in client.get("/konto/anliegen/").content.decode()


def test_unpublished_events_are_invisible(client: Client, calendar_demo: None) -> None:
    event = Event.objects.get(title__startswith="Dorffest")
    event.is_published = False
    event_save(event)
    assert client.get(f"/veranstaltungen/{event.pk}/").status_code == 404
    assert "Dorffest" not in client.get("/veranstaltungen/kalender.ics").content.decode()


def test_api_lists_events_and_refuses_bad_periods(client: Client, calendar_demo: None) -> None:
    first = timezone.localdate().replace(day=1)
    response = client.get(
        "/api/v1/events",
        {"since": first.isoformat(), "until": (first + timedelta(days=31)).isoformat()},
    )
    assert response.status_code == 200
    titles = [row["title"] for row in response.json()]
    assert "Wochenmarkt auf dem Marktplatz" in titles
    market = next(row for row in response.json() if row["title"].startswith("Wochenmarkt"))
    assert market["town"] == "Stadt Heidestadt (Demo)" and market["lat"] is not None
    bad = client.get("/api/v1/events", {"since": "gestern"})
    assert bad.status_code == 400 and "JJJJ-MM-TT" in bad.json()["since"][0]
    assert (
        client.get("/api/v1/events", {"since": "2026-01-01", "until": "2028-01-01"}).status_code
        == 400
    )
    schema = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/events" in schema and "/api/v1/waste/lookup" in schema


def test_end_before_start_is_refused(calendar_demo: None) -> None:
    from django.core.exceptions import ValidationError

    start = timezone.now()
    event = Event(
        authority=Authority.objects.get(slug=STADT),
        category=EventCategory.objects.first(),
        title="Falsch",
        starts_at=start,
        ends_at=start - timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as raised:
        event_save(event)
    assert "Ende liegt vor dem Beginn" in str(raised.value)
    assert not Event.objects.filter(title="Falsch").exists()


def test_demo_calendar_is_idempotent(calendar_demo: None) -> None:
    lines = load_demo_calendar(commit=True)
    assert lines[:2] == ["events: 0 new", "pickup dates: 0 new"]
    # The demo council sessions come through the OParl import: unchanged the second time.
    assert "  Sitzungen: 4 unverändert" in lines and "Keine Fehler." in lines
