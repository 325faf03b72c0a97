"""Prepared statements (core/dbread.py): the catalogue search, intake's spatial lookups and
its write are planned once per database connection. What a user sees does not change — the
same report, routed to the same authority, with prepared statements on or off — and a
statement that fails inside the pipeline reports its error without spoiling the connection."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import ProgrammingError, connection
from django.test import Client

from core.dbread import fetch_sets
from tests.tracker.test_api import INSIDE, region  # noqa: F401 - the fixture
from tracker.models import Report


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_several_statements_in_one_pipeline_each_prepared() -> None:
    connection.close()
    sets = fetch_sets([("SELECT %s::int + 1", [1]), ("SELECT %s || 'b'", ["a"])], prepare=True)
    assert sets == [[(2,)], [("ab",)]]
    prepared = _prepared()
    assert any("::int + 1" in s for s in prepared) and any("|| 'b'" in s for s in prepared)


@pytest.mark.django_db(transaction=True)
def test_a_failing_statement_in_the_pipeline_raises_and_the_connection_goes_on() -> None:
    with pytest.raises(ProgrammingError):
        fetch_sets(
            [("SELECT 1", []), ("SELECT no_such_column FROM tracker_report", [])], prepare=True
        )
    assert fetch_sets([("SELECT 41 + %s::int", [1])], prepare=True) == [[(42,)]]
    assert Report.objects.count() == 0  # Django's own cursor on the same connection


def _file(client: Client) -> dict[str, Any]:
    response = client.post(
        "/api/v1/reports",
        {
            **INSIDE,
            "category": "wilder-muell",
            "description": "Sperrmüll",
            "email": "b@example.org",
        },
    )
    assert response.status_code == 201, response.content
    return dict(response.json())


@pytest.mark.usefixtures("region")
@pytest.mark.django_db(transaction=True)
def test_intake_the_same_with_prepared_statements_on_or_off(client: Client, settings: Any) -> None:
    connection.close()
    settings.DB_PREPARED_STATEMENTS = False
    off = _file(client)
    assert not [s for s in _prepared() if "tracker_report" in s]
    settings.DB_PREPARED_STATEMENTS = True
    on, again = _file(client), _file(client)
    for body in (off, on, again):
        assert body["authority"]["name"] == "Landkreis Test" and body["reason"] == "boundary"
    assert Report.objects.filter(pk__in=[off["id"], on["id"], again["id"]]).count() == 3
    prepared = _prepared()
    # the write (report, history, ledger, outbox in one statement) and the boundary lookup
    assert len([s for s in prepared if "INSERT INTO" in s and "tracker_report" in s]) == 1
    assert any("boundaries_boundarypiece" in s for s in prepared)
