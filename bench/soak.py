"""Soak bench (issue 19): minutes of mixed traffic at a fixed rate against `make run`'s server.

    .venv/bin/python -m bench.soak [--minutes 10] [--rate 100] [--url URL] [--pid PID]

By default it creates the bench database `<name>_bench_soak` anew (with --keep-data it reuses
the last run's), loads the demo data into it, starts the
Procfile processes (gunicorn, celery worker, beat) under production settings on a free port
with their own Redis databases and media directory, and stops them at the end; with --url it
drives a server that is already running (e.g. `make run`; its data must be the demo data, its
database the one in the environment; --pid names honcho's process id for the memory figures).

The traffic (bench/soak_traffic.py) is open-loop: requests are due on a clock at --rate per
second, whether or not earlier ones have come back. It prints per route count, errors and
p50/p95/p99 latency with each p95 as a ratio to /healthz's p95 in the same run, the achieved
rate, errors by kind, and the RSS of the web and worker processes after the warm-up and at the
end. Exit status 1 when there was any error or the memory grew by more than 10%.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

import requests

from bench import soak_server
from bench.common import percentile
from bench.soak_traffic import MIX, Results, run_client

MAX_GROWTH = 0.10


def login(base: str, email: str, password: str) -> dict[str, str]:
    """Log the staff account in as a browser does (CSRF cookie, form post); its cookies."""
    session = requests.Session()
    page = session.get(f"{base}/konto/login/", timeout=30)
    page.raise_for_status()
    token = session.cookies["csrftoken"]
    answer = session.post(
        f"{base}/konto/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/konto/login/"},
        timeout=60,
        allow_redirects=False,
    )
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"staff login failed: {answer.status_code} {answer.text[:300]}")
    me = session.get(f"{base}/api/v1/staff/me", timeout=30)
    if me.status_code != 200:
        raise SystemExit(f"staff API refuses the session: {me.status_code} {me.text[:300]}")
    return {name: session.cookies[name] or "" for name in ("sessionid", "csrftoken")}


def drive(
    base: str, data: soak_server.SoakData, cookies: dict[str, str], seconds: float, opts: Any
) -> Results:
    """Traffic for `seconds` from opts.processes client processes; their merged Results.
    The clock starts when every process is ready; the work reports' statuses at the end are
    written back into `data` for the next run."""
    ctx = multiprocessing.get_context("spawn")  # no inherited Django or sockets
    ready, go, out = ctx.Queue(), ctx.Queue(), ctx.Queue()
    common = {
        "base": base,
        "data": asdict(data),
        "cookies": cookies,
        "rate": opts.rate / opts.processes,
        "processes": opts.processes,
        "threads": opts.threads,
        "seconds": seconds,
    }
    procs = [
        ctx.Process(target=run_client, args=({**common, "index": i, "seed": i + 1}, ready, go, out))
        for i in range(opts.processes)
    ]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.get()
    start = time.time() + 0.5
    for _ in procs:
        go.put(start)
    parts = [out.get() for _ in procs]
    for proc in procs:
        proc.join()
    merged = merge(parts)
    data.work_reports = merged.work
    return merged


def merge(parts: list[Results]) -> Results:
    merged = Results()
    for part in parts:
        for route, samples in part.latencies.items():
            merged.latencies.setdefault(route, []).extend(samples)
        merged.errors.update(part.errors)
        for kind, text in part.samples.items():
            merged.samples.setdefault(kind, text)
        merged.lag.extend(part.lag)
        merged.sent += part.sent
        merged.work.extend(part.work)
        merged.started = min(merged.started or part.started, part.started)
        merged.finished = max(merged.finished, part.finished)
    return merged


def print_routes(results: Results, rate: float) -> int:
    """The per-route table; returns the number of errors."""
    health = results.latencies.get("healthz") or [float("nan")]
    base95 = percentile(health, 95)
    errors_by_route: Counter[str] = Counter()
    for (route, _kind), count in results.errors.items():
        errors_by_route[route] += count
    head = f"{'count':>7} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    print(f"{'route':28} {head}  p95/healthz")
    for route in MIX:
        samples = results.latencies.get(route)
        if not samples:
            continue
        p50, p95, p99 = (percentile(samples, p) for p in (50, 95, 99))
        print(
            f"{route:28} {len(samples):7d} {errors_by_route[route]:6d} "
            f"{p50:8.1f} {p95:8.1f} {p99:8.1f}  {p95 / base95:6.2f}"
        )
    done = sum(len(s) for s in results.latencies.values())
    seconds = results.finished - results.started
    lag95 = percentile(results.lag, 95) if results.lag else 0.0
    late = sum(1 for lag in results.lag if lag > 1000)
    print(
        f"rate: {done / seconds:.1f} req/s achieved of {rate:.0f} target "
        f"({done} requests answered in {seconds:.0f} s; start lag p95 {lag95:.0f} ms, "
        f"{late} requests started more than 1 s late)"
    )
    total = sum(results.errors.values())
    print(f"errors: {total}")
    overload: Counter[str] = Counter()
    for (route, kind), count in sorted(results.errors.items()):
        if kind.startswith("overload"):
            overload[kind] += count  # one line: it says nothing about the route
        else:
            print(f"  {route}: {kind}: {count}")
    for kind, count in overload.items():
        print(f"  all routes: {kind}: {count}")
    for kind, text in sorted(results.samples.items()):
        print(f"  first answer for {kind}: {text!r}")
    return total


def _serving(memory: dict[str, int]) -> int:
    return memory["gunicorn"] + memory["celery worker"] + memory["images worker"]


def print_memory(start: dict[str, int], series: list[dict[str, int]]) -> float:
    """RSS per group at the start and the end, and the growth of the sum (gunicorn and the
    celery workers; beat does no request work and is shown apart)."""
    end = series[-1]
    for group in start:
        print(f"memory {group}: {start[group] / 1024:.0f} MiB → {end[group] / 1024:.0f} MiB")
    first, last = _serving(start), _serving(end)
    growth = (last - first) / first if first else 0.0
    trend = " ".join(f"{_serving(m) / 1024:.0f}" for m in series)
    print(f"memory web+workers: {first / 1024:.0f} MiB → {last / 1024:.0f} MiB ({growth:+.1%})")
    print(f"memory web+workers per minute (MiB): {trend}")
    return growth


def print_cpu(
    roots: list[int],
    start_cpu: dict[str, float],
    start: tuple[float, float, dict[str, float]],
    answered: int,
    rate: float,
) -> None:
    """The server's CPU per answered request (web, workers), the machine's (server, the bench's
    client, the rest) and the photo redaction still to do."""
    start_busy, start_client, start_other = start
    end_cpu = soak_server.cpu_seconds(roots)
    part = {kind: end_cpu[kind] - start_cpu[kind] for kind in end_cpu}
    used = sum(part.values())
    each = ", ".join(
        f"{kind} {part[kind]:.0f} s, {part[kind] / answered * 1000:.1f} ms" for kind in part
    )
    print(
        f"server CPU (web + workers): {used:.0f} s, {used / answered * 1000:.1f} ms per "
        f"request: {rate:.0f} req/s need about {used / answered * rate:.1f} cores"
        f" ({each} per request)"
    )
    busy = soak_server.machine_busy_seconds() - start_busy
    client = _client_cpu() - start_client
    end_other = soak_server.other_cpu_seconds(roots)
    other = {kind: end_other[kind] - start_other[kind] for kind in end_other}
    rest = busy - used - client - sum(other.values())
    named = ", ".join(f"{kind} {other[kind] / answered * 1000:.1f}" for kind in other)
    print(
        f"machine busy: {busy / answered * 1000:.1f} ms per request (server "
        f"{used / answered * 1000:.1f}, bench client {client / answered * 1000:.1f}, {named},"
        f" the rest — kernel, other processes — {rest / answered * 1000:.1f})"
    )
    waiting, queued = soak_server.redaction_backlog()
    print(f"photo redaction behind at the end: {waiting} photos ({queued} tasks queued)")


def probe(base: str, data: soak_server.SoakData, cookies: dict[str, str], repeat: int) -> None:
    """Each route `repeat` times, one request at a time (after two unmeasured): what a request
    costs when it waits for nothing but itself. Ratios to /healthz probed the same way."""
    import queue
    import random

    from bench.soak_traffic import ROUTES, ClientState, make_photos

    work: queue.Queue[tuple[int, str]] = queue.Queue()
    for item in data.work_reports:
        work.put(item)
    state = ClientState(base, data, cookies, work, make_photos(1, seed=0))
    rng = random.Random(0)
    medians: dict[str, float] = {}
    for name, route in ROUTES.items():
        samples = []
        for n in range(repeat + 2):
            started = time.perf_counter()
            response = route(state, rng)
            if n >= 2:
                samples.append((time.perf_counter() - started) * 1000)
            if response.status_code >= 400:
                raise SystemExit(f"probe {name}: {response.status_code} {response.text[:300]}")
        medians[name] = percentile(samples, 50)
    data.work_reports = [work.get_nowait() for _ in range(work.qsize())]
    line = ", ".join(
        f"{name} {ms:.0f} ({ms / medians['healthz']:.1f})" for name, ms in medians.items()
    )
    print(f"probe, one at a time, p50 ms (ratio to /healthz): {line}", flush=True)


def sample_memory(roots: list[int], stop: threading.Event, series: list[dict[str, int]]) -> None:
    while not stop.wait(60):
        series.append(soak_server.memory(roots))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=100, help="requests per second")
    parser.add_argument("--url", help="drive this running server instead of starting one")
    parser.add_argument("--pid", type=int, action="append", default=[], help="with --url")
    parser.add_argument("--warmup", type=float, default=60, help="seconds, not counted")
    parser.add_argument("--processes", type=int, default=2, help="client processes")
    parser.add_argument("--threads", type=int, default=32, help="threads per client process")
    parser.add_argument("--work-reports", type=int, default=64)
    parser.add_argument(
        "--keep-data",
        action="store_true",
        help="reuse the bench database of the last run (default: a new one, demo loaded)",
    )
    parser.add_argument(
        "--probe", type=int, default=10, help="each route N times alone first (0: no probe)"
    )
    return parser.parse_args()


def setup(opts: argparse.Namespace) -> soak_server.SoakData:
    import environ

    # The worktree's .env as Django reads it (the environment wins): database, Redis port.
    environ.Env.read_env(soak_server.ROOT / ".env", overwrite=False)
    if opts.url:  # the running server's own database (the environment's, as `make run`'s)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
        import django

        django.setup()
    else:
        from bench.common import setup_django

        os.environ.setdefault("BENCH_DB_SUFFIX", "soak")
        os.environ.update(soak_server.bench_env())
        # A new database each run (unless --keep-data): the reports the run comments on and
        # changes would otherwise carry every earlier run's history (hundreds of entries
        # after a few runs), and each run would measure a slower site than the one before.
        setup_django(fresh=not opts.keep_data)
        if not opts.keep_data:
            soak_server.forget_earlier_runs()
        soak_server.load_like_make_run()
        soak_server.forget_lost_photos()
    from django.db import connections

    data = soak_server.prepare(work_reports=opts.work_reports)
    connections.close_all()
    return data


def soak(opts: argparse.Namespace, base: str, roots: list[int], log: Path | None) -> int:
    """Warm-up, then the measured run; prints everything, returns the number of failures
    (errors, memory growth beyond the limit)."""
    data = opts.data
    cookies = login(base, data.staff_email, data.staff_password)
    log_start = log.stat().st_size if log else 0
    print(
        f"soak: {base}, {opts.rate:.0f} req/s for {opts.minutes:g} min, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {_load()}",
        flush=True,
    )
    if opts.probe:
        probe(base, data, cookies, opts.probe)
    warm = drive(base, data, cookies, opts.warmup, opts)  # workers warm, caches filled
    warm_errors = sum(warm.errors.values())
    print(f"warm-up: {opts.warmup:g} s, {warm_errors} errors", flush=True)
    start_memory, start_cpu = soak_server.memory(roots), soak_server.cpu_seconds(roots)
    start_busy, start_client = soak_server.machine_busy_seconds(), _client_cpu()
    start_other = soak_server.other_cpu_seconds(roots)
    series: list[dict[str, int]] = [start_memory]
    stop = threading.Event()
    sampler = threading.Thread(target=sample_memory, args=(roots, stop, series), daemon=True)
    sampler.start()
    results = drive(base, data, cookies, opts.minutes * 60, opts)
    stop.set()
    series.append(soak_server.memory(roots))
    print(f"end: {_load()}")
    errors = print_routes(results, opts.rate) + warm_errors
    answered = sum(len(s) for s in results.latencies.values())
    if roots and answered:
        print_cpu(roots, start_cpu, (start_busy, start_client, start_other), answered, opts.rate)
    if log:
        logged = soak_server.log_errors(log, log_start)
        print(f"errors in the server's log: {sum(logged.values())}")
        for text, count in logged.most_common(10):
            print(f"  {count} x {text}")
        errors += sum(logged.values())
    else:
        print("errors in the server's log: not read (a server of its own only)")
    if not roots:
        print("memory: not measured (give --pid with --url)")
        return errors
    growth = print_memory(start_memory, series)
    return errors + (growth > MAX_GROWTH)


def main() -> None:
    opts = parse_args()
    opts.data = setup(opts)
    if opts.url:
        sys.exit(1 if soak(opts, opts.url.rstrip("/"), opts.pid, None) else 0)
    server = soak_server.start(_free_port(), soak_server.make_workdir())
    try:
        failures = soak(opts, server.url, [server.honcho.pid], server.log)
    finally:
        soak_server.stop(server)
        print(f"server log: {server.log}")
    sys.exit(1 if failures else 0)


def _client_cpu() -> float:
    """CPU seconds of the bench's client processes that have ended (drive() joins them)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def _free_port() -> int:
    from bench.intake import free_port

    return free_port()


if __name__ == "__main__":
    main()
