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

`fetch_all(..., prepare=True)` also keeps the statement's plan: it is sent with server-side
binding as a prepared statement of the connection (psycopg's `prepare=True`), so PostgreSQL
parses and plans it once per connection instead of on every request. Django leaves preparing
off (`prepare_threshold=None`) because poolers in transaction mode used to break it; PgBouncer
since 1.21 keeps protocol-level prepared statements (`max_prepared_statements`), and
settings.DB_PREPARED_READS=False turns this off for an older pooler (docs/deployment.md).
For the catalogue search, whose query plans in about as long as it runs, that is a sixth of
its time (bench/catalogue_search.py).
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
    (one query string, its results read one after the other)."""
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
    sql = ";\n".join(statement for statement, _ in statements)
    params = [param for _, values in statements for param in values]
    run = _prepared if prepare and len(statements) == 1 and settings.DB_PREPARED_READS else _results
    try:
        return run(connection, sql, params)
    except (OperationalError, InterfaceError):
        if not pending or connection.is_usable():
            raise  # a real error of the statement, not a dropped connection
    connection.close()
    return run(connection, sql, params)


def _results(connection: Any, sql: str, params: list[Any]) -> list[list[Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        sets = [cursor.fetchall()]
        while cursor.nextset():
            sets.append(cursor.fetchall())
    return sets


def _prepared(connection: Any, sql: str, params: list[Any]) -> list[list[Any]]:
    """One statement as a prepared statement, on a server-binding cursor of the connection
    (Django's own cursors bind on the client, which cannot prepare). Errors are Django's, and
    the statement is logged where Django logs queries (DEBUG, assertNumQueries)."""
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # None (Django's default) turns preparing off altogether, even when asked for; a
        # threshold no statement reaches prepares only what is asked for (psycopg counts
        # server-bound statements only, and Django's own cursors bind on the client).
        raw.prepare_threshold = PREPARE_ONLY_WHEN_ASKED
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        if connection.queries_logged:
            with connection.make_debug_cursor(cursor).debug_sql(sql, params):
                cursor.execute(sql, params, prepare=True)
        else:
            cursor.execute(sql, params, prepare=True)
        return [cursor.fetchall()]
