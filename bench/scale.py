"""Cost as work grows: the map and planning benches at several sizes, one database per size.

    .venv/bin/python bench/scale.py [--sizes 100k,1M,5M] [--repeat 30]

Each size gets its own bench database (`<name>_bench_100k`, ...), generated once in SQL
(bench/map_read.py's generator, bench/heatmap.py's history) and reused on later runs. For each
size the figures come from the same bench code (map_read.py, heatmap.py) run in a child
process against that database; the p95s are collected into a table, a plot
(docs/performance-scale.png) and the growth from one size to the next.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time

from bench.common import ROOT

SIZES = {"100k": 100_000, "1M": 1_000_000, "5M": 5_000_000}


def parse_size(label: str) -> int:
    if label in SIZES:
        return SIZES[label]
    match = re.fullmatch(r"(\d+)([kKmM]?)", label)
    if not match:
        raise SystemExit(f"unknown size: {label} (e.g. 100k, 1M, 5M)")
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    return int(match.group(1)) * factor


def prepare(reports: int) -> None:
    """Generate the reports and the planners' history once (in this process's database)."""
    from bench.common import setup_django

    setup_django()
    from bench.heatmap import ensure_history, refresh_facts
    from bench.map_read import ensure_reports

    ensure_reports(reports)
    ensure_history()
    refresh_facts()


def child_env(label: str) -> dict[str, str]:
    return {**os.environ, "BENCH_DB_SUFFIX": label.lower()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100k,1M,5M")
    parser.add_argument("--prepare", help="internal: prepare one size in this process")
    args = parser.parse_args()
    if args.prepare:
        prepare(parse_size(args.prepare))
        return
    for label in args.sizes.split(","):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bench.scale", "--prepare", label],
            cwd=ROOT,
            env=child_env(label),
            check=True,
        )
        print(f"{label}: ready in {time.perf_counter() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
