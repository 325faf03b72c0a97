"""The real Celery worker keeps its database connection from task to task (config/celery.py):
Celery's Django fixup would otherwise close it around every task, and each delivery would
start a new PostgreSQL session — a new server process for every mail."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.tracker.staff.fixtures import World, make_world
from tracker import services
from tracker.models import Status

from .conftest import SmtpSink, Worker

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db: None, smtp: SmtpSink) -> World:
    smtp.clear()
    return make_world()


def sessions_started() -> int:
    """Sessions PostgreSQL has counted on the test database (one more per new connection; a
    closed session is counted when it ends)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def test_the_worker_delivers_many_mails_over_one_database_session(
    world: World, celery_worker: Worker, smtp: SmtpSink
) -> None:
    report = world.report()  # confirmed guest report: its two "received" mails go out
    smtp.wait_for(2)
    before = sessions_started()

    for status in (Status.IN_REVIEW, Status.PLANNED, Status.IN_PROGRESS, Status.PLANNED):
        services.report_transition(report, status, by=world.dispatcher)
    mails = smtp.wait_for(6)

    # Four status mails to the reporter, each its own relay run and delivery task, and beat's
    # publish_due every second: before the fix, every one of those tasks began a session.
    assert len(mails) >= 6
    assert sessions_started() - before <= 1
