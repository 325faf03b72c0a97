"""The staff work queue's pages (`GET /api/v1/staff/reports`), built by PostgreSQL.

Which reports a page holds is decided by the same queryset as before
(selectors.staff_queue: the user's authorities, the filters, the sort), compiled by Django
and used as a subquery: scoping cannot drift from the detail view and the staff pages. One
statement then counts the queue, takes the page (keyset after a cursor when sorted by
creation time, else by page number) and writes the features as JSON text, byte for byte what
StaffReportSerializer and DRF's JSONRenderer make of them (tests/tracker/staff/
test_queue_json.py), reading only the columns shown.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.geos import Polygon
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from psycopg.types.json import Jsonb
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core import params
from tracker import sql_json as j
from tracker.map_geojson import BadCursor, Cursor, status_labels
from tracker.models import OPEN_STATUSES, Priority, Report
from tracker.pagination import FeaturePagination

from .serializers import PRIORITY_NAMES

# Sorts that page by keyset: (created_at, id) and the comparison that continues them.
KEYSET_SORTS = {"-created_at": "<", "created_at": ">"}


def _c(style: j.Style, *members: tuple[str, str]) -> str:
    return j.obj(style, *members)


C = j.COMPACT
TZ = "%(tz)s"


def _date(column: str) -> str:
    return j.local_iso(column, TZ, micro=True, utc_z=True)


GEOMETRY = _c(
    C,
    ("type", """'"Point"'"""),
    (
        "coordinates",
        f"('[' || {j.number('ST_X(r.location)')} || ',' || {j.number('ST_Y(r.location)')} || ']')",
    ),
)

PROPERTIES = _c(
    C,
    (
        "reference",
        f"""('"' || {j.reference("r")} || '"')""",
    ),
    ("category", j.text("c.slug")),
    (
        "category_name",
        j.text(j.CATEGORY_NAME),
    ),
    ("status", j.text("r.status")),
    ("status_label", j.text("coalesce(%(status_labels)s::jsonb ->> r.status, r.status)")),
    ("priority", j.text("coalesce(%(priority_names)s::jsonb ->> r.priority::text, 'normal')")),
    (
        "priority_label",
        j.text("coalesce(%(priority_labels)s::jsonb ->> r.priority::text, r.priority::text)"),
    ),
    ("due_at", _date("r.due_at")),
    ("overdue", j.boolean("r.due_at < statement_timestamp() AND r.status = ANY(%(open)s)")),
    (
        "authority",
        _c(
            C,
            ("id", j.integer("a.id")),
            ("name", j.text("a.name")),
            ("slug", j.text("a.slug")),
            ("level", j.text("a.level")),
        ),
    ),
    (
        "assigned_team",
        j.nullable("t.id", _c(C, ("id", j.integer("t.id")), ("name", j.text("t.name")))),
    ),
    (
        "assigned_to",
        j.nullable(
            "u.id",
            _c(
                C,
                ("id", j.integer("u.id")),
                ("email", j.text("u.email")),
                ("display_name", j.text("u.display_name")),
            ),
        ),
    ),
    ("road_ref", j.text("rd.ref")),
    ("address", j.text("r.address")),
    ("description", j.text("r.description")),
    ("supporter_count", j.integer("r.supporter_count")),
    ("confirmed", j.boolean("r.confirmed_at IS NOT NULL")),
    ("created_at", _date("r.created_at")),
    ("updated_at", _date("r.updated_at")),
    (
        "version",
        """('"' || (extract(epoch FROM r.updated_at) * 1000000)::numeric(30, 0)::text || '"')""",
    ),
    (
        "moderation",
        _c(
            C,
            (
                "open_flags",
                """(SELECT count(*) FROM tracker_abuseflag f
                    WHERE f.report_id = r.id AND f.resolved_at IS NULL)::text""",
            ),
            (
                "comments_waiting",
                """(SELECT count(*) FROM tracker_reportevent e
                    WHERE e.report_id = r.id AND e.review = 'pending')::text""",
            ),
            ("description_state", j.text("r.description_state")),
        ),
    ),
)

FEATURE = _c(
    C,
    ("id", j.integer("r.id")),
    ("type", """'"Feature"'"""),
    ("geometry", GEOMETRY),
    ("properties", PROPERTIES),
)

QUEUE_SQL = f"""
WITH page AS (
    SELECT k.id, k.n
    FROM unnest(ARRAY({{page}})) WITH ORDINALITY AS k(id, n)
)
SELECT ({{count}}),
       count(*) > %(limit)s,
       max(r.id) FILTER (WHERE p.n = %(limit)s),
       max(r.created_at) FILTER (WHERE p.n = %(limit)s),
       {j.js_safe(j.array_agg(C, FEATURE, "p.n", "p.n <= %(limit)s"))},
       ({{guard}})
