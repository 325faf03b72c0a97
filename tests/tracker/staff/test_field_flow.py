"""The crew and dispatcher flow (issue 15): assigning or taking a report in triage accepts it,
the staff page says why an action is missing and who can do it, staff land on the work queue,
and crews' queue starts on their own team."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.models import Role
from tests.factories import UserFactory, staff
from tests.tracker.staff.fixtures import World, jpeg
from tracker import explain, services
from tracker.models import Report, ReportEvent, Status
from tracker.permissions import allowed_actions

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-Passwort-42"  # tests.factories.UserFactory's


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def statuses(report: Report) -> list[tuple[str, str, bool]]:
    return list(
        report.events.filter(kind=ReportEvent.Kind.STATUS)
        .order_by("pk")
        .values_list("from_status", "to_status", "is_public")
    )


def test_assigning_a_new_report_accepts_it_and_tells_the_citizen(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    report = world.report()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_assign(report, team=world.team, by=world.dispatcher)
    assert report.status == Status.PLANNED
    assert statuses(report) == [("new", "planned", True)]
    assert [m.to for m in mail.outbox] == [["buerger@example.org"]]
    # The crew can start right away.
    assert {"take", "start", "close"} <= allowed_actions(world.crew, report)
    # Unassigning changes no status; assigning a planned report adds no status entry.
    services.report_assign(report, by=world.dispatcher)
    services.report_assign(report, user=world.crew, by=world.dispatcher)
    assert Report.objects.get(pk=report.pk).status == Status.PLANNED
    assert len(statuses(report)) == 1


def test_bulk_assignment_follows_the_same_rule(world: World) -> None:
    first, second = world.report(), world.report(status=Status.IN_PROGRESS)
    services.bulk_assign([first.pk, second.pk], team=world.team, by=world.dispatcher)
    assert dict(Report.objects.values_list("pk", "status")) == {
        first.pk: Status.PLANNED,
        second.pk: Status.IN_PROGRESS,
    }


def test_crew_taking_a_team_report_in_triage_may_start_it(world: World) -> None:
    """A team report back in triage (reopened, or assigned before the rule): taking it plans
    it, so the next step, "Arbeit beginnen", is there."""
    report = world.report()
    Report.objects.filter(pk=report.pk).update(status=Status.IN_REVIEW, assigned_team=world.team)
    report.refresh_from_db()
    assert "start" not in allowed_actions(world.crew, report)
    services.report_take(report, by=world.crew)
    assert (report.status, report.assigned_to_id) == (Status.PLANNED, world.crew.pk)
    services.report_transition(report, Status.IN_PROGRESS, by=world.crew)
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS


def test_reasons_name_who_can_act(world: World) -> None:
    report = world.report()
    # Crew, not their report: why, and who assigns.
    reasons = explain.unavailable(world.crew, report)
    texts = " ".join(r.reason for r in reasons)
    assert "weder Ihnen noch Ihrem Team zugewiesen" in texts
    assert "Disposition" in texts
    assert "übernehmen" in [label for r in reasons for label in r.labels]
    # Crew, their report but back in triage with them assigned: no status step, so the page
    # says what status is needed and who brings the report there.
    Report.objects.filter(pk=report.pk).update(
        status=Status.IN_REVIEW, assigned_team=world.team, assigned_to=world.crew
    )
    report.refresh_from_db()
    by_action = {a: r.reason for r in explain.unavailable(world.crew, report) for a in r.actions}
    assert "„angenommen / geplant“" in by_action["start"]
    assert "annehmen / einplanen" in by_action["start"] and "Disposition" in by_action["start"]
    assert "Zuweisen" in by_action["start"]
    assert "pause" not in by_action  # two steps away: not worth a line
    assert by_action["reject"] == "Das kann: Disposition oder Verwaltung der Stelle."
    # Planners read only: the crew's steps name the team.
    planned = world.report(status=Status.PLANNED)
    by_action = {
        a: r.reason for r in explain.unavailable(world.planner, planned) for a in r.actions
    }
    assert "Außendienst/Kolonne des zugewiesenen Teams" in by_action["start"]
    # Dispatchers can do everything: nothing to explain.
    assert explain.unavailable(world.dispatcher, report) == []


def test_report_page_explains_and_marks_the_photo_only_when_closing_needs_it(
    world: World,
) -> None:
    world.category.requires_after_photo = True
    world.category.save()
    report = world.report()
    page = client_for(world.crew).get(f"/arbeit/meldungen/{report.pk}/").content.decode()
    assert 'class="why-not action-section" open' in page
    assert "weder Ihnen noch Ihrem Team zugewiesen" in page
    services.report_assign(report, team=world.team, user=world.crew, by=world.dispatcher)
    page = client_for(world.crew).get(f"/arbeit/meldungen/{report.pk}/").content.decode()
    photo_form = page[page.index('id="photo-section"') : page.index("Foto hochladen")]
    assert "Foto nach der Erledigung" in photo_form and "Pflichtfeld" not in photo_form
    assert 'id="after-photo-needed"' in page  # at the close button
    services.report_add_photo(report, by=world.crew, file=jpeg())
    page = client_for(world.crew).get(f"/arbeit/meldungen/{report.pk}/").content.decode()
    assert 'id="after-photo-needed"' not in page
    # An upload without a file is still refused, with a reason.
    response = client_for(world.crew).post(f"/arbeit/meldungen/{report.pk}/photo/", {})
    assert response.status_code == 400
    assert "Bitte wählen Sie ein Foto aus." in response.content.decode()


def test_staff_land_on_the_queue_and_citizens_on_their_reports(world: World) -> None:
    citizen = UserFactory.create(email="buergerin@example.org")
    for user, target in (
        (world.crew, "/arbeit/"),
        (world.planner, "/arbeit/"),
        (citizen, "/konto/anliegen/"),
    ):
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        response = Client().post("/konto/login/", {"login": user.email, "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == target, user
    response = Client().post(
        "/konto/login/?next=/konto/anliegen/", {"login": world.crew.email, "password": PASSWORD}
    )
    assert response["Location"] == "/konto/anliegen/"  # an explicit next wins


def test_crews_queue_starts_on_their_team(world: World) -> None:
    own = world.report(description="Eigenes Team")
    services.report_assign(own, team=world.team, by=world.dispatcher)
    other = world.report(description="Anderes Team")
    services.report_assign(other, team=world.other_team, by=world.dispatcher)
    loose = world.report(description="Ohne Team")

    page = client_for(world.crew).get("/arbeit/").content.decode()
    assert own.reference in page and other.reference not in page and loose.reference not in page
    assert "Team: Straßenmeisterei Nord" in page
    assert re.search(r'href="/arbeit/\?team=alle">alle Teams anzeigen', page)
    page = client_for(world.crew).get("/arbeit/?team=alle").content.decode()
    assert all(r.reference in page for r in (own, other, loose))
    # The filter form's empty team choice falls back to the default, no redirect loop.
    assert client_for(world.crew).get("/arbeit/?team=").status_code == 302

    # A crew member of two teams starts on both ("meine Teams"); dispatchers on all teams.
    world.other_team.members.add(world.crew)
    page = client_for(world.crew).get("/arbeit/").content.decode()
    assert own.reference in page and other.reference in page and loose.reference not in page
    assert "Team: meine Teams" in page
    page = client_for(world.dispatcher).get("/arbeit/").content.decode()
    assert all(r.reference in page for r in (own, other, loose))
    assert "alle Teams anzeigen" not in page
    # Crew who also dispatch elsewhere see everything by default.
    both = staff(world.kreis, Role.DISPATCHER, Role.CREW, email="beides@example.org")
    world.team.members.add(both)
    assert loose.reference in client_for(both).get("/arbeit/").content.decode()
