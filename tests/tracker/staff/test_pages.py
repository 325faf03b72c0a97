"""Staff pages (/arbeit/): who gets in, what each role sees and may do, the queue's filters in
the URL, bulk actions, and that every action form answers 4xx with the reason, never 500."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.gis.geos import LineString
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from geo.models import RoadClass
from tests.factories import ResponseTemplateFactory, RoadFactory, UserFactory, staff
from tests.tracker.staff.fixtures import World, jpeg, make_world
from tracker.models import Photo, Priority, Report, ReportEvent, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html(response: Any) -> str:
    return response.content.decode()


def action_url(report: Report, action: str) -> str:
    return f"/arbeit/meldungen/{report.pk}/{action}/"


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/arbeit/", "/arbeit/karte.json", "/arbeit/meldungen/{pk}/"])
def test_anonymous_visitors_are_sent_to_the_login(world: World, path: str) -> None:
    report = world.report()
    response = Client().get(path.format(pk=report.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/?next=/arbeit/")


def test_anonymous_posts_change_nothing(world: World) -> None:
    report = world.report()
    response = Client().post(action_url(report, "take"))
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).assigned_to_id is None


@pytest.mark.parametrize("path", ["/arbeit/", "/arbeit/karte.json", "/arbeit/meldungen/{pk}/"])
def test_citizens_get_403(world: World, path: str) -> None:
    report = world.report()
    citizen = UserFactory.create()
    assert client_for(citizen).get(path.format(pk=report.pk)).status_code == 403
    assert client_for(citizen).post(action_url(report, "take")).status_code == 403


def test_reports_of_other_authorities_are_404(world: World) -> None:
    report = world.report()  # at the Kreis
    other = client_for(world.gemeinde_dispatcher)
    assert other.get(f"/arbeit/meldungen/{report.pk}/").status_code == 404
    response = other.post(action_url(report, "reject"), {"reject-reason": "Nicht unseres"})
    assert response.status_code == 404
    assert Report.objects.get(pk=report.pk).status == Status.NEW
    # Nor does it appear in their queue or map data.
    assert report.reference not in html(other.get("/arbeit/?status=alle"))
    assert other.get("/arbeit/karte.json?status=alle").json()["features"] == []


def test_unknown_action_is_404_and_get_is_405(world: World) -> None:
    report = world.report()
    client = client_for(world.dispatcher)
    assert client.post(action_url(report, "explode")).status_code == 404
    assert client.get(action_url(report, "take")).status_code == 405


def test_nav_shows_the_work_queue_to_staff_only(world: World) -> None:
    assert "Arbeitsliste" in html(client_for(world.crew).get("/"))
    assert 'href="/dienstleistungen/bearbeitung/"' in html(client_for(world.crew).get("/"))
    assert "Arbeitsliste" not in html(client_for(UserFactory.create()).get("/"))
    assert "/dienstleistungen/bearbeitung/" not in html(client_for(UserFactory.create()).get("/"))
    assert "Arbeitsliste" not in html(Client().get("/"))


# --- what each role sees --------------------------------------------------------------------


def buttons(page: str) -> set[str]:
    """Names of the action buttons/forms on a staff report page."""
    found = set(re.findall(r'name="transition" value="(\w+)"', page))
    found |= set(re.findall(r'action="/arbeit/meldungen/\d+/(\w+)/"', page))
    return found


def test_crew_sees_only_their_buttons(world: World) -> None:
    report = world.report(status=Status.PLANNED, assigned_team=world.team)
    page = html(client_for(world.crew).get(f"/arbeit/meldungen/{report.pk}/"))
    assert buttons(page) == {"take", "status", "start", "close", "note", "photo"}
    assert 'capture="environment"' in page
    # No public comments for crews: only the internal note.
    assert "note-public" not in page


def test_crew_of_another_team_sees_no_buttons_and_is_refused(world: World) -> None:
    report = world.report(status=Status.PLANNED, assigned_team=world.team)
    client = client_for(world.other_crew)
    page = html(client.get(f"/arbeit/meldungen/{report.pk}/"))
    assert buttons(page) == set()
    assert "Sie können an dieser Meldung gerade nichts ändern." in page
    response = client.post(action_url(report, "status"), {"transition": "start"})
    assert response.status_code == 403
    assert "nicht Ihnen oder Ihrem Team zugewiesen" in html(response)
    assert Report.objects.get(pk=report.pk).status == Status.PLANNED


def test_planner_reads_everything_but_changes_nothing(world: World) -> None:
    report = world.report()
    page = html(client_for(world.planner).get(f"/arbeit/meldungen/{report.pk}/"))
    assert buttons(page) == set()
    assert "buerger@example.org" in page  # contact data: staff of the authority
    assert 'name="reports"' not in html(client_for(world.planner).get("/arbeit/"))


def test_dispatcher_sees_every_action_of_a_new_report(world: World) -> None:
    report = world.report()
    page = html(client_for(world.dispatcher).get(f"/arbeit/meldungen/{report.pk}/"))
    assert buttons(page) == {
        "take",
        "status",
        "review",
        "accept",
        "assign",
        "priority",
        "forward",
        "duplicate",
        "reject",
        "note",
        "photo",
        "description",
        "privacy",
    }
    for shown in ("Erika Mustermann", "buerger@example.org", "0171 1234567", "Schlagloch"):
        assert shown in page


def test_internal_notes_of_other_authorities_stay_hidden(world: World) -> None:
    from tracker import services

    report = world.report()
    services.report_add_note(report, by=world.dispatcher, text="Nur für den Kreis", public=False)
    services.report_forward_to_authority(
        report, authority=world.gemeinde, by=world.dispatcher, note="Bitte übernehmen"
    )
    page = html(client_for(world.gemeinde_dispatcher).get(f"/arbeit/meldungen/{report.pk}/"))
    assert "Bitte übernehmen" in page  # the forwarding note is for them
    assert "Nur für den Kreis" not in page
    # And the Kreis no longer sees the report at all.
    assert client_for(world.dispatcher).get(f"/arbeit/meldungen/{report.pk}/").status_code == 404


# --- actions ----------------------------------------------------------------------------------


def test_dispatcher_forwards_and_lands_on_the_queue(world: World) -> None:
    report = world.report()
    client = client_for(world.dispatcher)
    response = client.post(
        action_url(report, "forward"),
        {"forward-authority": world.gemeinde.pk, "forward-note": "Gemeindestraße"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/arbeit/"
    report.refresh_from_db()
    assert (report.authority_id, report.status) == (world.gemeinde.pk, Status.FORWARDED)
    page = html(client.get("/arbeit/"))
    assert "an Gemeinde Moor weitergeleitet" in page


def test_forward_without_a_note_is_400_with_the_reason(world: World) -> None:
    report = world.report()
    response = client_for(world.dispatcher).post(
        action_url(report, "forward"), {"forward-authority": world.gemeinde.pk}
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in html(response)
    assert Report.objects.get(pk=report.pk).status == Status.NEW


def test_crew_takes_adds_photo_and_closes(world: World) -> None:
    world.category.requires_after_photo = True
    world.category.save()
    report = world.report(status=Status.PLANNED, assigned_team=world.team)
    client = client_for(world.crew)
    detail = f"/arbeit/meldungen/{report.pk}/"

    response = client.post(action_url(report, "take"))
    assert (response.status_code, response["Location"]) == (302, detail)
    assert Report.objects.get(pk=report.pk).assigned_to_id == world.crew.pk

    # Closing without the required photo: the service's message, 400, nothing changed.
    response = client.post(action_url(report, "status"), {"transition": "close"})
    assert response.status_code == 400
    assert "Foto nach der Erledigung nötig" in html(response)
    assert Report.objects.get(pk=report.pk).status == Status.PLANNED

    response = client.post(action_url(report, "photo"), {"photo-photo": jpeg()})
    assert response.status_code == 302
    assert report.photos.filter(kind=Photo.Kind.AFTER).count() == 1

    response = client.post(
        action_url(report, "status"),
        {"transition": "close", "status-note": "Loch verfüllt", "status-public_note": "on"},
    )
    assert response.status_code == 302
    page = html(client.get(detail))
    assert "Status geändert: erledigt." in page
    assert Report.objects.get(pk=report.pk).status == Status.DONE


def test_an_unusable_photo_is_400(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = world.report(status=Status.PLANNED, assigned_team=world.team)
    response = client_for(world.crew).post(
        action_url(report, "photo"),
        {"photo-photo": SimpleUploadedFile("kaputt.jpg", b"kein Bild", "image/jpeg")},
    )
    assert response.status_code == 400
    assert report.photos.count() == 0


def test_illegal_transition_is_400_with_the_workflow_message(world: World) -> None:
    report = world.report()  # new: "start" is not possible
    response = client_for(world.dispatcher).post(
        action_url(report, "status"), {"transition": "start"}
    )
    assert response.status_code == 400
    assert "kann nicht auf" in html(response)
    assert Report.objects.get(pk=report.pk).status == Status.NEW


def test_response_template_is_one_click(world: World) -> None:
    template = ResponseTemplateFactory.create(
        authority=world.kreis, status=Status.PLANNED, title="Eingeplant", text="Wir kommen bald."
    )
    foreign = ResponseTemplateFactory.create(authority=world.gemeinde, text="Fremder Text")
    report = world.report()
    client = client_for(world.dispatcher)
    page = html(client.get(f"/arbeit/meldungen/{report.pk}/"))
    assert f'value="accept:{template.pk}"' in page
    assert f'"accept:{foreign.pk}"' not in page and "Fremder Text" not in page

    assert (
        client.post(action_url(report, "status"), {"template": f"accept:{foreign.pk}"}).status_code
        == 400
    )
    response = client.post(action_url(report, "status"), {"template": f"accept:{template.pk}"})
    assert response.status_code == 302
    event = report.events.filter(kind=ReportEvent.Kind.STATUS).latest("id")
    assert (event.to_status, event.note, event.is_public) == (
        Status.PLANNED,
        "Wir kommen bald.",
        True,
    )


def test_assign_priority_duplicate_reject_and_note(world: World) -> None:
    report = world.report()
    original = world.report(description="Das erste")
    client = client_for(world.dispatcher)
    assert (
        client.post(
            action_url(report, "assign"),
            {"assign-team": world.team.pk, "assign-person": world.crew.pk},
        ).status_code
        == 302
    )
    assert (
        client.post(
            action_url(report, "priority"), {"priority-priority": Priority.URGENT}
        ).status_code
        == 302
    )
    assert (
        client.post(action_url(report, "note"), {"note-text": "Vor Ort prüfen"}).status_code == 302
    )
    report.refresh_from_db()
    assert (report.assigned_team_id, report.assigned_to_id, report.priority) == (
        world.team.pk,
        world.crew.pk,
        Priority.URGENT,
    )
    # The duplicate form takes the number as people quote it.
    response = client.post(action_url(report, "duplicate"), {"duplicate-original": "9999-999999"})
    assert response.status_code == 400
    response = client.post(
        action_url(report, "duplicate"), {"duplicate-original": original.reference}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.duplicate_of_id) == (Status.DUPLICATE, original.pk)
    page = html(client.get(f"/arbeit/meldungen/{original.pk}/"))
    assert report.reference in page  # listed as merged duplicate

    # Rejecting needs a reason; then reopening works.
    other = world.report()
    assert client.post(action_url(other, "reject"), {"reject-reason": ""}).status_code == 400
    assert (
        client.post(action_url(other, "reject"), {"reject-reason": "Privatgrund"}).status_code
        == 302
    )
    assert client.post(action_url(other, "status"), {"transition": "reopen"}).status_code == 302
    assert Report.objects.get(pk=other.pk).status == Status.IN_REVIEW


# --- the queue ----------------------------------------------------------------------------------


def test_queue_filters_come_from_the_url(world: World) -> None:
    road = RoadFactory.create(
        ref="K 12", road_class=RoadClass.KREISSTRASSE, geom=LineString((10.0, 53.0), (10.2, 53.1))
    )
    mine = world.report(description="Meins", assigned_to=world.crew, assigned_team=world.team)
    on_road = world.report(description="Auf der K12", road=road, priority=Priority.HIGH)
    late = world.report(description="Zu spät", due_at=timezone.now() - timedelta(days=2))
    done = world.report(description="Fertig", status=Status.DONE)
    client = client_for(world.dispatcher)

    def refs(query: str) -> set[int]:
        page = html(client.get(f"/arbeit/?{query}"))
        return {r.pk for r in (mine, on_road, late, done) if f'id="report-{r.pk}"' in page}

    assert refs("") == {mine.pk, on_road.pk, late.pk}  # open ones by default
    assert refs("status=alle") == {mine.pk, on_road.pk, late.pk, done.pk}
    assert refs("status=done") == {done.pk}
    assert refs("road=k12") == {on_road.pk}
    assert refs(f"priority={Priority.HIGH}") == {on_road.pk}
    assert refs("overdue=1") == {late.pk}
    assert refs(f"team={world.team.pk}") == {mine.pk}
    assert refs("team=ohne") == {on_road.pk, late.pk}
    assert refs(f"category={world.category.slug}") == {mine.pk, on_road.pk, late.pk}
    assert refs("team=nonsense&sort=bogus") == {mine.pk, on_road.pk, late.pk}
    assert client_for(world.crew).get("/arbeit/?mine=1").status_code == 200
    page = html(client_for(world.crew).get("/arbeit/?mine=1"))
    assert f'id="report-{mine.pk}"' in page and f'id="report-{late.pk}"' not in page

    # Overdue rows are marked in words too, and the filter is kept for the map and the pages.
    page = html(client.get("/arbeit/?overdue=1&sort=due_at"))
    assert "queue-row--overdue" in page and "überfällig" in page
    assert "/arbeit/karte.json?overdue=1\\u0026sort=due_at" in page
    data = client.get("/arbeit/karte.json?overdue=1").json()
    assert [f["id"] for f in data["features"]] == [late.pk]
    assert data["features"][0]["properties"]["overdue"] is True


def test_queue_has_navigation_links_and_take_buttons_for_crews(world: World) -> None:
    report = world.report(status=Status.PLANNED, assigned_team=world.team)
    page = html(client_for(world.crew).get("/arbeit/"))
    assert "geo:53.050000,10.100000" in page
    assert "https://www.openstreetmap.org/directions?to=53.050000%2C10.100000" in page
    assert f'form="take-{report.pk}"' in page
    assert 'name="reports"' not in page  # no bulk actions for crews


def test_queue_paginates_with_the_filters(world: World) -> None:
    for _ in range(27):
        world.report()
    client = client_for(world.dispatcher)
    page = html(client.get("/arbeit/?priority=2"))
    assert "27 Meldungen" in page
    assert "?priority=2&amp;page=2" in page
    assert html(client.get("/arbeit/?priority=2&page=2")).count('class="queue-row') == 2


def test_queue_query_count_does_not_grow_with_the_rows(
    world: World, django_assert_num_queries: Any
) -> None:
    client = client_for(world.dispatcher)
    world.report(assigned_team=world.team, assigned_to=world.crew)
    client.get("/arbeit/")  # warm up (session, content types)
    # session, user, memberships, count, rows, unread updates (notifications), filter teams,
    # filter categories, bulk teams, bulk people, inspection plans (the Streckenkontrolle box)
    # — however many rows the page shows
    with django_assert_num_queries(11):
        client.get("/arbeit/")
    for _ in range(10):
        world.report(assigned_team=world.team, assigned_to=world.crew)
    with django_assert_num_queries(11):
        response = client.get("/arbeit/")
    assert "11 Meldungen" in html(response)


def test_bulk_actions_report_per_report_results(world: World) -> None:
    first, second = world.report(), world.report()
    done = world.report(status=Status.DONE)
    foreign = world.report()
    Report.objects.filter(pk=foreign.pk).update(authority=world.gemeinde)
    client = client_for(world.dispatcher)
    response = client.post(
        "/arbeit/sammelaktion/",
        {
            "reports": [first.pk, second.pk, done.pk, foreign.pk],
            "bulk-team": world.team.pk,
            "bulk_action": "assign",
            "query": "status=alle",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/arbeit/?status=alle"
    page = html(client.get(response["Location"]))
    assert "Ergebnis der Sammelaktion" in page
    assert "2 von 4 Meldung(en) geändert" in page
    assert "Meldung nicht gefunden." in page
    assert set(Report.objects.filter(assigned_team=world.team).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    # The results are shown once.
    assert "Ergebnis der Sammelaktion" not in html(client.get("/arbeit/"))

    response = client.post(
        "/arbeit/sammelaktion/",
        {"reports": [first.pk, second.pk], "bulk-status": "planned", "bulk_action": "transition"},
    )
    assert Report.objects.filter(status=Status.PLANNED).count() == 2
    client.post(
        "/arbeit/sammelaktion/",
        {"reports": [first.pk], "bulk-priority": Priority.HIGH, "bulk_action": "priority"},
    )
    assert Report.objects.get(pk=first.pk).priority == Priority.HIGH
    original = world.report()
    client.post(
        "/arbeit/sammelaktion/",
        {
            "reports": [first.pk, second.pk],
            "bulk-original": original.reference,
            "bulk_action": "merge",
        },
    )
    assert set(original.duplicates.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_bulk_needs_a_selection_and_a_dispatcher(world: World) -> None:
    report = world.report()
    client = client_for(world.dispatcher)
    response = client.post("/arbeit/sammelaktion/", {"bulk_action": "assign"}, follow=True)
    assert "Bitte wählen Sie mindestens eine Meldung aus." in html(response)
    crew = client_for(world.crew)
    response = crew.post(
        "/arbeit/sammelaktion/",
        {"reports": [report.pk], "bulk-priority": Priority.HIGH, "bulk_action": "priority"},
    )
    assert response.status_code == 403
    assert Report.objects.get(pk=report.pk).priority == Priority.NORMAL


def test_superuser_sees_every_report(world: World) -> None:
    report = world.report()
    admin = staff(world.kreis, Role.PLANNER)
    admin.is_superuser = True
    admin.save()
    assert client_for(admin).get(f"/arbeit/meldungen/{report.pk}/").status_code == 200


def test_map_data_and_report_page_need_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    from tracker import services

    client = client_for(world.crew)
    report = world.report(status=Status.PLANNED, assigned_team=world.team)
    client.get("/arbeit/")
    # session, user, memberships, teams (filter choices), own teams (the default), reports
    with django_assert_max_num_queries(7):
        first = client.get("/arbeit/karte.json").json()
    with django_assert_max_num_queries(20):
        client.get(f"/arbeit/meldungen/{report.pk}/")
    for number in range(10):
        world.report(status=Status.PLANNED, assigned_team=world.team)
        services.report_add_note(report, by=world.crew, text=f"Notiz {number}")
    services.report_add_photo(report, by=world.crew, file=jpeg())
    with django_assert_max_num_queries(7):
        assert len(client.get("/arbeit/karte.json").json()["features"]) == 11
    with django_assert_max_num_queries(20):
        page = html(client.get(f"/arbeit/meldungen/{report.pk}/"))
    assert "Notiz 9" in page and 'id="after-photos"' in page
    assert len(first["features"]) == 1


def test_bulk_redirect_keeps_only_a_query_string(world: World) -> None:
    report = world.report()
    response = client_for(world.dispatcher).post(
        "/arbeit/sammelaktion/",
        {
            "reports": [report.pk],
            "bulk-priority": Priority.HIGH,
            "bulk_action": "priority",
            "query": "status=alle&x=\r\nSet-Cookie: a=b&//evil.example",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/arbeit/?status=alle&")
    assert "\n" not in response["Location"]


def test_pages_render_in_english_too(world: World) -> None:
    report = world.report()
    client = client_for(world.dispatcher)
    for path in ("/arbeit/", f"/arbeit/meldungen/{report.pk}/"):
        assert client.get(path, HTTP_ACCEPT_LANGUAGE="en").status_code == 200