FROM page p
JOIN tracker_report r ON r.id = p.id
JOIN tracker_category c ON c.id = r.category_id
JOIN boundaries_authority a ON a.id = r.authority_id
LEFT JOIN tracker_team t ON t.id = r.assigned_team_id
LEFT JOIN accounts_user u ON u.id = r.assigned_to_id
LEFT JOIN geo_roadsegment rd ON rd.id = r.road_id
"""  # noqa: S608 - only constant SQL and Django's compiled queries go in; values are parameters


class StaffPagination(FeaturePagination):
    """Like the public GeoJSON pages, plus a total `count`: a queue is one authority's open
    work, small enough to count, and the pages show "n Meldungen"."""

    page_size = 50
    max_page_size = 500

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> Any:
        self.count = queryset.count()
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data = {"count": self.count, **response.data}
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        result = super().get_paginated_response_schema(schema)
        result["properties"] = {"count": {"type": "integer"}, **result["properties"]}
        return result


class Refused(Exception):
    """The statement's guard found the caller's assumed rights no longer current: the page
    it computed must not be shown (tracker.staff.fastpath answers on the full path instead)."""


# A condition the statement also evaluates, in the same snapshot as the page: SQL text and
# its named parameters (tracker.staff.fastpath's check of the session, the user and the
# memberships it assumed).
Guard = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class QueuePage:
    count: int
    features: bytes  # a JSON array
    has_next: bool
    next_cursor: Cursor | None


def after_cursor(reports: QuerySet[Report], sort: str, after: Cursor) -> QuerySet[Report]:
    """The queue after the cursor's report (a row comparison the index can start from)."""
    op = KEYSET_SORTS[sort]
    return reports.filter(
        RawSQL(  # noqa: S611 - constant SQL, the values are parameters
            f'("tracker_report"."created_at", "tracker_report"."id") {op} (%s, %s)',
            (after.created_at, after.report_id),
            output_field=BooleanField(),
        )
    )


# A point in the viewport, answered from the GiST index on the point's coordinates
# (report_staff_area, INCLUDE location, authority, status) without reading the table: the box
# test finds the candidates, the exact comparison of the coordinates is what ST_Intersects of a
# point and the viewport's rectangle answers (edges included).
IN_VIEWPORT = (
    'point(ST_X("tracker_report"."location"), ST_Y("tracker_report"."location"))'
    " <@ box(point(%s, %s), point(%s, %s))"
    ' AND ST_X("tracker_report"."location") BETWEEN %s AND %s'
    ' AND ST_Y("tracker_report"."location") BETWEEN %s AND %s'
)


def in_viewport(
    queue: QuerySet[Report], bbox: Polygon | None
) -> tuple[QuerySet[Report], QuerySet[Report]]:
    """The queue (selectors.staff_queue without its bbox) in the viewport, twice: to page it,
    filtered as staff_queue(bbox=…) filters, and to count it, with the same answer from an
    index-only scan (the count was nine tenths of the statement's cost at 1M reports)."""
    if bbox is None:
        return queue, queue
    x0, y0, x1, y1 = bbox.extent
    viewport = RawSQL(IN_VIEWPORT, (x0, y0, x1, y1, x0, x1, y0, y1), output_field=BooleanField())  # noqa: S611
    return queue.filter(location__intersects=bbox), queue.filter(viewport)


