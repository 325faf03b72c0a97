"""The statistics' stored aggregate (planning.stat_cells) against the exact answer counted
from the facts: counts equal, percentiles within their bucket (1 %), and the figures the
page shows equal; and a refresh that replaces the aggregate all at once."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any

import psycopg
import pytest
from django.db import connection, transaction

from planning import selectors, stat_cells
from planning.views import _days
from tests.factories import RoadFactory

from .conftest import BASE, Region
from .test_selectors import filters_for

# Realistic data in SQL (a few thousand reports a second): Nord, Süd and the Kreis, two
# categories, every status, 400 days back, due 0..60 days after creation, a third on two
# numbered roads (written two ways each); acknowledged after 1 hour .. 5 days (log-uniform),
# fixed after 1 .. 60 days. setseed: the same data on every run.
GENERATE = """
    SELECT setseed(0.19);
    INSERT INTO tracker_report (
        category_id, location, address, description, status, authority_id, road_id,
        routing_reason, routing_detail, reporter_email, reporter_name, reporter_phone,
        language, confirmed_at, confirmation_token, tracking_token, source,
        supporter_count, created_at, updated_at, due_at, priority,
        description_state, original_description, description_is_clean)
    SELECT (%(categories)s::bigint[])[1 + (i %% 3 = 0)::int],
           ST_SetSRID(ST_MakePoint(9.95 + random() * 0.3, 53.12 + random() * 0.25), 4326),
           '', 'Meldung ' || i,
           (ARRAY['new', 'in_review', 'planned', 'in_progress', 'done', 'done', 'done',
                  'rejected', 'duplicate', 'forwarded'])[1 + (i * 7 %% 10)],
           (%(authorities)s::bigint[])[1 + (i %% 5 + i %% 3) %% 3],
           CASE WHEN i %% 3 = 0 THEN (%(roads)s::bigint[])[1 + i %% 4] END,
           'boundary', '', 'test@example.org', '', '', 'de', now(),
           'c' || i, 't' || i, 'web', 0, c.created_at, c.created_at,
           c.created_at + random() * interval '60 days', 1, '', '', false
    FROM generate_series(1, %(n)s) AS i,
         LATERAL (SELECT now() - random() * interval '400 days' + i * interval '0 s'
                  AS created_at) c;
    INSERT INTO tracker_reportevent (report_id, kind, from_status, to_status, note,
                                     is_public, review, created_at)
    SELECT r.id, 'status', 'new', 'in_review', '', true, '',
           r.created_at + interval '1 hour' * exp(random() * ln(120))
    FROM tracker_report r WHERE r.status <> 'new';
    INSERT INTO tracker_reportevent (report_id, kind, from_status, to_status, note,
                                     is_public, review, created_at)
    SELECT r.id, 'status', 'in_progress', 'done', '', true, '',
           r.created_at + interval '1 day' + random() * interval '59 days'
    FROM tracker_report r WHERE r.status = 'done';
    -- as autovacuum would: without statistics the facts' event join is planned for no rows
    ANALYZE tracker_report, tracker_reportevent;
