"""Seal after commit, for real: a Celery worker (with beat) seals what the web process
commits — a new report within seconds, a concurrent burst without gaps or duplicates in a few
coalesced runs, and via the beat sweep when no run was queued."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from outbox.models import OutboxMessage
from tests.tracker.staff.fixtures import make_world
from tracker import services as report_services
from tracker.inspections import ledger
from tracker.inspections.models import InspectionEvent, LedgerEntry
from tracker.models import Report, ReportEvent

from .conftest import Worker, wait_until

pytestmark = [pytest.mark.django_db(transaction=True)]


def _all_sealed() -> bool:
    return not LedgerEntry.objects.filter(seq__isnull=True).exists()


@pytest.fixture(autouse=True)
def _quiet_worker(sealer_worker: Worker) -> Iterator[None]:
    """After each test, let the worker finish (sealing, the new reports' mails) before the
    database is emptied underneath it."""
    yield

    def quiet() -> bool:
        return _all_sealed() and not OutboxMessage.objects.filter(status="pending").exists()

    wait_until(quiet, 60, "the worker to finish", sealer_worker)


def test_a_new_report_is_sealed_by_the_worker_after_its_commit(
    sealer_worker: Worker, client: Client
) -> None:
    make_world()
    response = client.post(
        "/api/v1/reports",
        {"lat": "53.05", "lon": "10.1", "category": "schlagloch", "email": "b@example.org"}
        | {"description": "Tiefes Schlagloch vor Hausnummer 3"},
    )
    assert response.status_code == 201, response.content
    created = ReportEvent.objects.get(report_id=response.json()["id"], kind="created")
    # Written in the report's transaction, waiting for (or already given) its place.
    assert LedgerEntry.objects.filter(source="report_event", row_id=created.pk).exists()
    wait_until(_all_sealed, 30, "the sealer", sealer_worker)
    link = LedgerEntry.objects.get(source="report_event", row_id=created.pk)
    assert link.seq is not None and link.entry_hash and link.sealed_at
    result = ledger.verify()
    assert result.ok and result.head == link.entry_hash and not result.unsealed


def test_a_concurrent_burst_is_sealed_without_gaps_or_duplicates(sealer_worker: Worker) -> None:
    world = make_world()
    reports = [world.report(description=f"Meldung {i}") for i in range(4)]
    runs_before = sealer_worker.runs(ledger.SEAL_TASK)

    def staff_notes(report: Report) -> None:
        for i in range(10):
            report_services.report_add_note(report, by=world.dispatcher, text=f"Notiz {i}")
        connection.close()

    threads = [threading.Thread(target=staff_notes, args=(r,)) for r in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    wait_until(_all_sealed, 60, "the sealer", sealer_worker)
    history = ReportEvent.objects.count() + InspectionEvent.objects.count()
    seqs = list(LedgerEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, history + 1))  # every row once, no gap, no duplicate
    result = ledger.verify()
    assert result.ok and result.checked == history
    # A burst of 40 commits is sealed by a few coalesced runs, not by one run per commit.
    runs = sealer_worker.runs(ledger.SEAL_TASK) - runs_before
    assert 1 <= runs < 20


def test_the_beat_sweep_seals_when_no_run_was_queued(sealer_worker: Worker) -> None:
    world = make_world()
    report = world.report()
    wait_until(_all_sealed, 30, "the sealer", sealer_worker)
    # As if the request after the commit had been lost (Redis gone at that moment): the flag
    # says "queued", so the commit publishes nothing; beat's sweep seals it anyway.
    cache.set(ledger.SEAL_FLAG, 1, timeout=120)
    try:
        report_services.report_add_note(report, by=world.dispatcher, text="Kolonne informiert")
        note = ReportEvent.objects.get(report=report, kind="note")
        wait_until(
            lambda: LedgerEntry.objects.filter(row_id=note.pk, seq__isnull=False).exists(),
            30,
            "the beat sweep",
            sealer_worker,
        )
    finally:
        cache.delete(ledger.SEAL_FLAG)
    assert ledger.verify().ok
