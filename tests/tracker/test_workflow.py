"""The staff workflow services: every transition from intake to done, forwarding there and back,
duplicate merges, rejecting and reopening, bulk actions; refusals change nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from core.images import PhotoRejected
from tests.factories import CategoryFactory, TeamFactory, UserFactory
from tracker import selectors, services
from tracker.models import Photo, Priority, Report, ReportEvent, Status, Support
from tracker.permissions import NotPermitted
from tracker.workflow import TRANSITIONS, WorkflowError

from .staff.fixtures import World, jpeg

pytestmark = pytest.mark.django_db


def state(report: Report) -> tuple:
    """Everything a refused action must leave untouched."""
    fresh = Report.objects.get(pk=report.pk)
    return (
        fresh.status,
        fresh.authority_id,
        fresh.assigned_team_id,
        fresh.assigned_to_id,
        fresh.priority,
        fresh.duplicate_of_id,
        fresh.supporter_count,
        fresh.events.count(),
        fresh.photos.count(),
    )


def kinds(report: Report) -> list[tuple[str, str, str]]:
    return [(e.kind, e.from_status, e.to_status) for e in report.events.order_by("id")]


def test_intake_takes_priority_and_due_date_from_the_category(world: World) -> None:
    world.category.default_priority = Priority.HIGH
    world.category.save()
    before = timezone.now()
    report = world.report()
    assert report.priority == Priority.HIGH
    assert report.due_at is not None
    assert before + timedelta(days=14) <= report.due_at <= timezone.now() + timedelta(days=14)
    assert not report.is_overdue
    no_sla = CategoryFactory.create(level="kreis")
    assert world.report(category=no_sla).due_at is None


def test_walk_from_intake_to_done(world: World, django_capture_on_commit_callbacks) -> None:
    report = world.report()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_transition(report, Status.IN_REVIEW, by=world.dispatcher)
        services.report_set_priority(report, priority=Priority.URGENT, by=world.dispatcher)
        # Assigning a report in triage accepts it: "eingeplant" without a separate step.
        services.report_assign(report, team=world.team, by=world.dispatcher)
        services.report_take(report, by=world.crew)
        services.report_transition(report, Status.IN_PROGRESS, by=world.crew)
        services.report_transition(
            report, Status.PLANNED, by=world.crew, note="Material fehlt", public_note=False
        )
        services.report_transition(report, Status.IN_PROGRESS, by=world.crew)
        services.report_add_note(report, by=world.crew, text="Kaltasphalt reicht nicht.")
        photo = services.report_add_photo(report, by=world.crew, file=jpeg())
        services.report_close(report, by=world.crew, note="Schlagloch verfüllt.")

    report.refresh_from_db()
    assert report.status == Status.DONE
    assert report.priority == Priority.URGENT
    assert report.assigned_team == world.team
    assert report.assigned_to == world.crew
    assert photo.kind == Photo.Kind.AFTER
    assert not photo.is_public
    assert kinds(report) == [
        ("created", "", "new"),
        ("status", "new", "in_review"),
        ("priority", "", ""),
        ("assigned", "", ""),
        ("status", "in_review", "planned"),
        ("assigned", "", ""),
        ("status", "planned", "in_progress"),
        ("status", "in_progress", "planned"),
        ("note", "", ""),
        ("status", "planned", "in_progress"),
        ("note", "", ""),
        ("photo", "", ""),
        ("status", "in_progress", "done"),
    ]
    internal = report.events.filter(is_public=False)
    assert set(internal.values_list("kind", flat=True)) == {
        "priority",
        "assigned",
        "note",
        "photo",
    }
    # Every entry of the workflow names who did it and which authority was responsible.
    assert not report.events.exclude(kind="created").filter(actor__isnull=True).exists()
    assert set(report.events.values_list("authority", flat=True)) == {world.kreis.pk}
    # The citizen heard about each status change (six of them), never the internals.
    updates = [m for m in mail.outbox if m.to == ["buerger@example.org"]]
    assert len(updates) == 6
    assert "erledigt" in updates[-1].subject
    assert "Schlagloch verfüllt." in updates[-1].body
    assert report.tracking_token in updates[-1].body
    assert not any("Material fehlt" in m.body or "Kaltasphalt" in m.body for m in mail.outbox)
    public = [e.note for e in selectors.public_history(report)]
    assert "Schlagloch verfüllt." in public
    assert "Material fehlt" not in public
    assert "Kaltasphalt reicht nicht." not in public


def test_every_transition_in_the_table_is_walked(world: World) -> None:
    """The table and the services agree: each edge can be taken by a dispatcher."""
    special = {
        "reject": lambda r: services.report_reject(r, reason="Privatgrund", by=world.dispatcher),
        "duplicate": lambda r: services.report_mark_duplicate(
            r, original=world.report(), by=world.dispatcher
        ),
        "forward": lambda r: services.report_forward_to_authority(
            r, authority=world.gemeinde, by=world.dispatcher, note="Gemeindestraße"
        ),
    }
    path_to = {
        Status.NEW: [],
        Status.IN_REVIEW: [Status.IN_REVIEW],
        Status.PLANNED: [Status.PLANNED],
        Status.IN_PROGRESS: [Status.PLANNED, Status.IN_PROGRESS],
        Status.DONE: [Status.PLANNED, Status.DONE],
    }
    walked = 0
    for transition in TRANSITIONS:
        for source in sorted(transition.sources):
            report = world.report()
            if source == Status.FORWARDED:
                # forwarded here from the Gemeinde
                Report.objects.filter(pk=report.pk).update(authority=world.gemeinde)
                services.report_forward_to_authority(
                    report, authority=world.kreis, by=world.gemeinde_dispatcher, note="Kreis"
                )
            elif source == Status.REJECTED:
                services.report_reject(report, reason="Kein Mangel", by=world.dispatcher)
            else:
                for step in path_to[Status(source)]:
                    services.report_transition(report, step, by=world.dispatcher)
            assert report.status == source
            if transition.action in special:
                special[transition.action](report)
            else:
                services.report_transition(report, transition.target, by=world.dispatcher)
            assert Report.objects.get(pk=report.pk).status == transition.target
            walked += 1
    assert walked == sum(len(t.sources) for t in TRANSITIONS)


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ([], Status.IN_PROGRESS),
        ([], Status.DONE),
        ([], Status.NEW),
        ([Status.PLANNED, Status.DONE], Status.PLANNED),
        ([Status.PLANNED, Status.DONE], Status.IN_PROGRESS),
        ([Status.IN_REVIEW], Status.IN_REVIEW),
        ([Status.PLANNED, Status.IN_PROGRESS], Status.IN_REVIEW),
        ([Status.PLANNED, Status.IN_PROGRESS], Status.FORWARDED),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(
    world: World, path: list[str], target: str
) -> None:
    report = world.report()
    for step in path:
        services.report_transition(report, step, by=world.dispatcher)
    before = state(report)
    with pytest.raises(WorkflowError) as refused:
        services.report_transition(report, target, by=world.dispatcher)
    message = " ".join(refused.value.messages)
    assert "kann nicht" in message or "Bitte geben Sie" in message
    assert state(report) == before


def test_special_transitions_need_their_own_service(world: World) -> None:
    report = world.report()
    before = state(report)
    for target, expected in [
        (Status.REJECTED, "Begründung"),
        (Status.DUPLICATE, "ursprüngliche Meldung"),
        (Status.FORWARDED, "Stelle"),
    ]:
        with pytest.raises(WorkflowError, match=expected):
            services.report_transition(report, target, by=world.dispatcher)
    with pytest.raises(WorkflowError, match="Unbekannter Status"):
        services.report_transition(report, "kaputt", by=world.dispatcher)
    assert state(report) == before


def test_close_requires_an_after_photo_when_the_category_says_so(world: World) -> None:
    world.category.requires_after_photo = True
    world.category.save()
    report = world.report()
    services.report_transition(report, Status.PLANNED, by=world.dispatcher)
    services.report_add_photo(report, by=world.dispatcher, file=jpeg(), kind=Photo.Kind.BEFORE)
    before = state(report)
    with pytest.raises(WorkflowError, match="Foto nach der Erledigung"):
        services.report_close(report, by=world.dispatcher)
    assert state(report) == before
    services.report_add_photo(report, by=world.dispatcher, file=jpeg(), public=True)
    services.report_close(report, by=world.dispatcher)
    assert report.status == Status.DONE
    assert report.photos.filter(kind=Photo.Kind.AFTER, is_public=True).count() == 1


def test_a_rejected_photo_stores_nothing(world: World) -> None:
    report = world.report()
    root = Path(settings.MEDIA_ROOT)
    files_before = set(root.rglob("*")) if root.exists() else set()
    bad = jpeg()
    bad.seek(0)
    bad.write(b"kein Bild")
    bad.truncate()
    bad.seek(0)
    before = state(report)
    with pytest.raises(PhotoRejected):
        services.report_add_photo(report, by=world.dispatcher, file=bad)
    assert state(report) == before
    assert (set(root.rglob("*")) if root.exists() else set()) == files_before


def test_reject_needs_a_reason_and_reopen_brings_it_back(
    world: World, django_capture_on_commit_callbacks
) -> None:
    report = world.report()
    before = state(report)
    with pytest.raises(WorkflowError, match="begründen"):
        services.report_reject(report, reason="   ", by=world.dispatcher)
    assert state(report) == before
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_reject(report, reason="Privatgrundstück.", by=world.dispatcher)
    assert report.status == Status.REJECTED
    assert not report.is_open
    assert "Privatgrundstück." in mail.outbox[0].body
    # Closed reports take no assignment, priority or support.
    with pytest.raises(WorkflowError, match="abgeschlossen"):
        services.report_assign(report, team=world.team, by=world.dispatcher)
    services.report_reopen(report, by=world.dispatcher, note="Doch öffentlicher Weg.")
    assert report.status == Status.IN_REVIEW
    services.report_transition(report, Status.PLANNED, by=world.dispatcher)
    services.report_close(report, by=world.dispatcher)
    services.report_reopen(report, by=world.dispatcher, note="Wieder aufgebrochen")
    assert report.status == Status.IN_REVIEW
    assert kinds(report)[-1] == ("status", "done", "in_review")


def test_forward_to_another_authority_and_back(
    world: World, django_capture_on_commit_callbacks
) -> None:
    report = world.report()
    services.report_assign(report, team=world.team, user=world.crew, by=world.dispatcher)
    services.report_add_note(report, by=world.dispatcher, text="Kreis-intern: Anwohner bekannt")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_forward_to_authority(
            report,
            authority=world.gemeinde,
            by=world.dispatcher,
            note="Gemeindestraße, nicht unsere Baulast.",
        )
    report.refresh_from_db()
    assert report.authority == world.gemeinde
    assert report.status == Status.FORWARDED
    assert report.assigned_team is None and report.assigned_to is None
    assert report.routing_reason == "forwarded"
    assert "Landkreis Heide" in report.routing_detail
    forward = report.events.get(kind=ReportEvent.Kind.FORWARDED)
    assert (forward.from_authority, forward.to_authority) == (world.kreis, world.gemeinde)
    assert forward.is_public and forward.note == ""  # the note was internal
    # The citizen is told who has it now; the Gemeinde gets the "new report" email.
    citizen = next(m for m in mail.outbox if m.to == ["buerger@example.org"])
    assert "Gemeinde Moor" in citizen.body
    assert "nicht unsere Baulast" not in citizen.body
    assert any(m.to == ["gemeinde@example.org"] for m in mail.outbox)

    # The Kreis lost it; the Gemeinde has it, with the forwarding note but not the Kreis notes.
    assert not selectors.staff_reports(world.dispatcher).filter(pk=report.pk).exists()
    assert selectors.staff_reports(world.gemeinde_dispatcher).filter(pk=report.pk).exists()
    with pytest.raises(NotPermitted):
        services.report_add_note(report, by=world.dispatcher, text="noch was")
    seen = [e.note for e in selectors.staff_history(report, world.gemeinde_dispatcher)]
    assert "Gemeindestraße, nicht unsere Baulast." in seen
    assert "Kreis-intern: Anwohner bekannt" not in seen

    # ... and back: the Gemeinde sends it back, the Kreis takes it up again.
    services.report_add_note(report, by=world.gemeinde_dispatcher, text="Gemeinde-intern")
    services.report_forward_to_authority(
        report,
        authority=world.kreis,
        by=world.gemeinde_dispatcher,
        note="Doch Kreisstraße (K 12).",
        public_note=True,
    )
    assert report.authority == world.kreis
    assert report.status == Status.FORWARDED
    seen = [e.note for e in selectors.staff_history(report, world.dispatcher)]
    assert "Kreis-intern: Anwohner bekannt" in seen
    assert "Gemeindestraße, nicht unsere Baulast." in seen
    assert "Doch Kreisstraße (K 12)." in seen
    assert "Gemeinde-intern" not in seen
    forwards = report.events.filter(kind=ReportEvent.Kind.FORWARDED).order_by("id")
    assert [(e.from_authority_id, e.to_authority_id) for e in forwards] == [
        (world.kreis.pk, world.gemeinde.pk),
        (world.gemeinde.pk, world.kreis.pk),
    ]
    services.report_transition(report, Status.PLANNED, by=world.dispatcher)
    services.report_close(report, by=world.dispatcher)
    assert report.status == Status.DONE


def test_forward_refusals(world: World) -> None:
    report = world.report()
    before = state(report)
    with pytest.raises(WorkflowError, match="warum"):
        services.report_forward_to_authority(
            report, authority=world.gemeinde, by=world.dispatcher, note=" "
        )
    with pytest.raises(WorkflowError, match="bereits"):
        services.report_forward_to_authority(
            report, authority=world.kreis, by=world.dispatcher, note="x"
        )
    world.gemeinde.is_active = False
    world.gemeinde.save()
    with pytest.raises(WorkflowError, match="keine Meldungen"):
        services.report_forward_to_authority(
            report, authority=world.gemeinde, by=world.dispatcher, note="x"
        )
    assert state(report) == before


def test_duplicate_merge_moves_supporters_and_subscriptions(
    world: World, django_capture_on_commit_callbacks
) -> None:
    original = world.report(email="erste@example.org")
    duplicate = world.report(email="zweite@example.org")
    both = UserFactory.create(email="beide@example.org")
    services.report_support(original, user=both)
    services.report_support(duplicate, user=both)
    services.report_support(duplicate, email="nachbar@example.org")
    services.report_support(duplicate, email="erste@example.org")  # the original's reporter
    assert (original.supporter_count, Report.objects.get(pk=duplicate.pk).supporter_count) == (
        1,
        3,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_mark_duplicate(
            duplicate, original=original, by=world.dispatcher, note="Gleiche Stelle."
        )
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert duplicate.status == Status.DUPLICATE
    assert duplicate.duplicate_of == original
    assert duplicate.supporter_count == 0
    assert not duplicate.supports.exists()
    assert sorted(original.supports.values_list("email", flat=True)) == [
        "beide@example.org",
        "nachbar@example.org",
        "zweite@example.org",  # the duplicate's reporter now follows the original
    ]
    assert original.supporter_count == 3
    assert original.events.filter(kind=ReportEvent.Kind.MERGED, is_public=False).exists()
    note = duplicate.events.order_by("id").last()
    assert note is not None and original.reference in note.note and note.is_public
    assert [m.to for m in mail.outbox if "Duplikat" in m.body] == [["zweite@example.org"]]
    # Later updates of the original reach the moved supporters.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_transition(original, Status.IN_REVIEW, by=world.dispatcher)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "beide@example.org",
        "erste@example.org",
        "nachbar@example.org",
        "zweite@example.org",
    ]


def test_duplicate_refusals(world: World) -> None:
    report = world.report()
    elsewhere = world.report()
    Report.objects.filter(pk=elsewhere.pk).update(authority=world.gemeinde)
    before = state(report)
    with pytest.raises(WorkflowError, match="sich selbst"):
        services.report_mark_duplicate(report, original=report, by=world.dispatcher)
    with pytest.raises(WorkflowError, match="nicht zu Ihrer Stelle"):
        services.report_mark_duplicate(report, original=elsewhere, by=world.dispatcher)
    first = world.report()
    dup = world.report()
    services.report_mark_duplicate(dup, original=first, by=world.dispatcher)
    with pytest.raises(WorkflowError, match="selbst ein Duplikat"):
        services.report_mark_duplicate(report, original=dup, by=world.dispatcher)
    assert state(report) == before
    with pytest.raises(WorkflowError, match="nicht möglich"):
        services.report_mark_duplicate(dup, original=report, by=world.dispatcher)


def test_assignment_stays_within_the_authority(world: World) -> None:
    report = world.report()
    before = state(report)
    with pytest.raises(WorkflowError, match="Team gehört nicht"):
        services.report_assign(report, team=world.gemeinde_team, by=world.dispatcher)
    with pytest.raises(WorkflowError, match="arbeitet nicht"):
        services.report_assign(report, user=world.gemeinde_dispatcher, by=world.dispatcher)
    with pytest.raises(WorkflowError, match="arbeitet nicht"):
        services.report_assign(report, user=world.planner, by=world.dispatcher)
    with pytest.raises(WorkflowError, match="arbeitet nicht"):
        services.report_assign(report, user=UserFactory.create(), by=world.dispatcher)
    assert state(report) == before
    services.report_assign(report, team=world.team, user=world.crew, by=world.dispatcher)
    services.report_assign(report, by=world.dispatcher)
    report.refresh_from_db()
    assert report.assigned_team is None and report.assigned_to is None
    assert report.events.order_by("id").last().note == "Zuweisung aufgehoben"  # type: ignore[union-attr]


def test_bulk_actions_report_per_report(world: World) -> None:
    new = world.report()
    done = world.report()
    services.report_transition(done, Status.PLANNED, by=world.dispatcher)
    services.report_close(done, by=world.dispatcher)
    elsewhere = world.report()
    Report.objects.filter(pk=elsewhere.pk).update(authority=world.gemeinde)
    results = services.bulk_transition(
        [new.pk, done.pk, elsewhere.pk, 999999, new.pk], Status.IN_REVIEW, by=world.dispatcher
    )
    assert [(r.report_id, r.ok) for r in results] == [
        (new.pk, True),
        (done.pk, True),  # reopened: done → in_review is the reopen edge
        (elsewhere.pk, False),
        (999999, False),
    ]
    assert results[2].error == results[3].error == "Meldung nicht gefunden."
    assert Report.objects.get(pk=elsewhere.pk).status == Status.NEW

    results = services.bulk_transition([new.pk], Status.DONE, by=world.dispatcher)
    assert not results[0].ok and "kann nicht" in results[0].error

    team = TeamFactory.create(authority=world.kreis)
    results = services.bulk_assign([new.pk, done.pk], team=team, by=world.dispatcher)
    assert all(r.ok for r in results)
    assert set(Report.objects.filter(assigned_team=team).values_list("pk", flat=True)) == {
        new.pk,
        done.pk,
    }
    results = services.bulk_set_priority([new.pk], priority=Priority.LOW, by=world.dispatcher)
    assert results[0].ok and Report.objects.get(pk=new.pk).priority == Priority.LOW

    # Crews cannot use bulk actions, even on their own reports.
    services.report_assign(new, team=world.team, by=world.dispatcher)
    results = services.bulk_set_priority([new.pk], priority=Priority.HIGH, by=world.crew)
    assert not results[0].ok and "Rolle" in results[0].error


def test_bulk_merge_duplicates(world: World) -> None:
    original = world.report()
    dups = [world.report(email=f"d{i}@example.org") for i in range(3)]
    services.report_reject(dups[2], reason="Kein Mangel", by=world.dispatcher)
    results = services.bulk_merge_duplicates(
        original, [d.pk for d in dups] + [original.pk], by=world.dispatcher
    )
    assert [r.ok for r in results] == [True, True, False]
    original.refresh_from_db()
    assert original.supporter_count == 2
    assert set(Support.objects.filter(report=original).values_list("email", flat=True)) == {
        "d0@example.org",
        "d1@example.org",
    }


def test_unconfirmed_addresses_get_no_updates(
    world: World, django_capture_on_commit_callbacks
) -> None:
    report = world.report(confirmed=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_transition(report, Status.IN_REVIEW, by=world.dispatcher)
        services.report_add_note(report, by=world.dispatcher, text="Danke!", public=True)
    assert mail.outbox == []
    assert report.events.filter(kind=ReportEvent.Kind.COMMENT, is_public=True).exists()


def test_public_comment_reaches_reporter_and_supporters(
    world: World, django_capture_on_commit_callbacks
) -> None:
    report = world.report()
    services.report_support(report, email="nachbarin@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_add_note(report, by=world.dispatcher, text="Wir sind informiert.")
        services.report_add_note(report, by=world.dispatcher, text="Ist in Planung.", public=True)
    assert sorted(m.to[0] for m in mail.outbox) == ["buerger@example.org", "nachbarin@example.org"]
    assert all("Ist in Planung." in m.body for m in mail.outbox)
    assert not any("Wir sind informiert." in m.body for m in mail.outbox)
    supporter = next(m for m in mail.outbox if m.to == ["nachbarin@example.org"])
    assert report.tracking_token not in supporter.body  # the secret link is the reporter's
    assert f"/meldungen/{report.pk}/" in supporter.body


@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_are_serialised(world: World) -> None:
    """Two dispatchers click "prüfen" at the same moment: the row lock lets exactly one win,
    the other sees the new status and is refused; one history entry, not two."""
    import threading

    from django.db import connection

    report = world.report()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click() -> None:
        try:
            barrier.wait()
            services.report_transition(
                Report.objects.get(pk=report.pk), Status.IN_REVIEW, by=world.dispatcher
            )
            outcomes.append("ok")
        except WorkflowError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert report.events.filter(kind=ReportEvent.Kind.STATUS).count() == 1
