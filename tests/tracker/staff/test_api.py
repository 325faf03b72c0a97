"""Staff REST API: the queue with filters and constant queries, the detail with internal data for
the own authority only, every action endpoint, bulk, and attempts to break the isolation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from accounts.models import Role, User
from tests.factories import ResponseTemplateFactory, RoadFactory, UserFactory, staff
from tracker import services
from tracker.models import Photo, Priority, Report, Status

from .fixtures import World, jpeg

pytestmark = pytest.mark.django_db

API = "/api/v1/staff"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, data: Any = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_anonymous_and_citizens_are_kept_out(world: World) -> None:
    report = world.report()
    citizen = client_for(UserFactory.create())
    for client, message in ((Client(), "Anmeldedaten fehlen"), (citizen, "Mitarbeitende")):
        for response in (
            client.get(f"{API}/reports"),
            client.get(f"{API}/reports/{report.pk}"),
            post(client, f"{API}/reports/{report.pk}/transition", {"status": "in_review"}),
            post(client, f"{API}/reports/bulk", {"action": "priority", "reports": [report.pk]}),
            client.get(f"{API}/templates"),
            client.get(f"{API}/me"),
        ):
            assert response.status_code == 403, response.content
            assert message in response.json()["detail"]
    assert Report.objects.get(pk=report.pk).status == Status.NEW


def test_queue_lists_own_reports_as_geojson_with_exact_location(world: World) -> None:
    mine = world.report()
    other = world.report()
    Report.objects.filter(pk=other.pk).update(authority=world.gemeinde)
    body = client_for(world.dispatcher).get(f"{API}/reports").json()
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 1
    (feature,) = body["features"]
    assert feature["id"] == mine.pk
    assert feature["geometry"] == {"type": "Point", "coordinates": [10.1, 53.05]}
    props = feature["properties"]
    assert props["status"] == "new" and props["priority"] == "normal"
    assert props["authority"]["name"] == "Landkreis Heide"
    assert props["overdue"] is False and props["due_at"]
    # the queue lists no contact data (the detail shows it)
    assert "Mustermann" not in json.dumps(body)
    assert client_for(world.gemeinde_dispatcher).get(f"{API}/reports").json()["count"] == 1


def test_queue_filters_and_sorting(world: World) -> None:
    road = RoadFactory.create(ref="K 12")
    plain = world.report()
    on_road = world.report(road=road)
    Report.objects.filter(pk=plain.pk).update(due_at="2020-01-01T00:00:00Z")
    services.report_set_priority(on_road, priority=Priority.HIGH, by=world.dispatcher)
    services.report_assign(on_road, team=world.team, user=world.crew, by=world.dispatcher)
    client = client_for(world.dispatcher)

    def ids(**params: str) -> list[int]:
        response = client.get(f"{API}/reports", params)
        assert response.status_code == 200, response.content
        return [f["id"] for f in response.json()["features"]]

    assert ids(road="k12") == [on_road.pk]
    assert ids(road="K 12") == [on_road.pk]
    assert ids(overdue="true") == [plain.pk]
    assert ids(priority="high,urgent") == [on_road.pk]
    assert ids(team=str(world.team.pk)) == [on_road.pk]
    assert ids(team="none") == [plain.pk]
    assert ids(assigned_to=str(world.crew.pk)) == [on_road.pk]
    assert client_for(world.crew).get(f"{API}/reports", {"assigned_to": "me"}).json()["count"] == 1
    # Assigning accepted it (tracker.workflow.PLANNED_BY_ASSIGNMENT).
    assert ids(status="new", category="schlagloch") == [plain.pk]
    assert ids(status="new,planned", category="schlagloch") == [on_road.pk, plain.pk]
    assert ids(sort="-priority") == [on_road.pk, plain.pk]
    assert ids(sort="due_at") == [plain.pk, on_road.pk]
    assert ids(bbox="10.0,53.0,10.2,53.1", sort="created_at") == [plain.pk, on_road.pk]
    assert ids(bbox="11.0,54.0,11.2,54.1") == []
    assert ids(page_size="1", sort="created_at") == [plain.pk]
    for params, field in [
        ({"status": "kaputt"}, "status"),
        ({"priority": "sehr"}, "priority"),
        ({"team": "x"}, "team"),
        ({"assigned_to": "du"}, "assigned_to"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"sort": "description"}, "sort"),
        ({"page": "0"}, "page"),
    ]:
        response = client.get(f"{API}/reports", params)
        assert response.status_code == 400, params
        assert field in response.json()


def test_queue_queries_do_not_grow_with_the_page(
    world: World, django_assert_num_queries: Any
) -> None:
    road = RoadFactory.create(ref="K 1")
    for _ in range(3):
        report = world.report(road=road)
        services.report_assign(report, team=world.team, user=world.crew, by=world.dispatcher)
    client = client_for(world.dispatcher)
    client.get(f"{API}/reports")  # the session's first request goes the full way
    # then one statement: COUNT, page, and the check of the session, user and memberships
    # (tracker.staff.fastpath)
    with django_assert_num_queries(1):
        first = client.get(f"{API}/reports")
    for _ in range(10):
        report = world.report(road=road)
        services.report_assign(report, team=world.team, user=world.crew, by=world.dispatcher)
    with django_assert_num_queries(1):
        second = client.get(f"{API}/reports")
    assert (first.json()["count"], second.json()["count"]) == (3, 13)
    assert len(second.json()["features"]) == 13


def test_template_and_authority_lists_queries(world: World, django_assert_num_queries: Any) -> None:
    ResponseTemplateFactory.create(authority=world.kreis, status=Status.DONE)
    ResponseTemplateFactory.create(authority=world.kreis)
    ResponseTemplateFactory.create(authority=world.gemeinde)
    client = client_for(world.dispatcher)
    client.get(f"{API}/me")
    with django_assert_num_queries(4):  # session, user, memberships, templates
        templates = client.get(f"{API}/templates").json()
    assert len(templates) == 2
    assert {t["authority"] for t in templates} == {world.kreis.pk}
    report = world.report()
    assert (
        len(client.get(f"{API}/templates", {"report": str(report.pk), "status": "done"}).json())
        == 2
    )
    assert (
        len(client.get(f"{API}/templates", {"report": str(report.pk), "status": "new"}).json()) == 1
    )
    foreign = world.report()
    Report.objects.filter(pk=foreign.pk).update(authority=world.gemeinde)
    assert client.get(f"{API}/templates", {"report": foreign.pk}).status_code == 404
    with django_assert_num_queries(4):  # session, user, memberships, authorities
        authorities = client.get(f"{API}/authorities").json()
    assert {a["name"] for a in authorities} == {"Landkreis Heide", "Gemeinde Moor"}


def test_detail_shows_contact_internal_notes_and_allowed_actions(world: World) -> None:
    report = world.report()
    services.report_add_note(report, by=world.dispatcher, text="Anwohner ruft täglich an")
    body = client_for(world.dispatcher).get(f"{API}/reports/{report.pk}").json()
    props = body["properties"]
    assert props["reporter_name"] == "Erika Mustermann"
    assert props["reporter_phone"] == "0171 1234567"
    assert props["reporter_email"] == "buerger@example.org"
    notes = [(e["kind"], e["note"], e["is_public"]) for e in props["history"]]
    assert ("note", "Anwohner ruft täglich an", False) in notes
    note = next(e for e in props["history"] if e["kind"] == "note")
    assert note["actor"]["email"] == "dispo@example.org"
    assert set(props["allowed_actions"]) >= {"review", "forward", "reject", "assign"}
    crew_view = client_for(world.crew).get(f"{API}/reports/{report.pk}").json()
    assert crew_view["properties"]["allowed_actions"] == []


def test_long_history_names_each_entrys_author(
    world: World, django_assert_max_num_queries: Any
) -> None:
    """A report worked on for a long time: every note in the staff view carries the person who
    wrote it (the history's entries share one serializer for their authors), and the answer
    needs no query per entry."""
    report = world.report()
    colleague = staff(world.kreis, Role.DISPATCHER, email="dispo2@example.org")
    authors = [world.dispatcher, colleague, world.admin]
    for n in range(30):
        services.report_add_note(report, by=authors[n % 3], text=f"Notiz {n}")
    client = client_for(world.dispatcher)
    with django_assert_max_num_queries(15):
        history = client.get(f"{API}/reports/{report.pk}").json()["properties"]["history"]
    notes = {e["note"]: e["actor"]["email"] for e in history if e["kind"] == "note"}
    assert len(notes) == 30
    assert all(notes[f"Notiz {n}"] == authors[n % 3].email for n in range(30))


def test_other_authority_gets_404_everywhere(world: World) -> None:
    report = world.report()
    client = client_for(world.gemeinde_dispatcher)
    assert client.get(f"{API}/reports/{report.pk}").status_code == 404
    for action, data in [
        ("transition", {"status": "in_review"}),
        ("assign", {"team": world.gemeinde_team.pk}),
        ("take", {}),
        ("priority", {"priority": "urgent"}),
        ("forward", {"authority": world.gemeinde.pk, "note": "meins"}),
        ("duplicate", {"original": report.pk}),
        ("reject", {"reason": "x"}),
        ("reopen", {}),
        ("note", {"text": "x"}),
    ]:
        response = post(client, f"{API}/reports/{report.pk}/{action}", data)
        assert response.status_code == 404, (action, response.content)
    response = client.post(f"{API}/reports/{report.pk}/photo", {"photo": jpeg()})
    assert response.status_code == 404
    results = post(
        client,
        f"{API}/reports/bulk",
        {"action": "priority", "reports": [report.pk], "priority": "low"},
    ).json()["results"]
    assert results == [{"id": report.pk, "ok": False, "error": "Meldung nicht gefunden."}]
    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.status, fresh.priority, fresh.events.count()) == (Status.NEW, Priority.NORMAL, 1)


def test_every_action_endpoint(world: World) -> None:
    report = world.report()
    original = world.report()
    dispatcher = client_for(world.dispatcher)
    crew = client_for(world.crew)

    def act(client: Client, action: str, data: dict[str, Any] | None = None) -> Any:
        response = post(client, f"{API}/reports/{report.pk}/{action}", data)
        assert response.status_code == 200, (action, response.content)
        return response.json()["properties"]

    assert act(dispatcher, "transition", {"status": "in_review"})["status"] == "in_review"
    assert act(dispatcher, "priority", {"priority": "high"})["priority"] == "high"
    props = act(dispatcher, "assign", {"team": world.team.pk})
    assert props["assigned_team"]["name"] == "Straßenmeisterei Nord"
    assert props["status"] == "planned"  # assigning a report in triage accepts it
    assert act(crew, "take")["assigned_to"]["email"] == "kolonne@example.org"
    act(crew, "transition", {"status": "in_progress"})
    act(crew, "note", {"text": "Kaltasphalt geholt"})
    response = crew.post(f"{API}/reports/{report.pk}/photo", {"photo": jpeg(), "kind": "after"})
    assert response.status_code == 200, response.content
    photos = response.json()["properties"]["photos"]
    assert [(p["kind"], p["is_public"]) for p in photos] == [("after", False)]
    props = act(crew, "transition", {"status": "done", "note": "Erledigt."})
    assert props["status"] == "done" and props["allowed_actions"] == [
        "note",
        "photo",
        "photo_visibility",
    ]
    props = act(dispatcher, "reopen", {"note": "Wieder kaputt", "public_note": False})
    assert props["status"] == "in_review"
    response = post(
        dispatcher,
        f"{API}/reports/{report.pk}/forward",
        {"authority": world.gemeinde.slug, "note": "Gemeindestraße", "public_note": True},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "forwarded"
    assert response.json()["authority"]["name"] == "Gemeinde Moor"
    assert response.json()["detail"] == "Weitergeleitet an Gemeinde Moor."
    # gone for the Kreis now, there for the Gemeinde
    assert dispatcher.get(f"{API}/reports/{report.pk}").status_code == 404
    gemeinde = client_for(world.gemeinde_dispatcher)
    props = gemeinde.get(f"{API}/reports/{report.pk}").json()["properties"]
    notes = [e["note"] for e in props["history"]]
    assert "Gemeindestraße" in notes and "Kaltasphalt geholt" not in notes
    # Kreis actors are not named to the Gemeinde
    assert all(e["actor"] is None for e in props["history"] if e["kind"] != "note")
    response = post(
        gemeinde,
        f"{API}/reports/{report.pk}/forward",
        {"authority": world.kreis.pk, "note": "Doch Kreis"},
    )
    assert response.status_code == 200
    act(dispatcher, "reject", {"reason": "Privatweg"})
    act(dispatcher, "reopen")
    props = act(dispatcher, "duplicate", {"original": original.pk, "note": "gleich"})
    assert props["status"] == "duplicate"
    assert props["duplicate_of"] == {"id": original.pk, "reference": original.reference}
    detail = dispatcher.get(f"{API}/reports/{original.pk}").json()["properties"]
    assert detail["duplicates"] == [report.pk]
    assert detail["supporter_count"] == 0  # same reporter: counted once


def test_action_errors_are_400_or_403_with_messages(world: World) -> None:
    report = world.report()
    dispatcher = client_for(world.dispatcher)
    crew = client_for(world.crew)
    url = f"{API}/reports/{report.pk}"
    cases = [
        (dispatcher, "transition", {"status": "done"}, 400, "kann nicht"),
        (dispatcher, "transition", {"status": "rejected"}, 400, "Begründung"),
        (dispatcher, "transition", {"status": "kaputt"}, 400, "kaputt"),
        (dispatcher, "transition", {}, 400, "status"),
        (dispatcher, "reject", {"reason": "  "}, 400, "reason"),
        (
            dispatcher,
            "forward",
            {"authority": "gibts-nicht", "note": "x"},
            400,
            "Unbekannte Stelle",
        ),
        (dispatcher, "forward", {"authority": world.kreis.pk, "note": "x"}, 400, "bereits"),
        (dispatcher, "duplicate", {"original": report.pk}, 400, "sich selbst"),
        (dispatcher, "duplicate", {"original": 999999}, 400, "nicht gefunden"),
        (dispatcher, "assign", {"team": world.gemeinde_team.pk}, 400, "Unbekanntes Team"),
        (dispatcher, "assign", {"user": world.gemeinde_dispatcher.pk}, 400, "Unbekannte Person"),
        (dispatcher, "assign", {"user": world.planner.pk}, 400, "arbeitet nicht"),
        (dispatcher, "priority", {"priority": "sofort"}, 400, "priority"),
        (dispatcher, "reopen", {}, 400, "nicht möglich"),
        (dispatcher, "note", {"text": ""}, 400, "text"),
        (crew, "reject", {"reason": "weg"}, 403, "Rolle"),
        (crew, "forward", {"authority": world.gemeinde.pk, "note": "weg"}, 403, "Rolle"),
        (crew, "assign", {"user": world.crew.pk}, 403, "Rolle"),
        (crew, "take", {}, 403, "nicht Ihnen oder Ihrem Team"),
        (client_for(world.planner), "note", {"text": "x"}, 403, "Rolle"),
    ]
    for client, action, data, status, message in cases:
        response = post(client, f"{url}/{action}", data)
        assert response.status_code == status, (action, data, response.content)
        assert message in response.content.decode(), (action, response.content)
    response = dispatcher.post(f"{url}/photo", {"photo": jpeg()}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    bad = jpeg()
    bad.seek(0)
    bad.write(b"GIF89a kaputt")
    bad.truncate()
    bad.seek(0)
    response = dispatcher.post(f"{url}/photo", {"photo": bad})
    assert response.status_code == 400 and "photo" in response.json()
    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.status, fresh.authority_id, fresh.assigned_to_id) == (
        Status.NEW,
        world.kreis.pk,
        None,
    )
    assert fresh.photos.count() == 1


def test_close_without_required_after_photo_is_400(world: World) -> None:
    world.category.requires_after_photo = True
    world.category.save()
    report = world.report()
    client = client_for(world.dispatcher)
    post(client, f"{API}/reports/{report.pk}/transition", {"status": "planned"})
    response = post(client, f"{API}/reports/{report.pk}/transition", {"status": "done"})
    assert response.status_code == 400
    assert "Foto nach der Erledigung" in response.content.decode()
    client.post(f"{API}/reports/{report.pk}/photo", {"photo": jpeg(), "kind": "after"})
    response = post(client, f"{API}/reports/{report.pk}/transition", {"status": "done"})
    assert response.status_code == 200
    assert Report.objects.get(pk=report.pk).photos.get().kind == Photo.Kind.AFTER


def test_bulk_endpoint(world: World) -> None:
    first, second, third = (world.report() for _ in range(3))
    client = client_for(world.dispatcher)
    response = post(
        client,
        f"{API}/reports/bulk",
        {"action": "assign", "reports": [first.pk, second.pk], "team": world.team.pk},
    )
    assert response.status_code == 200
    assert [r["ok"] for r in response.json()["results"]] == [True, True]
    # Assigning accepted both (tracker.workflow.PLANNED_BY_ASSIGNMENT) …
    assert set(
        Report.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    ) == {Status.PLANNED}
    response = post(
        client,
        f"{API}/reports/bulk",
        {"action": "transition", "reports": [first.pk, second.pk], "status": "in_review"},
    )
    assert [r["ok"] for r in response.json()["results"]] == [False, False]
    response = post(
        client,
        f"{API}/reports/bulk",
        {"action": "transition", "reports": [first.pk], "status": "in_progress"},
    )
    assert [r["ok"] for r in response.json()["results"]] == [True]
    response = post(
        client,
        f"{API}/reports/bulk",
        {"action": "merge", "reports": [second.pk, third.pk], "original": first.pk},
    )
    assert [r["ok"] for r in response.json()["results"]] == [True, True]
    assert set(Report.objects.filter(duplicate_of=first).values_list("pk", flat=True)) == {
        second.pk,
        third.pk,
    }
    response = post(client, f"{API}/reports/bulk", {"action": "transition", "reports": [1]})
    assert response.status_code == 400 and "status" in response.json()
    response = post(client, f"{API}/reports/bulk", {"action": "delete", "reports": [1]})
    assert response.status_code == 400
    crew = client_for(world.crew)
    response = post(
        crew,
        f"{API}/reports/bulk",
        {"action": "priority", "reports": [first.pk], "priority": "low"},
    )
    assert response.json()["results"][0]["ok"] is False


def test_token_authentication(world: World) -> None:
    report = world.report()
    token = Token.objects.create(user=world.dispatcher)
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get(f"{API}/reports", **auth).json()["count"] == 1  # type: ignore[arg-type]
    response = client.post(
        f"{API}/reports/{report.pk}/transition",
        json.dumps({"status": "in_review"}),
        content_type="application/json",
        **auth,  # type: ignore[arg-type]
    )
    assert response.status_code == 200
    bad = client.get(f"{API}/reports", HTTP_AUTHORIZATION="Token falsch")
    assert bad.status_code in (401, 403)
    me = client.get(f"{API}/me", **auth).json()  # type: ignore[arg-type]
    assert me["memberships"] == [
        {"authority": {"id": world.kreis.pk, "name": "Landkreis Heide"}, "roles": ["dispatcher"]}
    ]


def test_public_api_and_pages_never_show_internal_notes_or_contact_data(world: World) -> None:
    report = world.report()
    services.report_add_note(report, by=world.dispatcher, text="GEHEIM-intern")
    services.report_forward_to_authority(
        report, authority=world.gemeinde, by=world.dispatcher, note="GEHEIM-weiterleitung"
    )
    services.report_add_note(report, by=world.gemeinde_dispatcher, text="öffentlich", public=True)
    public = Client()
    for url in (
        f"/api/v1/reports/{report.pk}",
        "/api/v1/reports?bbox=10.0,53.0,10.2,53.1",
        f"/meldungen/{report.pk}/",
        f"/verfolgen/{report.tracking_token}/",
    ):
        response = public.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for secret in ("GEHEIM", "Mustermann", "0171 1234567", "buerger@example.org"):
            assert secret not in content, (url, secret)
    assert "öffentlich" in public.get(f"/meldungen/{report.pk}/").content.decode()


def test_schema_documents_the_staff_endpoints(client: Client) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/staff/reports",
        "/api/v1/staff/reports/{id}",
        "/api/v1/staff/reports/{id}/transition",
        "/api/v1/staff/reports/{id}/forward",
        "/api/v1/staff/reports/{id}/photo",
        "/api/v1/staff/reports/bulk",
        "/api/v1/staff/templates",
    ):
        assert path in paths, path
    transition = paths["/api/v1/staff/reports/{id}/transition"]["post"]
    assert set(transition["responses"]) >= {"200", "400", "403", "404"}
    assert "tokenAuth" in schema["components"]["securitySchemes"]
