"""Where a report's time goes: file reports in-process under pyinstrument, count queries.

Called by `bench/intake.py --profile N`. It sends N `POST /api/v1/reports` through Django's
full request stack (middleware, DRF, serializer, service, response) with the test client,
prints the SQL queries per report by statement kind, and pyinstrument's call tree.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def _payload(rng: random.Random, region: tuple[float, float, float, float]) -> str:
    return json.dumps(
        {
            "category": "bench-pothole",
            "description": "Schlagloch",
            "email": "b@example.org",
            "lat": str(rng.uniform(region[1] + 0.001, region[3] - 0.001)),
            "lon": str(rng.uniform(region[0] + 0.001, region[2] - 0.001)),
        }
    )


def _post(client: Client, body: str) -> None:
    response = client.post("/api/v1/reports", body, content_type="application/json")
    if response.status_code != 201:
        raise SystemExit(f"intake failed: {response.status_code} {response.content[:300]!r}")


def _query_kinds(queries: list[dict[str, str]]) -> Counter[str]:
    kinds: Counter[str] = Counter()
    for query in queries:
        sql = query["sql"].lstrip()
        verb = sql.split(None, 1)[0].upper()
        table = ""
        for marker in (" FROM ", "INSERT INTO ", "UPDATE "):
            if marker in sql.upper():
                rest = sql[sql.upper().index(marker) + len(marker) :].split(None, 1)[0]
                table = rest.strip('"(')
                break
        kinds[f"{verb} {table}".strip()] += 1
    return kinds


def profile_intake(
    count: int, region: tuple[float, float, float, float], *, verbose: bool = False
) -> None:
    from pyinstrument import Profiler

    rng = random.Random(1)
    client = Client(REMOTE_ADDR="127.0.0.1")
    for _ in range(10):  # warm-up: imports, caches, connection
        _post(client, _payload(rng, region))
    with CaptureQueriesContext(connection) as captured:
        _post(client, _payload(rng, region))
    print(f"queries per report: {len(captured.captured_queries)}")
    for kind, number in sorted(_query_kinds(captured.captured_queries).items()):
        print(f"  {number:3d}  {kind}")
    if verbose:
        for query in captured.captured_queries:
            print(f"    {query['time']}s {query['sql'][:160]}")
    bodies = [_payload(rng, region) for _ in range(count)]
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    profiler.start()
    for body in bodies:
        _post(client, body)
    profiler.stop()
    elapsed = time.perf_counter() - started
    print(f"in-process: {count / elapsed:.0f} reports/s, {elapsed / count * 1000:.2f} ms/report")
    print(profiler.output_text(unicode=False, color=False, show_all=False, short_mode=True))