def queue_query(
    reports: QuerySet[Report],
    *,
    counted: QuerySet[Report] | None = None,
    language: str,
    size: int,
    page: int = 1,
    sort: str = "-created_at",
    after: Cursor | None = None,
    guard: Guard | None = None,
) -> tuple[str, dict[str, Any]]:
    """The statement and its parameters for one page of the queue `reports` (ordered); with
    a `guard`, the page is only to be shown where the guard holds (queue_page)."""
    counting = (reports if counted is None else counted).order_by().values("id")
    walked = after_cursor(reports, sort, after) if after is not None else reports
    offset = 0 if after is not None else (page - 1) * size
    selected = walked.values("id")[offset : offset + size + 1]
    nothing: tuple[str, dict[str, Any]] = ("SELECT NULL::bigint AS id WHERE false", {})
    count_sql, count_params = j.compiled(counting, "c") or nothing
    page_sql, page_params = j.compiled(selected, "p") or nothing
    guard_sql, guard_params = guard or ("true", {})
    sql = (
        QUEUE_SQL.replace("{page}", page_sql)
        .replace(
            "{count}",
            f"SELECT count(*) FROM ({count_sql}) AS counted",  # noqa: S608 - Django's compiled SQL
        )
        .replace("{guard}", guard_sql)
    )
    with_priorities = {str(v): str(label) for v, label in Priority.choices}
    params = {
        **count_params,
        **page_params,
        **guard_params,
        "limit": size,
        "tz": timezone.get_current_timezone_name(),
        "english": language == "en",
        "status_labels": Jsonb(status_labels(language)),
        "priority_labels": Jsonb(with_priorities),
        "priority_names": Jsonb({str(k): v for k, v in PRIORITY_NAMES.items()}),
        "open": [str(s) for s in OPEN_STATUSES],
    }
    return sql, params


@dataclass(frozen=True)
class Statement:
    """One page's statement, ready to run (tracker.staff.fastpath keeps them per query
    string): the SQL, its parameters but the guard's, and what the frame needs."""

    db: str
    sql: str
    params: dict[str, Any]
    page: int  # the page's number
    keyset: bool  # sorted by creation time: `next` carries a cursor


def queue_statement(
    query: Mapping[str, str],
    reports: QuerySet[Report],
    sort: str,
    counted: QuerySet[Report] | None = None,
    guard_sql: str | None = None,
) -> Statement:
    """The statement for the page the query string (`page`, `page_size`, `cursor`) asks for
    (a ValidationError for bad ones); with `guard_sql`, its parameters come with queue_page."""
    paging = StaffPagination()
    paging.read_query(query)
    after = None
    raw_cursor = params.text(query.get("cursor"), "cursor", max_length=60)
    if raw_cursor:
        if sort not in KEYSET_SORTS:
            raise ValidationError(
                {"cursor": [_("Ein Cursor gilt nur für die Sortierung nach Eingang.")]}
            )
        try:
            after = Cursor.decode(raw_cursor)
        except BadCursor as exc:
            raise ValidationError({"cursor": [str(exc)]}) from exc
    sql, values = queue_query(
        reports,
        counted=counted,
        language=get_language() or "de",
        size=paging.size,
        page=paging.page,
        sort=sort,
        after=after,
        guard=None if guard_sql is None else (guard_sql, {}),
    )
    return Statement(
        db=reports.db,
        sql=sql,
        params=values,
        page=after.page if after is not None else paging.page,
        keyset=sort in KEYSET_SORTS,
    )


def queue_page(statement: Statement, guard_params: dict[str, Any] | None = None) -> QueuePage:
    """Runs the statement; Refused where its guard does not hold."""
    values = {**statement.params, **guard_params} if guard_params else statement.params
    count, has_next, last_id, last_at, features, allowed = j.fetch_serial(
        statement.db, statement.sql, values
    )
    if not allowed:
        raise Refused
    next_cursor = None
    if has_next and statement.keyset:
        next_cursor = Cursor(statement.page + 1, last_at, last_id)
    return QueuePage(
        count=count, features=features.encode(), has_next=has_next, next_cursor=next_cursor
    )


def head(values: dict[str, Any]) -> bytes:
    """The page's frame before "features", as DRF's JSONRenderer writes it."""
    text = json.dumps(values, separators=(",", ":"), ensure_ascii=False)
    return text[:-1].replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode()


def page_response(request: HttpRequest, statement: Statement, page: QueuePage) -> HttpResponse:
    """One page of the queue: `count`, `page`, `next`, `previous` and the features, as the
    DRF pagination wrote them. `next` carries a keyset `cursor` when the queue is sorted by
    creation time (so deep pages cost what the first costs); `page=N` keeps working."""
    number = statement.page
    url = request.build_absolute_uri()
    if page.next_cursor is not None:
        next_link = replace_query_param(
            remove_query_param(url, "page"), "cursor", page.next_cursor.encode()
        )
    elif page.has_next:
        next_link = replace_query_param(url, "page", number + 1)
    else:
        next_link = None
    previous = None
    if number > 1:
        previous = replace_query_param(remove_query_param(url, "cursor"), "page", number - 1)
    frame = {
        "count": page.count,
        "type": "FeatureCollection",
        "page": number,
        "next": next_link,
        "previous": previous,
    }
    body = b"".join((head(frame), b',"features":', page.features, b"}"))
    return HttpResponse(body, content_type="application/json")
