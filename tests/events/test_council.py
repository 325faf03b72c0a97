"""Council sessions as citizens and API clients see them (demo data, loaded through the
OParl import from a directory): calendar, the session page, the API, the admin."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from data.demo_council import BASE
from events.models import CouncilMeeting, Event

pytestmark = pytest.mark.django_db


def test_demo_sessions_are_upcoming_in_the_calendar(client: Client, calendar_demo: None) -> None:
    assert CouncilMeeting.objects.count() == 4
    upcoming = CouncilMeeting.objects.filter(starts_at__gte=timezone.now())
    assert upcoming.count() == 3
    listing = client.get("/veranstaltungen/liste/", {"art": "sitzung"}).content.decode()
    assert "42. Sitzung – Ausschuss für Bauen, Planung und Umwelt" in listing
    assert "Wochenmarkt" not in listing
    # The session is on the map (the Rathaus is placed) and in the Gemeinde filter.
    council = CouncilMeeting.objects.get(oparl_id=f"{BASE}/meeting/44")
    event = council.event
    assert event is not None and event.location is not None
    assert event.town is not None and event.town.ags == "99001001"


def test_session_page_shows_agenda_documents_and_papers(
    client: Client, calendar_demo: None
) -> None:
    council = CouncilMeeting.objects.get(oparl_id=f"{BASE}/meeting/44")
    page = client.get(f"/veranstaltungen/{council.event_id}/").content.decode()
    assert "Tagesordnung" in page and "Haushaltssatzung 2027" in page
    assert "nicht öffentlich" in page  # N 5 Grundstücksangelegenheiten
    assert f'href="{BASE}/file/einladung-44/access"' in page
    assert "VO/2026/012" in page and f"{BASE}/file/vo-2026-012/access" in page
    # A past session shows its protocol and results.
    past = CouncilMeeting.objects.get(oparl_id=f"{BASE}/meeting/41")
    page = client.get(f"/veranstaltungen/{past.event_id}/").content.decode()
    assert "Ergebnisprotokoll" in page and "ohne Änderungen beschlossen" in page


def test_api_lists_sessions_with_agenda(client: Client, calendar_demo: None) -> None:
    answer = client.get("/api/v1/council/meetings")
    assert answer.status_code == 200
    meetings = answer.json()
    assert [m["oparl_id"].rsplit("/", 1)[1] for m in meetings] == ["42", "43", "44"]
    first = meetings[0]
    assert first["organizations"] == ["Ausschuss für Bauen, Planung und Umwelt"]
    assert first["agenda"][1]["paper_reference"] == "VO/2026/012"
    assert {f["role"] for f in first["files"]} == {"invitation", "auxiliary"}
    assert first["url"].endswith(
        f"/veranstaltungen/{Event.objects.get(council_meeting__oparl_id=first['oparl_id']).pk}/"
    )
    one = client.get(f"/api/v1/council/meetings/{first['id']}").json()
    assert one["name"] == first["name"]
    bad = client.get("/api/v1/council/meetings", {"since": "morgen"})
    assert bad.status_code == 400 and "JJJJ-MM-TT" in bad.content.decode()
    schema = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/council/meetings" in schema


def test_import_command_reads_a_directory_and_is_a_dry_run_by_default(
    tmp_path, calendar_demo
) -> None:
    from io import StringIO

    from data.demo_council import write_demo_system

    url = write_demo_system(tmp_path, timezone.localdate())
    out = StringIO()
    call_command("import_oparl", url, "--directory", str(tmp_path), "--full", stdout=out)
    assert "Probelauf" in out.getvalue() and "Sitzungen: 4 unverändert" in out.getvalue()


def test_the_beat_task_syncs_active_systems_by_name(calendar_demo: None) -> None:
    from celery import current_app
    from django.conf import settings

    import events.tasks  # noqa: F401  (the worker finds it by autodiscovery)
    from events.models import OParlSource

    assert "events.sync_oparl" in current_app.tasks
    assert any(e["task"] == "events.sync_oparl" for e in settings.CELERY_BEAT_SCHEDULE.values())
    # The demo system is not synced; switched on, its address does not resolve: the task
    # logs the failure and keeps the data.
    assert current_app.tasks["events.sync_oparl"]() == 0
    OParlSource.objects.update(is_active=True)
    errors = current_app.tasks["events.sync_oparl"]()
    assert errors == 1
    source = OParlSource.objects.get()
    assert "ratsinfo.heidestadt.example" in source.last_summary
    assert CouncilMeeting.objects.count() == 4
