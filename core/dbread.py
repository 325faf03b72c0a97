"""One read-only statement whose own round trip doubles as the connection's health check.

With CONN_HEALTH_CHECKS (config/settings/base.py) Django sends `SELECT 1` before the first
query of every request, so that a persistent connection the server has dropped is replaced
rather than failing the request. For an endpoint whose whole work is one short query (the
catalogue search: well under a millisecond) that is a second round trip, and on a loaded
machine, where every round trip waits for the database process to be scheduled, as costly as
the query itself (bench/catalogue_search.py).

`fetch_all` (and `fetch_sets`: several statements in one round trip, e.g. intake's spatial
lookups, boundaries.services.route_with_place) skips that `SELECT 1` and lets the statement be
the check instead: when it fails because the connection is gone, the connection is closed and
the statement — a read, safe to repeat — runs once more on a fresh one. The request gets the
same answer as with Django's check; only a healthy connection is spared the extra round trip.
Inside a transaction nothing is skipped or repeated (Django does not check there either).

With `prepare=True` the statements are also **prepared statements** of the connection, sent
with server-side binding (psycopg's `prepare=True`): PostgreSQL parses and plans each once per
connection instead of on every request. `fetch_all` sends one; `fetch_sets` sends several in
one psycopg pipeline (still one round trip); `prepared_rows` sends one without the retry, for
a write inside a transaction (intake's report, history, ledger and outbox statement). Used
where a statement is the same text on every call and costs little beside its planning: the
catalogue search, intake's lookups and its write (bench/catalogue_search.py, bench/intake.py).
Django leaves preparing off (`prepare_threshold=None`) because poolers in transaction mode
used to break it; PgBouncer since 1.21 keeps protocol-level prepared statements
(`max_prepared_statements`), and settings.DB_PREPARED_STATEMENTS=False sends these statements
as Django would, for an older pooler (docs/deployment.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

PREPARE_ONLY_WHEN_ASKED = 2**31 - 1


def fetch_all(
    sql: str, params: Sequence[Any], *, using: str = DEFAULT_DB_ALIAS, prepare: bool = False
) -> list[Any]:
    """The rows of one read-only statement; with `prepare`, as a prepared statement."""
    return fetch_sets([(sql, params)], using=using, prepare=prepare)[0]


def fetch_sets(
    statements: Sequence[tuple[str, Sequence[Any]]],
    *,
    using: str = DEFAULT_DB_ALIAS,
    prepare: bool = False,
) -> list[list[Any]]:
    """The rows of each of several read-only statements, sent together in one round trip
    (one query string, its results read one after the other; with `prepare`, each statement
    prepared, sent in one pipeline)."""
    # health_check_enabled/_done are the wrapper's own attributes (not in django-stubs).
    connection: Any = connections[using]
    pending = (
        connection.connection is not None
        and connection.health_check_enabled
        and not connection.health_check_done
        and not connection.in_atomic_block
    )
    if pending:
        connection.health_check_done = True  # this statement is the check
    try:
        return _run(connection, statements, prepare)
    except (OperationalError, InterfaceError):
        if not pending or connection.is_usable():
            raise  # a real error of the statement, not a dropped connection
    connection.close()
    return _run(connection, statements, prepare)


def _run(
    connection: Any, statements: Sequence[tuple[str, Sequence[Any]]], prepare: bool
) -> list[list[Any]]:
    if prepare and settings.DB_PREPARED_STATEMENTS:
        if len(statements) == 1:
            return [prepared_rows(connection, *statements[0])]
        return _prepared_sets(connection, statements)
    sql = ";\n".join(statement for statement, _ in statements)
    params = [param for _, values in statements for param in values]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        sets = [cursor.fetchall()]
        while cursor.nextset():
            sets.append(cursor.fetchall())
    return sets


def _preparing(connection: Any) -> Any:
    """The connection's psycopg connection, set to prepare what is asked for."""
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # None (Django's default) turns preparing off altogether, even when asked for; a
        # threshold no statement reaches prepares only what is asked for (psycopg counts
        # server-bound statements only, and Django's own cursors bind on the client).
        raw.prepare_threshold = PREPARE_ONLY_WHEN_ASKED
    return raw


def _execute(connection: Any, cursor: psycopg.Cursor[Any], sql: str, params: Any) -> None:
    """Execute prepared, logged where Django logs queries (DEBUG, assertNumQueries)."""
    if connection.queries_logged:
        with connection.make_debug_cursor(cursor).debug_sql(sql, params):
            cursor.execute(sql, params, prepare=True)
    else:
        cursor.execute(sql, params, prepare=True)


def _prepared_sets(
    connection: Any, statements: Sequence[tuple[str, Sequence[Any]]]
) -> list[list[Any]]:
    """Several statements, each prepared, in one pipeline: one round trip for all."""
    raw = _preparing(connection)
    with connection.wrap_database_errors:
        cursors = [psycopg.Cursor(raw) for _ in statements]
        try:
            with raw.pipeline():
                for cursor, (sql, params) in zip(cursors, statements, strict=True):
                    _execute(connection, cursor, sql, params)
            return [cursor.fetchall() for cursor in cursors]
        finally:
            for cursor in cursors:
                cursor.close()


def prepared_rows(connection: Any, sql: str, params: Sequence[Any]) -> list[Any]:
    """The rows of one statement (a read or a write with RETURNING) sent as a prepared
    statement of the connection, planned once per connection — or as Django sends it when
    settings.DB_PREPARED_STATEMENTS is off. On a server-binding cursor (Django's own cursors bind on
    the client, which cannot prepare); errors are Django's. No retry: inside a transaction or
    not, as the caller decides."""
    if not settings.DB_PREPARED_STATEMENTS:
        with connection.cursor() as django_cursor:
            django_cursor.execute(sql, params)
            return list(django_cursor.fetchall())
    connection.validate_no_broken_transaction()  # as Django's cursor does
    raw = _preparing(connection)
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        _execute(connection, cursor, sql, params)
        return cursor.fetchall()
