"""Cost as work grows: the map and planning benches at several sizes, one database per size.

    .venv/bin/python -m bench.scale [--sizes 100k,1M,5M] [--repeat 30] [--prepare-only]
    .venv/bin/python -m bench.scale --sizes 100k,1M,5M --from-log run1.txt --from-log run2.txt

Each size gets its own bench database (`<name>_bench_100k`, ...), generated once in SQL
(bench/map_read.py's generator, bench/heatmap.py's history) and reused on later runs. For each
size the figures come from the same bench code (map_read.py, heatmap.py) run in a child
process against that database; the p95s (each with its ratio to the raw SQL measured in
the same run) are collected into a table with the growth from one size to the next, and a
plot (docs/performance-scale.png, matplotlib from the dev extras). `--from-log` draws the
table and the plot from the saved output of earlier runs instead (a later log's figure of a
size replaces an earlier one), e.g. after re-running the small sizes alone.
"""

from __future__ import annotations

import argparse
import itertools
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
    if os.environ.get("BENCH_REFRESH_FACTS"):  # bench.heatmap refreshes them itself
        refresh_facts()


def child_env(label: str) -> dict[str, str]:
    return {**os.environ, "BENCH_DB_SUFFIX": label.lower()}


# "reports bbox GeoJSON p95: 41.20 ms (ratio 1.05 vs best raw SQL 39.10 ms)"
FIGURE = re.compile(r"^(?P<label>.+) p95: (?P<ms>[\d.]+) ms \(ratio (?P<ratio>[\d.]+|inf) vs ")
# The figures that must not grow much with the number of reports, by their bench line.
KEY_FIGURES = {
    "reports bbox GeoJSON": "viewport (GeoJSON page of 500)",
    "vector tile z14": "vector tile z14",
    "heatmap bins (whole Landkreis)": "heatmap bins (whole Landkreis)",
    "statistics API (uncached)": "statistics (uncached)",
    "statistics API (after the refresh task)": "statistics (after the refresh task)",
}


def run_benches(label: str, reports: int, repeat: int) -> dict[str, tuple[float, float]]:
    """The map and planning benches against this size's database: {figure: (p95, ratio)}."""
    figures: dict[str, tuple[float, float]] = {}
    for module in ("bench.map_read", "bench.heatmap"):
        done = subprocess.run(  # noqa: S603 - our own bench modules
            [sys.executable, "-m", module, "--reports", str(reports), "--repeat", str(repeat)],
            cwd=ROOT,
            env=child_env(label),
            check=True,
            capture_output=True,
            text=True,
        )
        for line in done.stdout.splitlines():
            print(f"  [{label}] {line}", flush=True)
            if match := FIGURE.match(line):
                figures[match["label"]] = (float(match["ms"]), float(match["ratio"]))
    return figures


# "  [5M] vector tile z14 p95: 82.56 ms (ratio ...)" in bench.scale's own output
LOGGED = re.compile(r"^  \[(?P<size>[^\]]+)\] (?P<line>.*)$")


def read_logs(paths: list[str]) -> dict[str, dict[str, tuple[float, float]]]:
    """{size: {figure: (p95, ratio)}} from saved bench.scale output, later files winning."""
    results: dict[str, dict[str, tuple[float, float]]] = {}
    for path in paths:
        with open(path, encoding="utf-8") as log:
            for raw in log:
                logged = LOGGED.match(raw.rstrip("\n"))
                figure = FIGURE.match(logged["line"]) if logged else None
                if logged and figure:
                    results.setdefault(logged["size"], {})[figure["label"]] = (
                        float(figure["ms"]),
                        float(figure["ratio"]),
                    )
    return results


def print_table(sizes: list[str], results: dict[str, dict[str, tuple[float, float]]]) -> None:
    print()
    print(
        "| figure (p95, ms) | "
        + " | ".join(sizes)
        + " | growth "
        + " / ".join(f"{a}→{b}" for a, b in itertools.pairwise(sizes))
        + " |"
    )
    print("|---" * (len(sizes) + 2) + "|")
    for key, name in KEY_FIGURES.items():
        values = [results[size].get(key) for size in sizes]
        cells = [f"{v[0]:.1f} ({v[1]:.2f}x raw)" if v else "–" for v in values]
        growth = [
            f"{b[0] / a[0]:.2f}x" if a and b and a[0] else "–"
            for a, b in itertools.pairwise(values)
        ]
        print(f"| {name} | " + " | ".join(cells) + " | " + " / ".join(growth) + " |")


def _within(tick: float, results: dict[str, dict[str, tuple[float, float]]]) -> bool:
    """Whether a y tick lies within the plotted figures' range (a tick beyond on each side)."""
    values = [by_key[key][0] for by_key in results.values() for key in KEY_FIGURES if key in by_key]
    return bool(values) and min(values) / 2.5 <= tick <= max(values) * 2.5


def plot(sizes: list[str], results: dict[str, dict[str, tuple[float, float]]], out: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    counts = [parse_size(size) for size in sizes]
    figure, axes = plt.subplots(figsize=(8, 5), dpi=100)
    for key, name in KEY_FIGURES.items():
        points = [(n, results[s][key][0]) for n, s in zip(counts, sizes, strict=True)
                  if key in results[s]]  # fmt: skip
        if points:
            axes.plot(*zip(*points, strict=True), marker="o", label=name)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xticks(counts, sizes)
    ticks = [t for t in (2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000) if _within(t, results)]
    axes.set_yticks(ticks, [str(t) for t in ticks])
    axes.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    axes.set_xlabel("reports in the database")
    axes.set_ylabel("p95 (ms)")
    axes.set_title("Cost as work grows (2 cores, same-run raw baselines)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(out)
    print(f"plot: {out}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100k,1M,5M")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--plot", default=str(ROOT / "docs" / "performance-scale.png"))
    parser.add_argument("--from-log", action="append", default=[], metavar="FILE")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)  # one size, in this process
    args = parser.parse_args()
    if args.prepare:
        prepare(parse_size(args.prepare))
        return
    sizes = args.sizes.split(",")
    if args.from_log:
        logged = read_logs(args.from_log)
        print_table(sizes, logged)
        plot(sizes, logged, args.plot)
        return
    results: dict[str, dict[str, tuple[float, float]]] = {}
    for label in sizes:
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 - our own bench module
            [sys.executable, "-m", "bench.scale", "--prepare", label],
            cwd=ROOT,
            env={**child_env(label), "BENCH_REFRESH_FACTS": "1" if args.prepare_only else ""},
            check=True,
        )
        print(f"{label}: data ready in {time.perf_counter() - started:.0f} s", flush=True)
        if not args.prepare_only:
            results[label] = run_benches(label, parse_size(label), args.repeat)
    if results:
        print_table(sizes, results)
        plot(sizes, results, args.plot)


if __name__ == "__main__":
    main()
