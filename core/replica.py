"""Read replicas: the read-only public views read from a PostgreSQL streaming replica when
DATABASE_REPLICA_URL is set (docs/deployment.md, "From one machine to several").

* Only views marked `@read_from_replica` (the public map and its GeoJSON, tiles, planning,
  exports) read from the replica, and only inside the view: everything else, every write and
  every transaction reads from the primary.
* The lag rule: a browser that has just written (any successful POST/PUT/PATCH/DELETE) gets a
  short-lived cookie and reads from the primary for REPLICA_STICKY_SECONDS, so a citizen sees
  the report she has just filed at once. A replica whose replay lags more than
  REPLICA_MAX_LAG_SECONDS behind what it received, or that cannot be reached, is left out until
  the next check (every REPLICA_CHECK_SECONDS per process); reads then go to the primary.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

REPLICA = "replica"
STICKY_COOKIE = "mm_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Seconds the replica's replay is behind: 0 when it has replayed all it received, else the
# age of the last replayed transaction (an idle primary sends nothing, which is not lag).
LAG_SQL = """
    SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
           END
"""

log = logging.getLogger(__name__)
_reads_allowed: ContextVar[bool] = ContextVar("mm_replica_reads", default=False)
# Per process: (monotonic time of the last check, replica usable).
_health: dict[str, tuple[float, bool]] = {}

View = TypeVar("View", bound=Callable[..., HttpResponse])


def configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_lag() -> float:
    """Seconds the replica is behind (raises DatabaseError when it cannot be reached)."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        row = cursor.fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


def replica_usable() -> bool:
    """Whether reads may go to the replica now (checked at most every REPLICA_CHECK_SECONDS)."""
    if not configured():
        return False
    now = time.monotonic()
    seen = _health.get(REPLICA)
    if seen is not None and now - seen[0] < settings.REPLICA_CHECK_SECONDS:
        return seen[1]
    try:
        lag = replica_lag()
        usable = lag <= settings.REPLICA_MAX_LAG_SECONDS
        if not usable:
            log.warning("Read replica lags %.1f s behind; reading from the primary.", lag)
    except DatabaseError:
        log.warning("Read replica unreachable; reading from the primary.", exc_info=True)
        connections[REPLICA].close()
        usable = False
    _health[REPLICA] = (now, usable)
    return usable


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads in this block may go to the replica (writes never do)."""
    token = _reads_allowed.set(True)
    try:
        yield
    finally:
        _reads_allowed.reset(token)


def read_from_replica(view: View) -> View:
    """Marks a read-only view whose reads may come from the replica (see the module doc)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in SAFE_METHODS or STICKY_COOKIE in request.COOKIES:
            return view(request, *args, **kwargs)
        with replica_reads():
            response = view(request, *args, **kwargs)
        if isinstance(response, StreamingHttpResponse):  # exports: rows read while streaming
            response.streaming_content = _chunks_from_replica(response.streaming_content)
        return response

    return wrapped  # type: ignore[return-value]


def _chunks_from_replica(chunks: Any) -> Iterator[Any]:
    iterator = iter(chunks)
    while True:
        with replica_reads():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


class ReplicaRouter:
    """DATABASE_ROUTERS entry: reads inside `replica_reads()` go to a usable replica."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reads_allowed.get() and replica_usable():
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the primary's data: objects relate across both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


class ReplicaStickinessMiddleware:
    """After a successful write, this browser reads from the primary for a few seconds."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400 and configured():
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def read_connection() -> Any:
    """The connection for raw read-only SQL: the replica inside `replica_reads()` when it is
    usable, else the primary (raw cursors bypass the router)."""
    if _reads_allowed.get() and replica_usable():
        return connections[REPLICA]
    return connections["default"]
