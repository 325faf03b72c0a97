"""Where a report's time goes: file reports in-process under pyinstrument, count queries.

Called by `bench/intake.py --profile N`. It sends N `POST /api/v1/reports` through Django's
full request stack (middleware, DRF, serializer, service, response) with the test client,
prints the SQL queries per report by statement kind, and pyinstrument's call tree.

With `--cpu` it samples CPU time instead (SIGPROF, every 0.5 ms of this process's CPU):
pyinstrument's wall-clock tree counts the waits for PostgreSQL and Redis, which on a loaded
machine are mostly other sessions' work; the CPU samples show what this process spends, with
its PostgreSQL backend's CPU per report beside them (bench/cpu.py).
"""

from __future__ import annotations

import json
import random
import signal
import time
from collections import Counter
from types import FrameType

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.common import ROOT


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


def _cpu_profile(client: Client, bodies: list[str], *, share: float = 0.02) -> None:
    """Share of CPU samples per function (with what it calls), for our code and the
    libraries' entry points; only functions in at least `share` of the samples."""
    from bench import cpu

    backend = cpu.own_backend()
    samples: Counter[str] = Counter()
    total = 0

    def sample(signum: int, frame: FrameType | None) -> None:
        nonlocal total
        total += 1
        seen = set()
        while frame is not None:
            code = frame.f_code
            name = code.co_filename.rsplit("site-packages/", 1)[-1].replace(str(ROOT) + "/", "")
            key = f"{name}:{code.co_firstlineno} {code.co_name}"
            if key not in seen:
                seen.add(key)
                samples[key] += 1
            frame = frame.f_back

    previous = signal.signal(signal.SIGPROF, sample)
    started, started_pg = time.process_time(), cpu.snapshot([backend])
    signal.setitimer(signal.ITIMER_PROF, 0.0005, 0.0005)
    try:
        for body in bodies:
            _post(client, body)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, previous)
    used = (time.process_time() - started) / len(bodies) * 1000
    used_pg = cpu.used(started_pg, cpu.snapshot([backend])) / len(bodies) * 1000
    print(f"CPU per report: {used:.2f} ms in this process + {used_pg:.2f} ms PostgreSQL backend")
    print(f"share of {total} CPU samples (a function with what it calls):")
    for key, hits in samples.most_common():
        if hits / total < share:
            break
        print(f"  {hits / total * 100:5.1f} %  {key}")


def profile_intake(
    count: int,
    region: tuple[float, float, float, float],
    *,
    verbose: bool = False,
    cpu_samples: bool = False,
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
    if cpu_samples:
        _cpu_profile(client, bodies)
        return
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    profiler.start()
    for body in bodies:
        _post(client, body)
    profiler.stop()
    elapsed = time.perf_counter() - started
    print(f"in-process: {count / elapsed:.0f} reports/s, {elapsed / count * 1000:.2f} ms/report")
    print(profiler.output_text(unicode=False, color=False, show_all=False, short_mode=True))
