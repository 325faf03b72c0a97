"""Who may see and do what: each rule of tracker.permissions, and attempts to break it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Role
from tests.factories import UserFactory, staff
from tracker import selectors, services
from tracker.models import Priority, Report, Status
from tracker.permissions import NotPermitted, allowed_actions, authorize, forget

from .staff.fixtures import World, jpeg

pytestmark = pytest.mark.django_db

DISPATCH_NEW = {
    "review",
    "accept",
    "reject",
    "duplicate",
    "forward",
    "assign",
    "take",
    "priority",
    "note",
    "comment",
    "photo",
    "bulk",
    "photo_visibility",
    "moderate",
    "privacy",
}


def test_allowed_actions_per_role_on_a_new_report(world: World) -> None:
    report = world.report()
    assert allowed_actions(world.dispatcher, report) == DISPATCH_NEW
    assert allowed_actions(world.admin, report) == DISPATCH_NEW
    assert allowed_actions(world.planner, report) == set()
    assert allowed_actions(world.crew, report) == set()  # not assigned to them
    assert allowed_actions(world.gemeinde_dispatcher, report) == set()
    assert allowed_actions(UserFactory.create(), report) == set()
    assert allowed_actions(AnonymousUser(), report) == set()


def test_crew_works_only_what_is_assigned_to_them_or_their_team(world: World) -> None:
    report = world.report()
    services.report_transition(report, Status.PLANNED, by=world.dispatcher)
    services.report_assign(report, team=world.team, by=world.dispatcher)
    assert allowed_actions(world.crew, report) == {
        "take",
        "start",
        "close",
        "note",
        "photo",
        "photo_visibility",
    }
    assert allowed_actions(world.other_crew, report) == set()
    services.report_take(report, by=world.crew)
    services.report_transition(report, Status.IN_PROGRESS, by=world.crew)
    assert allowed_actions(world.crew, report) == {
        "pause",
        "close",
        "note",
        "photo",
        "photo_visibility",
    }
    # assigned personally (without the team) works as well
    services.report_assign(report, user=world.other_crew, by=world.dispatcher)
    assert allowed_actions(world.other_crew, report) == {
        "pause",
        "close",
        "note",
        "photo",
        "photo_visibility",
    }
    assert allowed_actions(world.crew, report) == set()


@pytest.mark.parametrize(
    "attempt",
    [
        lambda w, r: services.report_reject(r, reason="Nein", by=w.crew),
        lambda w, r: services.report_forward_to_authority(
            r, authority=w.gemeinde, by=w.crew, note="weg"
        ),
        lambda w, r: services.report_assign(r, team=w.other_team, by=w.crew),
        lambda w, r: services.report_assign(r, user=w.crew, by=w.crew),
        lambda w, r: services.report_set_priority(r, priority=Priority.URGENT, by=w.crew),
        lambda w, r: services.report_mark_duplicate(r, original=w.report(), by=w.crew),
        lambda w, r: services.report_add_note(r, by=w.crew, text="öffentlich", public=True),
        lambda w, r: services.report_transition(r, Status.PLANNED, by=w.crew),
    ],
)
def test_crew_cannot_triage_even_their_own_reports(world: World, attempt) -> None:
    report = world.report()
    services.report_assign(report, team=world.team, user=world.crew, by=world.dispatcher)
    # Back in triage with the assignment kept, as after reopening.
    Report.objects.filter(pk=report.pk).update(status=Status.IN_REVIEW)
    report.refresh_from_db()
    before = (report.status, report.authority_id, report.events.count(), report.priority)
    with pytest.raises(NotPermitted, match="Rolle"):
        attempt(world, report)
    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.status, fresh.authority_id, fresh.events.count(), fresh.priority) == before


def test_crew_of_another_team_cannot_touch_the_report(world: World) -> None:
    report = world.report()
    services.report_transition(report, Status.PLANNED, by=world.dispatcher)
    services.report_assign(report, team=world.team, by=world.dispatcher)
    for attempt in (
        lambda: services.report_take(report, by=world.other_crew),
        lambda: services.report_transition(report, Status.IN_PROGRESS, by=world.other_crew),
        lambda: services.report_add_note(report, by=world.other_crew, text="x"),
        lambda: services.report_add_photo(report, by=world.other_crew, file=jpeg()),
    ):
        with pytest.raises(NotPermitted, match="nicht Ihnen oder Ihrem Team"):
            attempt()
    assert Report.objects.get(pk=report.pk).status == Status.PLANNED
    assert report.photos.count() == 0


def test_planner_reads_but_changes_nothing(world: World) -> None:
    report = world.report()
    assert selectors.staff_reports(world.planner).filter(pk=report.pk).exists()
    services.report_add_note(report, by=world.dispatcher, text="intern")
    assert "intern" in [e.note for e in selectors.staff_history(report, world.planner)]
    for attempt in (
        lambda: services.report_transition(report, Status.IN_REVIEW, by=world.planner),
        lambda: services.report_add_note(report, by=world.planner, text="x"),
        lambda: services.report_assign(report, team=world.team, by=world.planner),
    ):
        with pytest.raises(NotPermitted):
            attempt()
    assert Report.objects.get(pk=report.pk).status == Status.NEW


def test_other_authorities_and_citizens_see_and_change_nothing(world: World) -> None:
    report = world.report()
    services.report_add_note(report, by=world.dispatcher, text="Kreis-intern")
    citizen = UserFactory.create()
    for outsider in (world.gemeinde_dispatcher, citizen, AnonymousUser()):
        assert not selectors.staff_reports(outsider).filter(pk=report.pk).exists()
        with pytest.raises(NotPermitted):
            authorize(outsider, report, "note")
    for attempt in (
        lambda: services.report_transition(report, Status.IN_REVIEW, by=world.gemeinde_dispatcher),
        lambda: services.report_add_note(report, by=world.gemeinde_dispatcher, text="x"),
        lambda: services.report_forward_to_authority(
            report, authority=world.gemeinde, by=world.gemeinde_dispatcher, note="meins"
        ),
        lambda: services.report_reject(report, reason="x", by=citizen),
    ):
        with pytest.raises(NotPermitted, match="nicht zu Ihrer Stelle"):
            attempt()
    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.status, fresh.authority_id) == (Status.NEW, world.kreis.pk)
    assert "Kreis-intern" not in [e.note for e in selectors.public_history(report)]


def test_queues_are_per_authority_and_superusers_see_all(world: World) -> None:
    kreis_report = world.report()
    gemeinde_report = world.report()
    Report.objects.filter(pk=gemeinde_report.pk).update(authority=world.gemeinde)
    assert list(selectors.staff_reports(world.dispatcher)) == [kreis_report]
    assert list(selectors.staff_reports(world.gemeinde_dispatcher)) == [gemeinde_report]
    boss = UserFactory.create(is_superuser=True, is_staff=True)
    assert set(selectors.staff_reports(boss)) == {kreis_report, gemeinde_report}
    # Several memberships: both queues.
    both = staff(world.kreis, Role.PLANNER)
    staff(world.gemeinde, Role.DISPATCHER)  # someone else
    assert list(selectors.staff_reports(both)) == [kreis_report]
    world.gemeinde.memberships.create(user=both, role=Role.CREW)
    forget(both)
    assert set(selectors.staff_reports(both)) == {kreis_report, gemeinde_report}


def test_filters_of_the_queue(world: World) -> None:
    overdue = world.report()
    Report.objects.filter(pk=overdue.pk).update(due_at="2020-01-01T00:00:00Z")
    urgent = world.report()
    services.report_set_priority(urgent, priority=Priority.URGENT, by=world.dispatcher)
    services.report_assign(urgent, team=world.team, by=world.dispatcher)
    done = world.report()
    Report.objects.filter(pk=done.pk).update(due_at="2020-01-01T00:00:00Z", status=Status.DONE)

    def ids(**filters: object) -> set[int]:
        return set(
            selectors.staff_queue(world.dispatcher, **filters).values_list(  # type: ignore[arg-type]
                "pk", flat=True
            )
        )

    assert ids(overdue=True) == {overdue.pk}
    assert ids(overdue=False) == {urgent.pk, done.pk}
    assert ids(priorities=[Priority.URGENT]) == {urgent.pk}
    assert ids(team_ids=[world.team.pk]) == {urgent.pk}
    assert ids(unassigned=True) == {overdue.pk, done.pk}
    assert ids(statuses=[Status.DONE]) == {done.pk}
    assert ids(categories=["schlagloch"]) == {overdue.pk, urgent.pk, done.pk}
    assert ids(categories=["anderes"]) == set()
    annotated = selectors.with_overdue(selectors.staff_reports(world.dispatcher))
    assert {r.pk: r.overdue for r in annotated} == {  # type: ignore[attr-defined]
        overdue.pk: True,
        urgent.pk: False,
        done.pk: False,
    }
