"""Demo reports: filed through the services, spread over statuses and crews, idempotent."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from accounts.models import User
from data.demo import load_demo
from data.demo_reports import LEITSTELLE, REPORTS, load_demo_reports
from tracker.models import Report, ReportEvent
from tracker.statuses import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    load_demo(commit=True)


def test_demo_reports_fill_map_queues_and_statuses(demo: None) -> None:
    counts = load_demo_reports(commit=True)
    assert counts == {"created": len(REPORTS), "existing": 0, "skipped": 0}
    statuses = Counter(Report.objects.values_list("status", flat=True))
    # Every stage a visitor of the demo should see: new, triage, planned, at work, done, rejected.
    for status in (
        Status.NEW,
        Status.IN_REVIEW,
        Status.PLANNED,
        Status.IN_PROGRESS,
        Status.DONE,
        Status.REJECTED,
    ):
        assert statuses[status] >= 1, status
    # The README's crew (Straßenmeisterei Heideland) has work in its queue.
    crew_work = Report.objects.filter(
        assigned_team__name="Straßenmeisterei Heideland (Demo)",
        status__in=(Status.PLANNED, Status.IN_PROGRESS),
    )
    assert crew_work.count() >= 2
    # Public: confirmed reports with a history written by the services.
    assert not Report.objects.filter(confirmed_at__isnull=True).exists()
    done = Report.objects.filter(status=Status.DONE).first()
    assert done is not None
    assert ReportEvent.objects.filter(report=done, to_status=Status.DONE).exists()
    page = Client().get(f"/meldungen/{done.pk}/")
    assert page.status_code == 200
    assert "erledigt" in page.content.decode()


def test_loading_again_files_nothing_twice(demo: None) -> None:
    load_demo_reports(commit=True)
    out = StringIO()
    call_command("load_demo_reports", "--commit", stdout=out)
    assert Report.objects.count() == len(REPORTS)
    assert f"0 filed, {len(REPORTS)} already there" in out.getvalue()


def test_dry_run_writes_nothing(demo: None) -> None:
    out = StringIO()
    call_command("load_demo_reports", stdout=out)
    assert Report.objects.count() == 0
    assert "dry run" in out.getvalue()


def test_the_demo_staff_account_cannot_log_in(demo: None) -> None:
    load_demo_reports(commit=True)
    account = User.objects.get(email=LEITSTELLE)
    assert not account.is_active
    assert not account.has_usable_password()


def test_without_the_demo_region_the_command_says_what_to_do() -> None:
    with pytest.raises(CommandError, match="load_demo --commit"):
        call_command("load_demo_reports", "--commit")
