"""Moderation: photos released or hidden per photo (staff page, staff API, history, public
outputs), the public description edited or hidden with the original kept for staff, and
"Missbrauch melden" from the public page and API into the staff queue. Permissions: other
authorities get 404, crews release only the after-photos of their own work."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from tracker import services
from tracker.models import AbuseFlag, Photo, Report, ReportEvent, Status

from .staff.fixtures import World, jpeg

pytestmark = pytest.mark.django_db

API = "/api/v1/staff"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def with_citizen_photo(world: World) -> tuple[Report, Photo]:
    report = services.report_create(
        category=world.category,
        point=Point(10.1, 53.05, srid=4326),
        description="Schlagloch, Kennzeichen HH-AB 123 im Bild",
        contact=services.Contact(email="buerger@example.org"),
        photos=[jpeg(name="vorher.jpg")],
    )
    report = services.report_confirm(report)
    return report, report.photos.get()


def public_photo_urls(client: Client, report: Report) -> list[str]:
    page = client.get(f"/meldungen/{report.pk}/").content.decode()
    return re.findall(r'<img src="([^"]+)"', page)


# --- photos ----------------------------------------------------------------------------------


def test_dispatcher_releases_and_hides_a_citizen_photo_on_the_staff_page(world: World) -> None:
    report, photo = with_citizen_photo(world)
    public = Client()
    assert public_photo_urls(public, report) == []
    assert public.get(f"/api/v1/reports/{report.pk}").json()["properties"]["photos"] == []
    assert public.get(photo.image.url).status_code in (403, 404)

    dispatcher = client_for(world.dispatcher)
    page = dispatcher.get(f"/arbeit/meldungen/{report.pk}/").content.decode()
    assert "veröffentlichen" in page and "nicht öffentlich" in page
    response = dispatcher.post(
        f"/arbeit/meldungen/{report.pk}/photo-visibility/", {"photo": photo.pk, "public": "1"}
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.is_public
    assert public_photo_urls(public, report) == [photo.thumbnail.url]
    assert len(public.get(f"/api/v1/reports/{report.pk}").json()["properties"]["photos"]) == 1
    assert public.get(photo.image.url).status_code == 200
    open311 = public.get(f"/open311/v2/requests/{report.pk}.json").json()[0]
    assert open311["media_url"].endswith(photo.image.url)
    event = ReportEvent.objects.filter(report=report, kind="photo").latest("id")
    assert (event.is_public, event.actor) == (False, world.dispatcher)
    assert "Foto veröffentlicht" in event.note

    # the same again changes nothing and writes no second entry
    dispatcher.post(
        f"/arbeit/meldungen/{report.pk}/photo-visibility/", {"photo": photo.pk, "public": "1"}
    )
    assert ReportEvent.objects.filter(report=report, kind="photo").count() == 1

    # hidden again through the API
    response = post(
        dispatcher,
        f"{API}/reports/{report.pk}/photo-visibility",
        {"photo": photo.pk, "public": False},
    )
    assert response.status_code == 200, response.content
    assert response.json()["properties"]["photos"][0]["is_public"] is False
    assert public_photo_urls(public, report) == []
    assert public.get(f"/open311/v2/requests/{report.pk}.json").json()[0]["media_url"] is None


def test_photo_visibility_permissions(world: World) -> None:
    report, photo = with_citizen_photo(world)
    url = f"{API}/reports/{report.pk}/photo-visibility"
    body = {"photo": photo.pk, "public": True}
    # another authority's dispatcher: the report does not exist for them
    assert post(client_for(world.gemeinde_dispatcher), url, body).status_code == 404
    # planners read only
    assert post(client_for(world.planner), url, body).status_code == 403
    # a crew on its own work: its after-photo yes, the citizen's photo no
    services.report_transition(report, Status.PLANNED, by=world.dispatcher)
    services.report_assign(report, team=world.team, by=world.dispatcher)
    crew = client_for(world.crew)
    response = post(crew, url, body)
    assert response.status_code == 403
    assert "Disposition" in response.json()["detail"]
    after = services.report_add_photo(report, by=world.crew, file=jpeg())
    response = post(crew, url, {"photo": after.pk, "public": True})
    assert response.status_code == 200, response.content
    # a crew of another team: not their work
    other = post(client_for(world.other_crew), url, {"photo": after.pk, "public": False})
    assert other.status_code == 403
    # a photo of another report
    _elsewhere, foreign = with_citizen_photo(world)
    response = post(client_for(world.dispatcher), url, {"photo": foreign.pk, "public": True})
    assert response.status_code == 400
    assert not Photo.objects.get(pk=foreign.pk).is_public


# --- the public description ------------------------------------------------------------------


def test_edit_hide_and_restore_the_public_description(world: World) -> None:
    report = world.report(description="Schlagloch vor dem Haus von Herrn Meier, Tel. 0171 99")
    dispatcher = client_for(world.dispatcher)
    public = Client()
    response = dispatcher.post(
        f"/arbeit/meldungen/{report.pk}/description/",
        {"description-mode": "edit", "description-text": "Schlagloch vor Hausnummer 3"},
    )
    assert response.status_code == 302
    page = public.get(f"/meldungen/{report.pk}/").content.decode()
    assert "Schlagloch vor Hausnummer 3" in page and "Meier" not in page
    api = public.get(f"/api/v1/reports/{report.pk}").json()["properties"]
    assert api["description"] == "Schlagloch vor Hausnummer 3"
    open311 = public.get(f"/open311/v2/requests/{report.pk}.json").json()[0]
    assert open311["description"] == "Schlagloch vor Hausnummer 3"
    staff_page = dispatcher.get(f"/arbeit/meldungen/{report.pk}/").content.decode()
    assert "Ursprüngliche Beschreibung" in staff_page and "Herrn Meier" in staff_page
    detail = dispatcher.get(f"{API}/reports/{report.pk}").json()["properties"]
    assert detail["original_description"].startswith("Schlagloch vor dem Haus von Herrn Meier")
    assert detail["moderation"]["description_state"] == "edited"

    response = post(dispatcher, f"{API}/reports/{report.pk}/description", {"mode": "hide"})
    assert response.status_code == 200, response.content
    page = public.get(f"/meldungen/{report.pk}/").content.decode()
    assert "Beschreibung von der Verwaltung entfernt" in page and "Hausnummer 3" not in page
    assert "Meier" not in public.get("/api/v1/reports?bbox=10,53,10.2,53.1").content.decode()
    # the original survives edits and hiding
    assert Report.objects.get(pk=report.pk).original_description.startswith("Schlagloch vor dem")

    post(dispatcher, f"{API}/reports/{report.pk}/description", {"mode": "restore"})
    report.refresh_from_db()
    assert report.description.startswith("Schlagloch vor dem Haus") and not report.description_state
    notes = list(
        ReportEvent.objects.filter(report=report, kind="moderated").values_list("note", "is_public")
    )
    assert len(notes) == 3 and not any(public_ for _note, public_ in notes)


def test_description_rules(world: World) -> None:
    report = world.report()
    url = f"{API}/reports/{report.pk}/description"
    assert post(client_for(world.gemeinde_dispatcher), url, {"mode": "hide"}).status_code == 404
    assert post(client_for(world.crew), url, {"mode": "hide"}).status_code == 403
    empty = post(client_for(world.dispatcher), url, {"mode": "edit", "text": " "})
    assert empty.status_code == 400
    nothing = post(client_for(world.dispatcher), url, {"mode": "restore"})
    assert nothing.status_code == 400 and "unverändert" in nothing.content.decode()
    assert Report.objects.get(pk=report.pk).description == "Schlagloch vor Hausnummer 3"


# --- "Missbrauch melden" ---------------------------------------------------------------------


def test_abuse_report_from_the_public_page_lands_in_the_queue(world: World) -> None:
    cache.clear()
    report = world.report()
    public = Client()
    page = public.get(f"/meldungen/{report.pk}/").content.decode()
    assert f'href="/meldungen/{report.pk}/missbrauch/"' in page
    form = public.get(f"/meldungen/{report.pk}/missbrauch/")
    assert form.status_code == 200 and "Persönliche Daten" in form.content.decode()
    missing = public.post(f"/meldungen/{report.pk}/missbrauch/", {"text": "?"})
    assert missing.status_code == 400 and "Pflichtfeld" in missing.content.decode()
    bot = public.post(
        f"/meldungen/{report.pk}/missbrauch/", {"reason": "spam", "website": "http://x"}
    )
    assert bot.status_code == 400
    response = public.post(
        f"/meldungen/{report.pk}/missbrauch/",
        {"reason": "personal_data", "text": "Man erkennt das Kennzeichen."},
        follow=True,
    )
    assert "prüft Ihren Hinweis" in response.content.decode()
    assert AbuseFlag.objects.filter(report=report).count() == 1

    dispatcher = client_for(world.dispatcher)
    queue = dispatcher.get("/arbeit/?moderation=gemeldet").content.decode()
    assert f"/arbeit/meldungen/{report.pk}/" in queue and "Missbrauch gemeldet (1)" in queue
    other = world.report()
    assert f"/arbeit/meldungen/{other.pk}/" not in queue
    assert f"/arbeit/meldungen/{other.pk}/" in dispatcher.get("/arbeit/").content.decode()
    detail = dispatcher.get(f"/arbeit/meldungen/{report.pk}/").content.decode()
    assert "Man erkennt das Kennzeichen." in detail
    # another authority's staff do not see the flag
    gemeinde = client_for(world.gemeinde_dispatcher).get("/api/v1/staff/reports?moderation=flagged")
    assert gemeinde.json()["count"] == 0

    response = dispatcher.post(
        f"/arbeit/meldungen/{report.pk}/abuse-resolve/", {"abuse-note": "ok"}
    )
    assert response.status_code == 302
    assert not AbuseFlag.objects.filter(report=report, resolved_at__isnull=True).exists()
    assert dispatcher.get("/api/v1/staff/reports?moderation=flagged").json()["count"] == 0
    assert ReportEvent.objects.filter(report=report, kind="moderated", is_public=False).exists()


def test_abuse_api(world: World) -> None:
    cache.clear()
    report = world.report()
    unconfirmed = world.report(confirmed=False)
    client = Client()
    url = f"/api/v1/reports/{report.pk}/abuse"
    assert post(client, url, {"reason": "nonsense"}).status_code == 400
    assert post(client, url, {"reason": "spam", "website": "x"}).status_code == 400
    assert (
        post(client, f"/api/v1/reports/{unconfirmed.pk}/abuse", {"reason": "spam"}).status_code
        == 404
    )
    response = post(client, url, {"reason": "offensive", "text": "Beleidigung"})
    assert response.status_code == 201, response.content
    detail = client_for(world.dispatcher).get(f"{API}/reports/{report.pk}").json()["properties"]
    assert [(f["reason"], f["text"]) for f in detail["abuse_flags"]] == [
        ("offensive", "Beleidigung")
    ]
    assert detail["moderation"]["open_flags"] == 1
    # resolving twice: nothing open any more
    resolve = f"{API}/reports/{report.pk}/abuse-resolve"
    assert post(client_for(world.crew), resolve, {}).status_code == 403
    assert post(client_for(world.dispatcher), resolve, {}).status_code == 200
    assert post(client_for(world.dispatcher), resolve, {}).status_code == 400


def test_abuse_api_is_rate_limited(world: World) -> None:
    cache.clear()
    report = world.report()
    client = Client()
    codes = [
        post(client, f"/api/v1/reports/{report.pk}/abuse", {"reason": "spam"}).status_code
        for _ in range(21)
    ]
    assert codes[:20] == [201] * 20 and codes[20] == 429
    cache.clear()
