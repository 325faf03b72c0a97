"""Prepared statements in one pipeline (core/dbread.py): several statements, one round trip,
each planned once per connection; a statement that fails inside the pipeline reports its
error without spoiling the connection. (The search's and intake's use of them:
tests/catalogue/test_search_answer.py, tests/tracker/test_api.py.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import ProgrammingError, connection

from core.dbread import fetch_sets
from tracker.models import Report


@pytest.mark.django_db(transaction=True)
def test_several_statements_in_one_pipeline_each_prepared(
    prepared_statements: Callable[[str], list[str]],
) -> None:
    connection.close()
    sets = fetch_sets([("SELECT %s::int + 1", [1]), ("SELECT %s || 'b'", ["a"])], prepare=True)
    assert sets == [[(2,)], [("ab",)]]
    assert prepared_statements("::int + 1") and prepared_statements("|| 'b'")


@pytest.mark.django_db(transaction=True)
def test_a_failing_statement_in_the_pipeline_raises_and_the_connection_goes_on() -> None:
    with pytest.raises(ProgrammingError):
        fetch_sets(
            [("SELECT 1", []), ("SELECT no_such_column FROM tracker_report", [])], prepare=True
        )
    assert fetch_sets([("SELECT 41 + %s::int", [1])], prepare=True) == [[(42,)]]
    assert Report.objects.count() == 0  # Django's own cursor on the same connection
