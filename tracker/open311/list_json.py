"""The GeoReport v2 request list (`GET requests.json`), written by PostgreSQL.

Which requests a page holds is decided by the same queryset as before
(selectors.service_requests: confirmed reports, the jurisdiction, the spec's filters, newest
first, `page`/`page_size` with the extensions), compiled by Django and used as a subquery.
One statement then writes the whole JSON document, byte for byte what `request_data()` and
`render()` (json.dumps) make of the same reports: the approximate location, released photos
only, no contact data (tests/open311/test_list_json.py). `requests.xml` keeps the Python path.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from tracker import sql_json as j
from tracker.map_geojson import photo_path_sql
from tracker.models import OPEN_STATUSES, Report
from tracker.selectors import PUBLIC_GRID_DEGREES

D = j.DUMPS
_NOTHING = "SELECT NULL::bigint WHERE false"
_OPEN = "r.status = ANY(%(open)s)"
_NAME = j.CATEGORY_NAME
_REFERENCE = j.reference("r")


def _date(column: str) -> str:
    return j.local_iso(column, "%(tz)s", micro=False, utc_z=False)


def _coordinate(axis: str) -> str:
    return j.number(f"round({axis}(ST_SnapToGrid(r.location, %(grid)s))::numeric, 6)")


def request_item(*, extensions: bool) -> str:
    members: list[Any] = [
        ("service_request_id", "('\"' || r.id || '\"')"),
        ("status", f"""(CASE WHEN {_OPEN} THEN '"open"' ELSE '"closed"' END)"""),
        (
            "status_notes",
            j.text(
                """(SELECT e.note FROM tracker_reportevent e
                    WHERE e.report_id = r.id AND e.is_public AND e.note <> ''
                    ORDER BY e.created_at DESC, e.id DESC LIMIT 1)"""
            ),
        ),
        ("service_name", j.text(_NAME)),
        ("service_code", j.text("c.slug")),
        ("description", j.text("r.description")),
        ("agency_responsible", j.text("a.name")),
        ("service_notice", "'null'"),
        ("requested_datetime", _date("r.created_at")),
        ("updated_datetime", _date("r.updated_at")),
        ("expected_datetime", _date("r.due_at"), f"{_OPEN} AND r.due_at IS NOT NULL"),
        ("address", "'null'"),
        ("lat", _coordinate("ST_Y")),
        ("long", _coordinate("ST_X")),
        ("media_url", j.text("ph.urls[1]")),
    ]
    if extensions:
        members.append(
            (
                "extended_attributes",
                j.obj(
                    D,
                    ("detailed_status", j.text("r.status")),
                    ("title", j.text(f"{_NAME} || ' (' || {_REFERENCE} || ')'")),
                    ("media_urls", "ph.list"),
                ),
            )
        )
    return j.obj(D, *members)


LIST_SQL = """
WITH page AS (
    SELECT k.id, k.n
    FROM unnest(ARRAY({page})) WITH ORDINALITY AS k(id, n)
)
SELECT {items}
FROM page p
JOIN tracker_report r ON r.id = p.id
JOIN tracker_category c ON c.id = r.category_id
JOIN boundaries_authority a ON a.id = r.authority_id
LEFT JOIN LATERAL (
    SELECT array_agg(u.url ORDER BY u.created_at, u.id) AS urls,
           '[' || coalesce(string_agg(to_json(u.url)::text, ', ' ORDER BY u.created_at, u.id), '')
               || ']' AS list
    FROM (SELECT f.created_at, f.id, %(media_prefix)s || {image_path} AS url
          FROM tracker_photo f
          WHERE f.report_id = r.id AND f.is_public) u
) ph ON true
"""


def list_query(
    reports: QuerySet[Report], *, extensions: bool, language: str, media_prefix: str
) -> tuple[str, dict[str, Any]]:
    """The statement and its parameters for the requests `reports` (ordered and sliced)."""
    page_sql, page_params = j.compiled(reports.values("id"), "p") or (_NOTHING, {})
    sql = (
        LIST_SQL.replace("{items}", j.array_agg(D, request_item(extensions=extensions), "p.n"))
        .replace("{image_path}", photo_path_sql("f.image"))
        .replace("{page}", page_sql)
    )
    return sql, {
        **page_params,
        "open": [str(s) for s in OPEN_STATUSES],
        "english": language == "en",
        "tz": timezone.get_current_timezone_name(),
        "grid": PUBLIC_GRID_DEGREES,
        "media_prefix": media_prefix,
    }


def requests_json(
    request: HttpRequest, reports: QuerySet[Report], *, extensions: bool, language: str, prefix: str
) -> bytes:
    """The JSON document of the requests `reports`; `prefix` is the storage's URL prefix."""
    sql, params = list_query(
        reports,
        extensions=extensions,
        language=language,
        media_prefix=request.build_absolute_uri(prefix),
    )
    (body,) = j.fetch_serial(reports.db, sql, params)
    return str(body).encode()
