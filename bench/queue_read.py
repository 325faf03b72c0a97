"""Queue and Open311 read benchmark: the staff work queue API and Open311's request list with a
town viewport's `bbox`, at 1M reports (the reports of bench/map_read.py).

    BENCH_DB_SUFFIX=1m .venv/bin/python -m bench.queue_read [--repeat 50] [--explain]
    .venv/bin/python -m bench.queue_read --read-only   # a shared bench database: no writes

Endpoints, each through Django's request handling (the test client):
* `GET /api/v1/staff/reports?bbox=…` as a dispatcher of the bench authority: first page of 50
  with the queue's `count`, from a known browser session (tracker.staff.fastpath: one
  statement that also checks session, user and memberships) and with an API token (the same
  short way once the token is known; the statement checks the token row instead);
* `GET /open311/v2/requests.json?extensions=true&bbox=…`: the spec's default window (the last
  90 days), up to 1,000 requests.

Baselines, interleaved call by call in the same run: the fastest raw SQL for the same answer
through psycopg directly — the endpoint's own statement (PostgreSQL counts, pages and writes
the JSON already), with its values written into the text (as Django sends them) or bound as
parameters, serial or parallel, with the planner kept to the GiST index, and through
Django's own database connection; the fastest is the baseline. Target: p95 under 50 ms and
within 1.2x of that baseline.

With `--read-only` the staff member, the membership and the login session are made inside a
transaction that is rolled back at the end, and nothing is migrated or generated: the bench
database may be one that another bench uses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench.common import measure_interleaved, percentile, report, setup_django
from bench.map_read import TOWN_VIEWPORT, ensure_reports, raw_connection

GIST_ONLY = ("SET enable_indexscan = off", "SET enable_indexonlyscan = off")
SERIAL = "SET max_parallel_workers_per_gather = 0"
# The plans a viewport's statement can take; the fastest of them is the baseline. "inline":
# the values written into the statement's text (psycopg's ClientCursor, as Django sends it),
# planned for those values; the others bind them as parameters (prepared after 5 runs).
# "one trip": as the endpoint sends it, `SET LOCAL` and the statement in one message.
INLINE = "inline"
ONE_TRIP = "one trip"
VARIANTS: dict[str, tuple[str, ...]] = {
    "raw one trip": (INLINE, ONE_TRIP),
    "raw inline": (INLINE, SERIAL),
    "raw": (SERIAL,),
    "raw parallel": (),
    "raw gist": (SERIAL, *GIST_ONLY),
    "raw gist parallel": GIST_ONLY,
}


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """Everything inside is undone at the end (the bench database stays as it was)."""
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def dispatcher() -> Any:
    """A dispatcher of the bench authority (made inside the caller's transaction)."""
    from accounts.models import Membership, Role, User
    from boundaries.models import Authority

    authority = Authority.objects.get(slug="bench-kreis")
    user = User.objects.create_user(email="bench-dispatcher@example.org", password=None)
    Membership.objects.create(user=user, authority=authority, role=Role.DISPATCHER)
    return user


def statements(user: Any, bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    """The endpoints' statements and parameters, as the views build them."""
    from django.contrib.gis.geos import Polygon
    from django.test import RequestFactory
    from django.utils import timezone, translation

    from tracker import map_geojson, selectors
    from tracker.open311 import list_json, params
    from tracker.open311 import selectors as open311
    from tracker.staff import queue_json

    with translation.override("de"), timezone.override("Europe/Berlin"):
        queue, counted = queue_json.in_viewport(
            selectors.staff_queue(user), Polygon.from_bbox(bbox)
        )
        staff = queue_json.queue_query(queue, counted=counted, language="de", size=50)
        start, end = params.window(None, None, open_ended=False)
        query = open311.RequestFilter(start=start, end=end, bbox=Polygon.from_bbox(bbox))
        prefix = RequestFactory().get("/").build_absolute_uri(map_geojson.media_prefix())
        requests = list_json.list_query(
            open311.service_requests(query)[:1000],
            extensions=True,
            language="de",
            media_prefix=prefix,
        )
    return {"staff": staff, "open311": requests}


def geo_connection(*settings: str) -> Any:
    """A psycopg connection of its own that takes geometries as Django's parameters."""
    from django.db import connection

    raw = raw_connection(*settings)
    connection.register_geometry_adapters(raw)  # type: ignore[attr-defined]
    return raw


def raw_runner(sql: str, values: dict[str, Any], *settings: str) -> Callable[[], None]:
    import psycopg

    raw = geo_connection(*(s for s in settings if s not in (INLINE, ONE_TRIP)))
    cursor = psycopg.ClientCursor(raw) if INLINE in settings else raw.cursor()
    if ONE_TRIP in settings:
        both = f"SET LOCAL max_parallel_workers_per_gather = 0; {sql}"

        def one_trip() -> None:
            cursor.execute(both, values)
            cursor.nextset()
            cursor.fetchone()

        return one_trip

    def run() -> None:
        cursor.execute(sql, values).fetchone()

    return run


# The statement through Django's own connection (no ORM, no view): in these runs often the
# fastest way to send it (same server settings as the raw connections; measured, not known why).
DJANGO_CURSOR = "raw django cursor"
# The same request with token authentication (an app): the short way too, once the process
# has seen the token (its first request goes the full way and is not measured).
STAFF_APP = "staff (token)"


def django_runner(sql: str, values: dict[str, Any]) -> Callable[[], None]:
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL max_parallel_workers_per_gather = 0; {sql}", values)
            cursor.nextset()
            cursor.fetchone()

    return run


def explain(sql: str, values: dict[str, Any], *settings: str) -> None:
    raw = geo_connection(*settings)
    for (line,) in raw.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, values).fetchall():
        print("   ", line)


def checked(get: Callable[..., Any], path: str, query: dict[str, str]) -> Callable[[], None]:
    def call() -> None:
        response = get(path, query)
        assert response.status_code == 200, response.content[:300]

    return call


def run(args: argparse.Namespace) -> None:
    from django.test import Client

    bbox = ",".join(str(v) for v in TOWN_VIEWPORT)
    client = Client()
    client.force_login(dispatcher())
    staff_query = {"bbox": bbox}
    open311_query = {"extensions": "true", "bbox": bbox}
    first = client.get("/api/v1/staff/reports", staff_query).json()
    print(f"staff queue: count {first['count']}, {len(first['features'])} features on page 1")
    found = client.get("/open311/v2/requests.json", open311_query)
    print(f"open311: {len(found.json())} requests, {len(found.content)} bytes")
    sql = statements(_user(client), TOWN_VIEWPORT)
    if args.explain:
        for name, (statement, values) in sql.items():
            print(f"--- {name}")
            explain(statement, values, SERIAL)
    token = Client(headers={"Authorization": f"Token {_token(client)}"})
    fns: dict[str, Callable[[], object]] = {
        "staff": checked(client.get, "/api/v1/staff/reports", staff_query),
        STAFF_APP: checked(token.get, "/api/v1/staff/reports", staff_query),
        "open311": checked(client.get, "/open311/v2/requests.json", open311_query),
    }
    for name, (statement, values) in sql.items():
        for variant, settings in VARIANTS.items():
            fns[f"{name} {variant}"] = raw_runner(statement, values, *settings)
        fns[f"{name} {DJANGO_CURSOR}"] = django_runner(statement, values)
    samples = measure_interleaved(fns, repeat=args.repeat)
    for name, label in (("staff", "staff reports bbox"), ("open311", "open311 requests bbox")):
        keys = [f"{name} {variant}" for variant in (*VARIANTS, DJANGO_CURSOR)]
        for key in keys:
            print(
                f"{key}: p50 {percentile(samples[key], 50):.2f} ms, "
                f"p95 {percentile(samples[key], 95):.2f} ms"
            )
        best = min(keys, key=lambda k: percentile(samples[k], 50))
        report(label, samples[name], samples[best], f"best raw SQL ({best})")
        if name == "staff":
            report(STAFF_APP, samples[STAFF_APP], samples[best], f"best raw SQL ({best})")


def _token(client: Any) -> str:
    from rest_framework.authtoken.models import Token

    return str(Token.objects.create(user=_user(client)).key)


def _user(client: Any) -> Any:
    from accounts.models import User

    return User.objects.get(pk=client.session["_auth_user_id"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--explain", action="store_true", help="print the statements' plans")
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="do not migrate or generate; undo the bench's staff member at the end",
    )
    args = parser.parse_args()
    setup_django(migrate=not args.read_only)
    if not args.read_only:
        ensure_reports(args.reports)
    with rolled_back():
        run(args)


if __name__ == "__main__":
    main()
