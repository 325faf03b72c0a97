"""The hash chain: every history row is chained; editing or deleting a row with raw SQL,
or editing a link, is found by `verify_liability_chain` at that row. Entries are sealed after
the commit (here by calling the sealer the task runs; tests/tracker/inspections/test_sealing.py
runs it in a real Celery worker); entries waiting too long raise the alarm."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from tracker import services as report_services
from tracker.inspections import ledger, services
from tracker.inspections.models import InspectionEvent, LedgerEntry
from tracker.models import ReportEvent

from .fixtures import STARTS, drive, make_roads

pytestmark = pytest.mark.django_db


def _history() -> tuple[int, int]:
    roads = make_roads()
    report = roads.world.report()
    report_services.report_add_note(report, by=roads.world.dispatcher, text="Kolonne informiert")
    round_ = services.round_start(roads.plan, by=roads.world.crew)
    services.round_add_points(round_, drive(STARTS[0], STARTS[0] + 0.01), by=roads.world.crew)
    services.round_end(round_, by=roads.world.crew)
    note = ReportEvent.objects.get(report=report, kind="note")
    ledger.seal()  # what the sealer task does after these commits (the test is one transaction)
    return note.pk, InspectionEvent.objects.filter(round=round_).first().pk  # type: ignore[union-attr]


def _verify() -> str:
    out = StringIO()
    call_command("verify_liability_chain", stdout=out)
    return out.getvalue()


def test_every_row_is_chained_and_the_chain_verifies() -> None:
    _history()
    total = ReportEvent.objects.count() + InspectionEvent.objects.count()
    assert LedgerEntry.objects.count() == total
    assert f"Kette in Ordnung: {total} Glieder" in _verify()
    # Staff are named in the chain; citizens are not.
    labels = set(LedgerEntry.objects.values_list("actor_label", flat=True))
    assert "dispo@example.org" in labels and "kolonne@example.org" in labels
    assert not any("buerger" in label for label in labels)


def test_an_edited_report_event_breaks_the_chain_at_its_row() -> None:
    note_id, _ = _history()
    link = LedgerEntry.objects.get(source="report_event", row_id=note_id)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tracker_reportevent SET note = 'Kolonne erst morgen' WHERE id = %s", [note_id]
        )
    with pytest.raises(CommandError) as refused:
        _verify()
    assert f"Kette gebrochen bei Glied {link.seq}" in str(refused.value)
    assert "nachträglich verändert" in str(refused.value)
    result = ledger.verify()
    assert result.broken_at == link.seq


def test_a_backdated_inspection_and_an_edited_link_are_found() -> None:
    _, event_id = _history()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE inspections_inspectionevent SET created_at = created_at - interval '2 days'"
            " WHERE id = %s",
            [event_id],
        )
    link = LedgerEntry.objects.get(source="inspection_event", row_id=event_id)
    assert ledger.verify().broken_at == link.seq
    # Restoring the row but recomputing a link by hand does not help either.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE inspections_inspectionevent SET created_at = created_at + interval '2 days'"
            " WHERE id = %s",
            [event_id],
        )
    assert ledger.verify().ok
    LedgerEntry.objects.filter(pk=link.pk).update(actor_label="Jemand anderes")
    broken = ledger.verify()
    assert broken.broken_at == link.seq and "Kettenglied" in broken.reason


def test_a_deleted_row_breaks_the_chain() -> None:
    note_id, _ = _history()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tracker_reportevent WHERE id = %s", [note_id])
    result = ledger.verify()
    assert not result.ok and "gelöscht" in result.reason


def test_erasing_an_account_keeps_the_chain_intact() -> None:
    _history()
    User.objects.filter(email="kolonne@example.org").delete()
    assert ledger.verify().ok


def test_a_removed_link_breaks_the_chain_at_the_next_position() -> None:
    _history()
    second = LedgerEntry.objects.get(seq=2)
    second.delete()
    result = ledger.verify()
    assert result.broken_at == 3 and "Verkettung unterbrochen" in result.reason


def test_a_row_deleted_before_sealing_is_reported_once_sealed() -> None:
    roads = make_roads()
    report = roads.world.report()
    report_services.report_add_note(report, by=roads.world.dispatcher, text="Gleich weg")
    note = ReportEvent.objects.get(report=report, kind="note")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tracker_reportevent WHERE id = %s", [note.pk])
    ledger.seal()
    link = LedgerEntry.objects.get(source="report_event", row_id=note.pk)
    result = ledger.verify()
    assert result.broken_at == link.seq and "gelöscht" in result.reason


def test_entries_waiting_for_the_sealer_are_counted_and_raise_the_alarm_when_overdue() -> None:
    _history()
    event = ReportEvent.objects.first()
    assert event is not None
    report_services.report_add_note(
        event.report, by=User.objects.get(email="dispo@example.org"), text="Noch offen"
    )
    waiting = LedgerEntry.objects.get(seq__isnull=True)
    out = _verify()  # fresh: a hint, no alarm
    assert "1 Verlaufseinträge warten auf die Versiegelung" in out
    LedgerEntry.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - timedelta(minutes=6)
    )
    with pytest.raises(CommandError) as alarm:
        _verify()
    assert "Alarm: 1 Verlaufseinträge seit mehr als 5 Minuten nicht versiegelt" in str(alarm.value)
    assert ledger.verify().ok  # the sealed chain itself is intact
    ledger.seal()
    assert "Kette in Ordnung" in _verify() and not ledger.verify().unsealed


@pytest.mark.django_db(transaction=True)
def test_entries_are_sealed_in_id_order_whatever_the_commit_order() -> None:
    roads = make_roads()
    report = roads.world.report()
    ledger.seal()
    # Keep the on-commit request from running the sealer (as if a run were queued already).
    assert cache.add(ledger.SEAL_FLAG, 1, timeout=60)
    try:
        first_written = threading.Event()
        second_committed = threading.Event()
        ids: dict[str, int] = {}

        def slow_writer() -> None:
            with transaction.atomic():
                event = ReportEvent.objects.create(report=report, kind="note", note="zuerst")
                ids["first"] = event.pk
                first_written.set()
                second_committed.wait(10)
            connection.close()

        thread = threading.Thread(target=slow_writer)
        thread.start()
        assert first_written.wait(10)
        ids["second"] = ReportEvent.objects.create(report=report, kind="note", note="danach").pk
        second_committed.set()
        thread.join(10)
    finally:
        cache.delete(ledger.SEAL_FLAG)
    assert ids["first"] < ids["second"]  # written first, committed last
    ledger.seal()
    seqs = {
        e.row_id: int(e.seq or 0)
        for e in LedgerEntry.objects.filter(source="report_event", row_id__in=ids.values())
    }
    assert seqs[ids["first"]] < seqs[ids["second"]]
    assert ledger.verify().ok
