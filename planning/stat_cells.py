"""Statistics read from the stored aggregate `planning_stat_cells` instead of every report
(planning.selectors.statistics asks here first; migration 0005 and its _stat_cells_sql.py).

The aggregate holds, per authority and per value of one or two of category / status /
month / road class / road ref, the counts (all, open, overdue open) and histograms of the
seconds to acknowledge and to fix (per bucket: count, smallest and largest value). A
request with at most one of those filters (a period only in whole months) reads some
hundred rows whatever the number of reports; anything else is counted from the facts.

Percentiles (percentile_cont, as the facts' query) come from the merged histogram: the
ranks are located in their buckets; the first and the last value of a bucket are exact,
the values between are taken as evenly spaced. So the answer is exact when the ranks fall
on a bucket's first or last value (every value alone in its bucket: small selections), and
otherwise lies between the smallest and largest value of the true value's bucket: off by
less than the bucket's width, 1 % (60 s below a minute). The buckets' edges include every
edge of the page's rounding (0.1 h below a day, 0.1 days up to 1,000 days), so the page
shows the exact figure.
"""

from __future__ import annotations

import dataclasses
import math
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from .filters import PlanningFilters, month_start

# The aggregate (a materialised view, migration 0005), refreshed with the facts
# (planning.selectors.refresh_report_facts).
STAT_CELLS = "planning_stat_cells"


@dataclass
class Durations:
    """Seconds; None when no report of the selection got there."""

    ack_median: float | None
    ack_p90: float | None
    fix_median: float | None
    fix_p90: float | None


@dataclass
class Statistics:
    total: int
    open: int
    overdue: int
    durations: Durations
    by_category: list[tuple[int, int]]  # (category_id, count), largest first
    by_status: list[tuple[str, int]]
    by_authority: list[tuple[int, int]]
    by_month: list[tuple[str, int]]  # ("2026-03", count), oldest first
    by_road: list[dict[str, Any]]  # per road ref: count, open, overdue, fix median (s)

    @property
    def overdue_share(self) -> float | None:
        """Overdue open reports / open reports."""
        return self.overdue / self.open if self.open else None


def sort_counted(name: str, rows: list[Any]) -> list[Any]:
    """Months oldest first, everything else largest first (then by key)."""
    return sorted(rows, key=(lambda item: item) if name == "month" else (lambda i: (-i[1], i[0])))


# `dim` of a row: GROUPING(category_id, status, month, road_class, road_ref_key), a set bit
# for each column the row is NOT grouped by.
BITS = {"category_id": 16, "status": 8, "month": 4, "road_class": 2, "road_ref_key": 1}
ALL_BITS = 31

# output name -> the column it groups by (by_authority: the authority, in every row)
OUTPUTS = {"category": "category_id", "status": "status", "month": "month", "road": "road_ref_key"}


def dim_of(*grouped: str) -> int:
    """The `dim` of the rows grouped by these columns (and the authority)."""
    return ALL_BITS - sum(BITS[column] for column in set(grouped))


def _filter_dimension(filters: PlanningFilters) -> str | bool | None:
    """The one filtered dimension (column name), None for none, False when the aggregate
    cannot answer (two or more, or a period not in whole months)."""
    period = filters.since is not None or filters.until is not None
    if period and (
        (filters.since is not None and month_start(filters.since) is None)
        or (filters.until is not None and month_start(filters.until) is None)
    ):
        return False
    chosen = [
        column
        for column, used in (
            ("category_id", bool(filters.category_ids)),
            ("status", bool(filters.statuses)),
            ("month", period),
            ("road_class", bool(filters.road_classes)),
            ("road_ref_key", bool(filters.road_ref)),
        )
        if used
    ]
    if len(chosen) > 1:
        return False
    return chosen[0] if chosen else None


def can_answer(filters: PlanningFilters) -> bool:
    """Whether the aggregate answers these filters (else the facts are counted)."""
    return _filter_dimension(filters) is not False


def _where(filters: PlanningFilters) -> tuple[str, list[Any]]:
    """The filters over the aggregate: the same columns as the facts, months for the period."""
    where, params = dataclasses.replace(filters, since=None, until=None).sql("c")
    if filters.since is not None:
        where += " AND c.month >= %s"
        params.append(month_start(filters.since))
    if filters.until is not None:
        where += " AND c.month < %s"
        params.append(month_start(filters.until))
    return where, params


def counts_sql(dimension: str | None, where: str, params: list[Any]) -> tuple[str, list[Any]]:
    """Totals per authority and counts per category, status, month and road ref: one
    statement, each part a range of the unique index."""
    extra = (dimension,) if dimension else ()
    parts: list[str] = []
    all_params: list[Any] = []
    select = "sum(c.n)::int8, sum(c.n_open)::int8, sum(c.n_overdue)::int8"
    parts.append(
        f"SELECT 'authority', c.authority_id::text, {select}, '' FROM {STAT_CELLS} c"  # noqa: S608
        f" WHERE c.dim = %s AND {where} GROUP BY c.authority_id"
    )  # only constant SQL fragments are formatted in; values are parameters
    all_params += [dim_of(*extra), *params]
    for name, column in OUTPUTS.items():
        key = "to_char(c.month, 'YYYY-MM')" if column == "month" else f"c.{column}::text"
        road = " AND c.road_ref_key <> ''" if column == "road_ref_key" else ""
        parts.append(
            f"SELECT '{name}', {key}, {select}, min(c.road_ref) FROM {STAT_CELLS} c"  # noqa: S608
            f" WHERE c.dim = %s AND {where}{road} GROUP BY c.{column}"
        )
        all_params += [dim_of(*extra, column), *params]
    return "\nUNION ALL\n".join(parts), all_params


