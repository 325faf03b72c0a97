"""The hash chain: every history row is chained; editing or deleting a row with raw SQL,
or editing a link, is found by `verify_liability_chain` at that row."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

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
    assert f"Kette gebrochen bei Glied {link.pk}" in str(refused.value)
    assert "nachträglich verändert" in str(refused.value)
    result = ledger.verify()
    assert result.broken_at == link.pk


def test_a_backdated_inspection_and_an_edited_link_are_found() -> None:
    _, event_id = _history()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE inspections_inspectionevent SET created_at = created_at - interval '2 days'"
            " WHERE id = %s",
            [event_id],
        )
    link = LedgerEntry.objects.get(source="inspection_event", row_id=event_id)
    assert ledger.verify().broken_at == link.pk
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
    assert broken.broken_at == link.pk and "Kettenglied" in broken.reason


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
