"""Live status endpoints (tracker.live, tracker.staff.live): a page that polls gets a 304 while
nothing changed and the new status after a staff change through the service layer."""

from __future__ import annotations

from django.test import Client

from tests.tracker.staff.fixtures import World
from tracker import services
from tracker.models import Status

PASSWORD = "geheim-Passwort-42"


def test_tracking_state_is_304_until_a_workflow_change(client: Client, world: World) -> None:
    report = world.report()
    url = f"/verfolgen/{report.tracking_token}/stand.json"
    first = client.get(url)
    assert first.status_code == 200
    assert first.json()["status"] == "new"
    assert first.json()["status_label"] == "neu"
    etag = first["ETag"]

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""

    services.report_transition(
        report, Status.PLANNED, by=world.dispatcher, note="Kommt nächste Woche"
    )
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    data = changed.json()
    assert data["status"] == "planned"
    assert data["status_label"] == "angenommen / geplant"
    assert "Kommt nächste Woche" in data["last_update"]
    assert changed["ETag"] != etag


def test_public_state_only_for_public_reports(client: Client, world: World) -> None:
    public = world.report()
    hidden = world.report(confirmed=False)
    assert client.get(f"/meldungen/{public.pk}/stand.json").status_code == 200
    assert client.get(f"/meldungen/{hidden.pk}/stand.json").status_code == 404
    assert client.get("/verfolgen/falsch/stand.json").status_code == 404


def test_english_labels_for_english_visitors(client: Client, world: World) -> None:
    report = world.report()
    client.cookies["django_language"] = "en"
    data = client.get(f"/meldungen/{report.pk}/stand.json").json()
    assert data["status_label"] == "new"


def test_my_reports_state_lists_only_own_reports(client: Client, world: World) -> None:
    own = world.report(reporter=world.crew)
    other = world.report()
    assert client.get(f"/konto/anliegen/stand.json?ids={own.pk}").status_code == 403
    client.force_login(world.crew)
    response = client.get(f"/konto/anliegen/stand.json?ids={own.pk},{other.pk}")
    assert [row["id"] for row in response.json()["reports"]] == [own.pk]
    bad = client.get("/konto/anliegen/stand.json?ids=1,x")
    assert bad.status_code == 400
    assert "ids" in bad.content.decode()


def test_queue_state_follows_staff_changes(client: Client, world: World) -> None:
    report = world.report()
    client.force_login(world.dispatcher)
    url = f"/arbeit/stand.json?ids={report.pk}"
    first = client.get(url)
    assert first.json()["reports"][0]["status"] == "new"
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    services.report_assign(report, team=world.team, by=world.dispatcher)
    assert (
        client.get(url, headers={"If-None-Match": first["ETag"]}).json()["reports"][0]["status"]
        == "planned"
    )
    # The Gemeinde's dispatcher does not see the Kreis's report.
    client.force_login(world.gemeinde_dispatcher)
    assert client.get(url).json() == {"reports": []}
