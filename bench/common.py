"""Shared set-up for benchmarks: a separate database, Django, timers, and result lines.

Benchmarks run against the local PostGIS (the one `make run` starts) in their own database
`<name>_bench`, so a million generated reports never land in the development data. They
generate their own data and print lines like
    locate p50: 2.1 ms (ratio 1.12 vs raw SQL)
always with a baseline measured in the same run.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgis://maengelmelder:maengelmelder@127.0.0.1:5432/maengelmelder"


def bench_database_url() -> str:
    """`<name>_bench`, or `<name>_bench_<suffix>` with $BENCH_DB_SUFFIX (bench/scale.py keeps
    one database per size that way, each generated once and reused)."""
    base = os.environ.get("DATABASE_URL", DEFAULT_DB)
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "maengelmelder"
    suffix = os.environ.get("BENCH_DB_SUFFIX", "")
    suffix = f"_{suffix}" if suffix else ""
    return urlunsplit(parts._replace(path=f"/{name}_bench{suffix}"))


def setup_django(*, migrate: bool = True, fresh: bool = False) -> None:
    """Point Django at the bench database (created on first use; with `fresh`, dropped and
    created anew), migrate it (unless told not to: a bench database another bench shares),
    and set up."""
    import psycopg

    url = bench_database_url()
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    db_name = parts.path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name]).fetchone()
        if not exists:
            # template1 carries the postgis extension (scripts/setup.sh puts it there)
            conn.execute(f'CREATE DATABASE "{db_name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("REPORT_RATE_PER_IP", "1000000/h")
    os.environ.setdefault("REPORT_RATE_PER_USER", "1000000/h")
    import django

    django.setup()
    from django.core.management import call_command

    if migrate:
        call_command("migrate", verbosity=0)


@contextmanager
def secondary_indexes_dropped(cursor: Any, table: str) -> Iterator[None]:
    """Bulk generation without index upkeep: the table's indexes that back no constraint are
    dropped, and built again afterwards from their own definitions (one sorted build each is
    many times faster than millions of random inserts into them)."""
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.tablename = %s AND i.schemaname = current_schema()
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                             WHERE c.conindid = (quote_ident(i.indexname))::regclass)""",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)


def raw_connection(*settings: str) -> Any:
    """A psycopg connection of its own to the bench database (no Django in between), for the
    raw SQL baselines."""
    import psycopg
    from django.db import connection

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    raw = psycopg.connect(**params, autocommit=True)
    # Django's parameters carry prepare_threshold=None (never prepare); the baselines get
    # psycopg's default: a statement run five times is prepared, planned once from then on.
    raw.prepare_threshold = 5
    raw.execute("SET TIME ZONE 'UTC'")
    for setting in settings:
        raw.execute(setting)
    return raw


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure(fn: Callable[[], object], *, repeat: int, warmup: int = 5) -> list[float]:
    """Wall-clock milliseconds of `repeat` calls after `warmup` unmeasured ones."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def measure_interleaved(
    fns: dict[str, Callable[[], object]], *, repeat: int, warmup: int = 5
) -> dict[str, list[float]]:
    """Like `measure`, for several functions called in turn: the machine's noise (2 cores
    shared with other work) then falls on all of them alike, which keeps their ratio fair."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - start) * 1000)
    return samples


def report(label: str, samples: list[float], baseline: list[float], baseline_name: str) -> None:
    for pct in (50, 95):
        ours, base = percentile(samples, pct), percentile(baseline, pct)
        ratio = ours / base if base else float("inf")
        print(f"{label} p{pct}: {ours:.2f} ms (ratio {ratio:.2f} vs {baseline_name} {base:.2f} ms)")


def mean_ms(samples: list[float]) -> float:
    return statistics.fmean(samples)


class WSGIClient:
    """GET requests straight into the WSGI application gunicorn serves (config.wsgi: the WSGI
    front, then Django's handler), as gunicorn hands them over (no sockets, none of the test
    client's extras: signal capture, request building, context copies). The body is read and
    the response closed, as a server does."""

    def __init__(self) -> None:
        from config.wsgi import application

        self.app = application
        self.status = ""

    def _start(
        self, status: str, headers: list[tuple[str, str]], exc_info: Any = None, /
    ) -> Callable[[bytes], object]:
        self.status = status
        return lambda data: None  # the body comes back as the result, not through write()

    def get(self, path: str, query: str = "", headers: dict[str, str] | None = None) -> bytes:
        import io

        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        result = self.app(environ, self._start)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close:
                close()
        if not self.status.startswith("200"):
            raise AssertionError(f"{path}?{query}: {self.status} {body[:300]!r}")
        return body
