"""Report intake benchmark: POST /api/v1/reports (JSON, no photo) through gunicorn on loopback.

    .venv/bin/python -m bench.intake [--seconds 15] [--rounds 5] [--clients 8] [--workers 4]
    .venv/bin/python -m bench.intake --profile 600 [--cpu] [--verbose]

Starts gunicorn against the bench database, drives it from several client processes with
keep-alive connections, and prints requests/s, with GET /healthz measured the same way in the
same run as the baseline, in interleaved rounds (the median of the rounds' ratios), and the CPU
time per request of the gunicorn workers and their PostgreSQL backends (robust on a shared
machine). Target: at least 150 reports/s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import cpu
from bench.common import ROOT, setup_django

BODY = json.dumps(
    {"category": "bench-pothole", "description": "Schlagloch", "email": "b@example.org"}
).encode()
REGION = (10.0, 53.0, 10.2, 53.1)


def ensure_region() -> None:
    from django.contrib.gis.geos import Polygon

    from boundaries.models import Authority, BoundarySet, Level
    from boundaries.sets import activate_set, store_boundary
    from tracker.models import Category

    if Category.objects.filter(slug="bench-pothole").exists():
        return
    kreis, _ = Authority.objects.get_or_create(
        slug="bench-intake-kreis", defaults={"name": "Bench-Kreis Intake", "level": Level.KREIS}
    )
    boundary_set, _ = BoundarySet.objects.get_or_create(
        name="bench-intake-kreis", defaults={"level": Level.KREIS}
    )
    store_boundary(boundary_set, kreis, Polygon.from_bbox(REGION))
    if not BoundarySet.objects.filter(level=Level.KREIS, is_active=True).exists():
        activate_set(boundary_set)
    Category.objects.get_or_create(
        slug="bench-pothole",
        defaults={"name": "Bench Schlagloch", "level": Level.KREIS, "snap_to_roads": True},
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def client_loop(
    port: int, path: str, body: bytes | None, seconds: float, queue: multiprocessing.Queue
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    done = errors = 0
    deadline = time.perf_counter() + seconds
    rng = random.Random(os.getpid())
    while time.perf_counter() < deadline:
        try:
            if body is None:
                conn.request("GET", path)
            else:
                payload = json.loads(body)
                payload["lat"] = str(rng.uniform(REGION[1] + 0.001, REGION[3] - 0.001))
                payload["lon"] = str(rng.uniform(REGION[0] + 0.001, REGION[2] - 0.001))
                headers = {"Content-Type": "application/json"}
                conn.request("POST", path, body=json.dumps(payload), headers=headers)
            response = conn.getresponse()
            response.read()
        except OSError:  # a timeout or a dropped connection counts as an error, then go on
            errors += 1
            conn.close()
            continue
        if response.status in (200, 201):
            done += 1
        else:
            errors += 1
    queue.put((done, errors))


def drive(
    port: int, path: str, body: bytes | None, seconds: float, clients: int
) -> tuple[float, int]:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    procs = [
        multiprocessing.Process(target=client_loop, args=(port, path, body, seconds, queue))
        for _ in range(clients)
    ]
    started = time.perf_counter()
    for proc in procs:
        proc.start()
    results = [queue.get() for _ in procs]
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - started
    return sum(r[0] for r in results) / elapsed, sum(r[1] for r in results)


def bench_redis_url() -> str:
    """Our own Redis database for the bench's cache and rate limits (not the dev data's)."""
    if "BENCH_REDIS_URL" in os.environ:
        return os.environ["BENCH_REDIS_URL"]
    base = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    return base.rsplit("/", 1)[0] + "/13"


def start_gunicorn(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": os.environ["DATABASE_URL"],  # set to the bench database by setup_django
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "REDIS_URL": bench_redis_url(),
        "CACHE_URL": bench_redis_url(),
        "REPORT_RATE_PER_IP": "1000000/h",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    # our own gunicorn from this interpreter's venv, arguments from this script only
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    # ready when every worker has booted: answers come back, not just a connection
    for _ in range(300):
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            probe.request("GET", "/healthz")
            if probe.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.1)
    time.sleep(3)
    return server


def print_cpu(cpu_ms: dict[str, list[float]], rounds: int) -> None:
    """CPU milliseconds per request: gunicorn workers + their PostgreSQL backends."""
    (health_py, health_pg), (intake_py, intake_pg) = (
        [v / rounds for v in cpu_ms[k]] for k in ("/healthz", "intake")
    )
    health, intake = health_py + health_pg, intake_py + intake_pg
    print(
        f"CPU per request: intake {intake:.2f} ms ({intake_py:.2f} gunicorn + {intake_pg:.2f} "
        f"PostgreSQL), /healthz {health:.2f} ms ({health_py:.2f} + {health_pg:.2f}) "
        f"— ratio {health / intake:.2f}"
    )


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved /healthz-intake pairs")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="instead of the HTTP run: file N reports in this process under pyinstrument",
    )
    parser.add_argument("--verbose", action="store_true", help="with --profile: list the SQL")
    parser.add_argument(
        "--cpu", action="store_true", help="with --profile: sample CPU time, not wall time"
    )
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    setup_django()
    ensure_region()
    if args.profile:
        from bench.intake_profile import profile_intake

        profile_intake(args.profile, REGION, verbose=args.verbose, cpu_samples=args.cpu)
        return
    port = free_port()
    server = start_gunicorn(port, args.workers)
    try:
        drive(port, "/healthz", None, 2, args.clients)  # warm-up
        drive(port, "/api/v1/reports", BODY, 2, args.clients)  # warm-up
        # Interleaved rounds: on a shared machine the load drifts; each round's ratio compares
        # neighbours in time, and the median of the rounds is the figure.
        share = args.seconds / args.rounds
        health, intake, ratios, errors = [], [], [], 0
        cpu_ms = {"/healthz": [0.0, 0.0], "intake": [0.0, 0.0]}
        for _ in range(args.rounds):
            groups = (cpu.children(server.pid), cpu.database_backends())
            before = [cpu.snapshot(pids) for pids in groups]
            health_rps, _ = drive(port, "/healthz", None, share, args.clients)
            middle = [cpu.snapshot(pids) for pids in groups]
            intake_rps, failed = drive(port, "/api/v1/reports", BODY, share, args.clients)
            after = [cpu.snapshot(pids) for pids in groups]
            health_n, intake_n = health_rps * share, intake_rps * share
            for i in (0, 1):
                cpu_ms["/healthz"][i] += cpu.used(before[i], middle[i]) * 1000 / health_n
                cpu_ms["intake"][i] += cpu.used(middle[i], after[i]) * 1000 / intake_n
            health.append(health_rps)
            intake.append(intake_rps)
            ratios.append(intake_rps / health_rps)
            errors += failed
        print(
            f"intake: {statistics.mean(intake):.0f} reports/s with {args.workers} gunicorn "
            f"workers, {args.clients} clients, {errors} errors; /healthz "
            f"{statistics.mean(health):.0f} req/s; ratio median {statistics.median(ratios):.2f} "
            f"(rounds {', '.join(f'{r:.2f}' for r in ratios)})"
        )
        print_cpu(cpu_ms, args.rounds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    sys.exit(0)


if __name__ == "__main__":
    main()