"""
REPORTS = 12_000


@pytest.fixture
def many(region: Region) -> Region:
    roads = [
        RoadFactory.create(ref=ref, road_class=road_class, owner=region.kreis)
        for ref, road_class in (("K 12", "K"), ("k12", "K"), ("L 190", "L"), ("L190", "L"))
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            GENERATE,
            {
                "categories": [region.pothole.pk, region.light.pk],
                "authorities": [region.nord.pk, region.sued.pk, region.kreis.pk],
                "roads": [road.pk for road in roads],
                "n": REPORTS,
            },
        )
    selectors.refresh_report_facts(concurrently=False)
    return region


ANSWERED = [
    {},
    {"category": "schlagloch"},
    {"status": "open"},
    {"status": "done"},
    {"since": "2026-01-01", "until": "2026-03-31"},  # whole months
    {"since": "2026-06-01"},
    {"road_class": "L"},
    {"road_ref": "k 12"},
    {"authority": "nord,sued"},
    {"authority": "sued", "category": "laterne"},
]
NOT_ANSWERED = [
    {"since": "2026-01-15", "until": "2026-03-31"},  # starts mid-month
    {"category": "schlagloch", "status": "open"},
    {"road_class": "K", "since": "2026-01-01"},
]


def assert_same_statistics(stored: selectors.Statistics, exact: selectors.Statistics) -> None:
    """Counts equal; times within their bucket and shown the same on the page."""
    assert (stored.total, stored.open, stored.overdue) == (exact.total, exact.open, exact.overdue)
    assert stored.by_category == exact.by_category
    assert stored.by_status == exact.by_status
    assert stored.by_authority == exact.by_authority
    assert stored.by_month == exact.by_month
    pairs = [
        (stored.durations.ack_median, exact.durations.ack_median),
        (stored.durations.ack_p90, exact.durations.ack_p90),
        (stored.durations.fix_median, exact.durations.fix_median),
        (stored.durations.fix_p90, exact.durations.fix_p90),
    ]
    pairs += [
        (got["fix_median"], want["fix_median"])
        for got, want in zip(stored.by_road, exact.by_road, strict=True)
    ]
    strip = [{k: v for k, v in road.items() if k != "fix_median"} for road in stored.by_road]
    assert strip == [{k: v for k, v in road.items() if k != "fix_median"} for road in exact.by_road]
    for got, want in pairs:
        assert (got is None) == (want is None)
        if got is not None and want is not None:
            assert got == pytest.approx(want, rel=0.01, abs=60)
            assert _days(got) == _days(want), (got, want)


@pytest.mark.parametrize("data", ANSWERED, ids=lambda d: "&".join(f"{k}={v}" for k, v in d.items()))
def test_stored_cells_answer_like_the_facts(many: Region, data: dict[str, Any]) -> None:
    filters = filters_for(many, **data)
    assert stat_cells.can_answer(filters)
    stored = selectors.statistics(filters, use_cache=False)
    exact = selectors.statistics(filters, stored_cells=False)
    assert exact.total > 100  # a realistic selection, not an empty one
    assert exact.durations.ack_median is not None
    assert_same_statistics(stored, exact)


def test_scope_of_a_gemeinde_planner(many: Region) -> None:
    filters = filters_for(many, many.nord_planner, status="done")
    assert stat_cells.can_answer(filters)
    stored = selectors.statistics(filters, use_cache=False)
    assert {pk for pk, _n in stored.by_authority} == {many.nord.pk}
    assert_same_statistics(stored, selectors.statistics(filters, stored_cells=False))


@pytest.mark.parametrize("data", NOT_ANSWERED)
def test_other_filters_are_counted_from_the_facts(many: Region, data: dict[str, Any]) -> None:
    filters = filters_for(many, **data)
    assert not stat_cells.can_answer(filters)
    exact = selectors.statistics(filters, stored_cells=False)
    assert exact.total > 0
    assert selectors.statistics(filters, use_cache=False) == exact


def test_buckets_are_one_percent_wide_and_cut_where_the_page_rounds(db: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT planning_duration_edges()")
        row = cursor.fetchone()
    assert row is not None
    edges: list[float] = row[0]
    assert edges[:2] == [0, 60] and edges[-1] > 10 * 365 * 86400
    assert all(b / a <= 1.0100001 for a, b in pairwise(edges[1:]))
    # "x,y Std." below a day, "x,y Tage" from a day on (planning.views._days)
    assert {(k + 0.5) * 360 for k in range(240)} <= set(edges)
    assert {(k + 0.5) * 8640 for k in range(10, 10000)} | {86400.0} <= set(edges)


def stored_total(cursor: Any) -> int:
    cursor.execute("SELECT coalesce(sum(n), 0) FROM planning_stat_cells WHERE dim = 31")
    return int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_a_refresh_replaces_the_cells_at_once(populated: Region) -> None:
    """Another planner's connection sees the old cells, whole, while a refresh runs and
    after one that fails; the new ones once it commits."""
    db = connection.settings_dict
    other = psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"],
        autocommit=True,
        options="-c statement_timeout=5000",  # a reader blocked by the refresh fails
    )
    with other, other.cursor() as reader:
        assert stored_total(reader) == 12
        for day in range(2):
            populated.report(populated.sued, 10.05, 53.15, created_at=BASE + dt.timedelta(day))
        with pytest.raises(RuntimeError), transaction.atomic():
            selectors.refresh_report_facts(concurrently=True)  # as beat runs it
            with connection.cursor() as writer:
                assert stored_total(writer) == 14
            assert stored_total(reader) == 12  # not blocked, and not a mix
            raise RuntimeError("the refresh fails before its commit")
        assert stored_total(reader) == 12
        reader.execute("SELECT count(*) FROM planning_report_facts")
        assert reader.fetchone() == (12,)

        selectors.refresh_report_facts(concurrently=True)
        assert stored_total(reader) == 14
        filters = filters_for(populated)
        assert selectors.statistics(filters).total == 14
        assert selectors.statistics(filters, stored_cells=False).total == 14