HISTOGRAMS = """
    SELECT %s::text, merged.key, array_agg(n ORDER BY b), array_agg(lo ORDER BY b),
           array_agg(hi ORDER BY b)
    FROM (
        SELECT {key} AS key, u.b, sum(u.n)::int8 AS n, min(u.lo) AS lo, max(u.hi) AS hi
        FROM {table} c, unnest(c.{name}_b, c.{name}_n, c.{name}_lo, c.{name}_hi)
             AS u(b, n, lo, hi)
        WHERE c.dim = %s AND {where}{extra}
        GROUP BY 1, 2
    ) merged
    GROUP BY merged.key"""


def histograms_sql(
    dimension: str | None, where: str, params: list[Any], roads: list[str]
) -> tuple[str, list[Any]]:
    """The merged histograms: time to acknowledge and to fix of the selection, and time to
    fix per road ref of `roads` (the road table's rows)."""
    extra = (dimension,) if dimension else ()
    parts, all_params = [], []
    for label, name in (("ack", "ack"), ("fix", "fix")):
        parts.append(
            HISTOGRAMS.format(key="''", table=STAT_CELLS, name=name, where=where, extra="")
        )
        all_params += [label, dim_of(*extra), *params]
    if roads:
        parts.append(
            HISTOGRAMS.format(
                key="c.road_ref_key",
                table=STAT_CELLS,
                name="fix",
                where=where,
                extra=" AND c.road_ref_key = ANY(%s)",
            )
        )
        all_params += ["road", dim_of(*extra, "road_ref_key"), *params, roads]
    return "\nUNION ALL\n".join(parts), all_params


def percentiles(
    counts: list[int], lows: list[float], highs: list[float], ps: list[float]
) -> list[float | None]:
    """percentile_cont(ps) of the values a histogram describes (None when it is empty):
    per bucket (in order) the count and the smallest and largest value. The first and last
    value of each bucket are exact; the values between are taken as evenly spaced."""
    total = sum(counts)
    if not total:
        return [None for _p in ps]
    ends = list(accumulate(counts))

    def value(index: int) -> float:
        k = bisect_right(ends, index)
        n = counts[k]
        j = index - (ends[k] - n)
        return lows[k] if n == 1 else lows[k] + j * (highs[k] - lows[k]) / (n - 1)

    result: list[float | None] = []
    for p in ps:
        position = p * (total - 1)
        below = math.floor(position)
        low = value(below)
        high = value(min(below + 1, total - 1))
        result.append(low + (position - below) * (high - low))
    return result


def statistics_from_cells(filters: PlanningFilters, cursor: Any) -> Statistics | None:
    """The statistics from the aggregate, or None when it cannot answer the filters."""
    dimension = _filter_dimension(filters)
    if dimension is False:
        return None
    assert dimension is None or isinstance(dimension, str)  # noqa: S101 - narrowing
    where, params = _where(filters)
    sql, all_params = counts_sql(dimension, where, params)
    cursor.execute(sql, all_params)
    counted: dict[str, list[Any]] = {name: [] for name in ("authority", *OUTPUTS)}
    roads: dict[str, dict[str, Any]] = {}
    for name, key, n, n_open, n_overdue, ref in cursor.fetchall():
        if name == "road":
            roads[key] = {"ref": ref, "count": n, "open": n_open, "overdue": n_overdue}
        else:
            counted[name].append((key, n, n_open, n_overdue))
    total = sum(row[1] for row in counted["authority"])
    open_count = sum(row[2] for row in counted["authority"])
    overdue = sum(row[3] for row in counted["authority"])
    shown = sorted(roads.items(), key=lambda item: (-item[1]["count"], item[0]))[:100]
    sql, all_params = histograms_sql(dimension, where, params, [key for key, _r in shown])
    cursor.execute(sql, all_params)
    merged = {(label, key): (n, lo, hi) for label, key, n, lo, hi in cursor.fetchall()}
    empty: tuple[list[int], list[float], list[float]] = ([], [], [])
    ack = percentiles(*merged.get(("ack", ""), empty), [0.5, 0.9])
    fix = percentiles(*merged.get(("fix", ""), empty), [0.5, 0.9])
    by_road = []
    for key, road in shown:
        (road["fix_median"],) = percentiles(*merged.get(("road", key), empty), [0.5])
        by_road.append(road)
    return Statistics(
        total=total,
        open=open_count,
        overdue=overdue,
        durations=Durations(ack_median=ack[0], ack_p90=ack[1], fix_median=fix[0], fix_p90=fix[1]),
        by_category=sort_counted(
            "category", [(int(key), n) for key, n, *_rest in counted["category"]]
        ),
        by_status=sort_counted("status", [(key, n) for key, n, *_rest in counted["status"]]),
        by_authority=sort_counted(
            "authority", [(int(key), n) for key, n, *_rest in counted["authority"]]
        ),
        by_month=sort_counted("month", [(key, n) for key, n, *_rest in counted["month"]]),
        by_road=by_road,
    )
