"""import_oparl against a real OParl server on loopback (tests/events/oparl_server.py)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from boundaries.models import Authority, Level
from events.models import CouncilAgendaItem, CouncilMeeting, Event, OParlSource
from events.oparl.importer import import_oparl

from .oparl_server import OParlFixture, meeting, oparl_server, organization, paper

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(autouse=True)
def _fast_client(settings) -> None:
    settings.OPARL_TIMEOUT = (2.0, 0.7)
    settings.OPARL_RETRIES = 1
    settings.OPARL_RETRY_WAIT = 0.0


@pytest.fixture
def town() -> Authority:
    return Authority.objects.create(
        name="Teststadt", slug="teststadt", level=Level.GEMEINDE, ags="03999001"
    )


def _future(days: int, hour: int = 18) -> str:
    when = timezone.localtime() + timedelta(days=days)
    return when.replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


def _fill(fx: OParlFixture, meetings: int = 5) -> None:
    fx.organizations = [
        organization(fx.base, 1, "Bauausschuss"),
        organization(fx.base, 2, "Rat der Stadt"),
    ]
    fx.meetings = [meeting(fx.base, n, start=_future(n * 3)) for n in range(1, meetings + 1)]
    fx.papers = [paper(fx.base, 7, f"{fx.base}/meeting/1/agendaitem/2")]


def test_dry_run_stores_nothing_and_commit_imports_everything(town, client) -> None:
    with oparl_server() as fx:
        _fill(fx)
        dry = import_oparl(fx.url("system"))
        assert dry.count("meeting", "created") == 5
        assert not CouncilMeeting.objects.exists() and not OParlSource.objects.exists()

        summary = import_oparl(fx.url("system"), commit=True)
    assert summary.ok, summary.errors
    # Five meetings on three pages of two, each with its agenda and invitation.
    assert summary.count("meeting", "created") == 5
    assert "body/1/meetings?page=3" in fx.requests
    first = CouncilMeeting.objects.get(oparl_id=fx.url("meeting/1"))
    assert first.authority == town
    assert [o.name for o in first.organizations.all()] == ["Bauausschuss"]
    assert [i.number for i in first.agenda.all()] == ["Ö 1", "Ö 2"]
    linked = first.agenda.get(number="Ö 2").paper
    assert linked is not None and linked.reference == "VO/2026/007"
    invitation = first.files.get()
    assert invitation.access_url == fx.url("file/101/access")  # a link, not a copy
    # The session is in the calendar, its page shows the agenda and the invitation.
    event = first.event
    assert event is not None
    assert event.category.slug == "sitzung" and event.address.startswith("Rathaus, Ratssaal")
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Bebauungsplan Nr. 12" in page and fx.url("file/101/access") in page
    assert "VO/2026/007" in page
    listing = client.get(reverse("events:list"), {"art": "sitzung"}).content.decode()
    assert "1. Sitzung des Bauausschusses" in listing
    ical = client.get(reverse("events:ical-category", args=["sitzung"])).content.decode()
    assert ical.count("BEGIN:VEVENT") == 5


def test_reimport_is_idempotent_and_incremental_asks_only_for_changes(town) -> None:
    with oparl_server() as fx:
        _fill(fx)
        import_oparl(fx.url("system"), commit=True)
        source = OParlSource.objects.get()
        assert source.last_synced_at is not None
        fx.requests.clear()

        again = import_oparl(fx.url("system"), commit=True, full=True)
        assert again.count("meeting", "unchanged") == 5 and again.count("meeting", "created") == 0
        assert CouncilMeeting.objects.count() == 5 and Event.objects.count() == 5
        assert CouncilAgendaItem.objects.count() == 10

        # A changed meeting: the next (incremental) sync asks for modified_since only.
        fx.requests.clear()
        changed = meeting(
            fx.base, 2, start=_future(6), modified=timezone.now().isoformat(), cancelled=True
        )
        changed["agendaItem"] = changed["agendaItem"][:1]
        fx.meetings[1] = changed
        incremental = import_oparl(fx.url("system"), commit=True)
    assert incremental.since
    lists = [r for r in fx.requests if r.startswith("body/1/")]
    assert lists and all("modified_since=" in r for r in lists)
    assert incremental.count("meeting", "updated") == 1
    assert incremental.count("meeting", "unchanged") == 0
    second = CouncilMeeting.objects.get(oparl_id=fx.url("meeting/2"))
    assert second.cancelled and second.agenda.count() == 1
    assert second.event is not None and second.event.title.endswith("(abgesagt)")
    assert CouncilMeeting.objects.count() == 5


def test_slow_and_broken_pages_are_logged_and_the_rest_is_imported(town) -> None:
    with oparl_server() as fx:
        _fill(fx, meetings=6)
        fx.slow.add("body/1/meetings?page=2")  # longer than the read timeout, twice
        fx.broken["body/1/organizations"] = 500
        fx.broken["body/1/papers"] = "json"
        out = StringIO()
        call_command("import_oparl", fx.url("system"), "--commit", stdout=out, stderr=StringIO())
    text = out.getvalue()
    # Pages 1 and 3 were imported, page 2 (meetings 3 and 4) skipped with its URL.
    assert set(CouncilMeeting.objects.values_list("oparl_id", flat=True)) == {
        fx.url(f"meeting/{n}") for n in (1, 2, 5, 6)
    }
    assert fx.requests.count("body/1/meetings?page=2") == 2  # retried once
    assert f"{fx.url('body/1/meetings?page=2')}: keine Antwort" in text
    assert f"{fx.url('body/1/organizations')}: Serverfehler 500" in text
    assert f"{fx.url('body/1/papers')}: keine gültige JSON-Antwort" in text
    assert "Sitzungen: 4 neu" in text
    # Not a complete sync: the next run asks for everything again.
    assert OParlSource.objects.get().last_synced_at is None


def test_a_broken_object_is_skipped_and_named(town) -> None:
    with oparl_server() as fx:
        _fill(fx, meetings=3)
        fx.meetings[1]["start"] = "nächsten Dienstag"
        summary = import_oparl(fx.url("system"), commit=True)
    assert CouncilMeeting.objects.count() == 2
    assert summary.errors == [
        (fx.url("meeting/2"), "meeting: start: kein Zeitpunkt mit Zeitzone (nächsten Dienstag)")
    ]


def test_a_body_without_authority_is_reported_not_guessed() -> None:
    with oparl_server() as fx:
        _fill(fx, meetings=1)
        summary = import_oparl(fx.url("system"), commit=True)
    assert not CouncilMeeting.objects.exists()
    assert summary.errors[0][0] == fx.url("body/1")
    assert "03999001" in summary.errors[0][1]


def test_a_configured_authority_wins_over_the_ags() -> None:
    county = Authority.objects.create(name="Kreis", slug="kreis", level=Level.KREIS, ags="03999")
    with oparl_server() as fx:
        _fill(fx, meetings=1)
        summary = import_oparl(fx.url("system"), authority=county, commit=True)
    assert summary.ok
    assert CouncilMeeting.objects.get().authority == county


def test_internal_addresses_are_refused_without_allow_list(town, settings) -> None:
    settings.OUTBOUND_ALLOWED_HOSTS = []
    with oparl_server() as fx:
        summary = import_oparl(fx.url("system"), commit=True)
        assert fx.requests == []
    assert "internes Netz" in summary.errors[0][1]
