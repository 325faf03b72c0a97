"""The public map's GeoJSON pages, built by PostGIS in one statement.

`GET /api/v1/reports` answers up to 2,000 features per page for a map viewport. Building them
in Python (model rows, dicts, json.dumps) cost more than the query; here one SQL statement
selects the page (keyset on created_at, id), joins the few shown columns, and aggregates the
features into one JSON array that goes out as bytes. Python only frames it with the paging
links. The same SQL is the bench's raw baseline (bench/map_read.py).

What the public sees is the same as selectors.public_reports(): confirmed reports, no contact
data, the location snapped to PUBLIC_GRID_DEGREES, moderated (`is_public`) photos only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.core.files.storage import default_storage
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from psycopg.types.json import Jsonb

from core.replica import read_connection

from . import sql_json
from .models import Status
from .selectors import PUBLIC_GRID_DEGREES

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Characters filepath_to_uri() leaves as they are; other names are percent-encoded in SQL.
_URI_SAFE = "^[A-Za-z0-9/._~!*()''-]*$"

# A photo name as URL path, as django.utils.encoding.filepath_to_uri() quotes it.
_PHOTO_PATH = f"""
    CASE WHEN {{col}} ~ '{_URI_SAFE}' THEN {{col}}
    ELSE (SELECT string_agg(
              CASE WHEN ch ~ '{_URI_SAFE}' THEN ch
                   ELSE regexp_replace(upper(encode(convert_to(ch, 'UTF8'), 'hex')),
                                       '(..)', '%%\\1', 'g') END, '' ORDER BY n)
          FROM regexp_split_to_table({{col}}, '') WITH ORDINALITY AS s(ch, n))
    END"""  # noqa: S608 - only constant SQL fragments are formatted in; values are parameters


def photo_path_sql(column: str) -> str:
    """SQL: the stored file name in `column` as the URL path the storage gives it."""
    return _PHOTO_PATH.format(col=column)


# As Python's isoformat() with "Z": microseconds only when there are any.
_ISO = """replace(to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                  '.000000Z', 'Z')"""

# Filters are appended to WHERE as "AND ..." with named parameters.
PAGE_SQL = """
WITH page AS (
    -- only columns of the report_public_newest index: an index-only scan, newest first
    SELECT r.id, r.created_at, r.location
    FROM tracker_report r
    WHERE r.confirmed_at IS NOT NULL {filters}
    ORDER BY r.created_at DESC, r.id DESC
    LIMIT %(limit)s + 1 OFFSET %(offset)s
), numbered AS (
    SELECT k.id, k.created_at, k.location, r.updated_at, r.status, r.description,
           r.supporter_count, r.category_id, r.authority_id,
           row_number() OVER (ORDER BY k.created_at DESC, k.id DESC) AS n
    FROM page k JOIN tracker_report r ON r.id = k.id
)
SELECT count(*) > %(limit)s,
       max(p.id) FILTER (WHERE p.n = %(limit)s),
       max(p.created_at) FILTER (WHERE p.n = %(limit)s),
       coalesce(json_agg(json_build_object(
           'id', p.id,
           'type', 'Feature',
           'geometry', ST_AsGeoJSON(ST_SnapToGrid(p.location, %(grid)s), 6)::json,
           'properties', json_build_object(
               'reference', {reference},
               'category', c.slug,
               'category_name', {category_name},
               'status', p.status,
               'status_label', coalesce(%(labels)s::jsonb ->> p.status, p.status),
               'authority', a.name,
               'description', p.description,
               'supporter_count', p.supporter_count,
               'created_at', {created},
               'updated_at', {updated},
               'photos', coalesce(ph.photos, '[]'::json),
               'url', %(url_prefix)s || p.id || %(url_suffix)s))
           ORDER BY p.n) FILTER (WHERE p.n <= %(limit)s), '[]'::json)::text
FROM numbered p
JOIN tracker_category c ON c.id = p.category_id
JOIN boundaries_authority a ON a.id = p.authority_id
LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object(
               'url', %(media_prefix)s || {image_path},
               'thumbnail', %(media_prefix)s || {thumb_path})
           ORDER BY f.created_at, f.id) AS photos
    FROM tracker_photo f
    WHERE f.report_id = p.id AND f.is_public
) ph ON p.n <= %(limit)s
""".format(  # noqa: S608 - only constant SQL fragments are formatted in; values are parameters
    filters="{filters}",
    reference=sql_json.reference("p"),
    category_name=sql_json.CATEGORY_NAME,
    created=_ISO.format(col="p.created_at"),
    updated=_ISO.format(col="p.updated_at"),
    image_path=_PHOTO_PATH.format(col="f.image"),
    thumb_path=_PHOTO_PATH.format(col="f.thumbnail"),
)


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after (created_at, id), and its page number."""

    page: int
    created_at: datetime
    report_id: int

    _FORMAT = re.compile(r"(\d{1,6})\.(-?\d{1,18})\.(\d{1,18})")

    def encode(self) -> str:
        micros = (self.created_at - EPOCH) // timedelta(microseconds=1)
        return f"{self.page}.{micros}.{self.report_id}"

    @classmethod
    def decode(cls, raw: str) -> Cursor:
        match = cls._FORMAT.fullmatch(raw)
        if not match:
            raise BadCursor(_("Ungültiger Cursor; bitte den Link „next“ unverändert verwenden."))
        page, micros, report_id = (int(g) for g in match.groups())
        try:
            created_at = EPOCH + timedelta(microseconds=micros)
        except OverflowError as exc:
            raise BadCursor(_("Ungültiger Cursor.")) from exc
        return cls(page=max(page, 2), created_at=created_at, report_id=report_id)


@dataclass
class PublicFilters:
    """The list's filters (already validated): bbox as (min_lon, min_lat, max_lon, max_lat)."""

    bbox: tuple[float, float, float, float] | None = None
    categories: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    since: datetime | None = None

    def sql(self) -> tuple[str, dict[str, Any]]:
        parts: list[str] = []
        params: dict[str, Any] = {}
        if self.bbox is not None:
            parts.append("r.location && ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, 4326)")
            params.update(zip(("x0", "y0", "x1", "y1"), self.bbox, strict=True))
        if self.categories:
            parts.append(
                "r.category_id IN (SELECT id FROM tracker_category WHERE slug = ANY(%(slugs)s))"
            )
            params["slugs"] = list(self.categories)
        if self.statuses:
            parts.append("r.status = ANY(%(statuses)s)")
            params["statuses"] = list(self.statuses)
        if self.since is not None:
            parts.append("r.created_at >= %(since)s")
            params["since"] = self.since
        return "".join(f" AND {p}" for p in parts), params


@dataclass(frozen=True)
class FeaturePage:
    features: bytes  # a JSON array
    next_cursor: Cursor | None


def media_prefix() -> str | None:
    """The URL prefix of stored files when the storage's URLs are prefix + quoted name (the
    local and the app-served S3 storage); None for anything else."""
    probe = "photos/probe.jpg"
    url = default_storage.url(probe)
    return url[: -len(probe)] if url.endswith(probe) else None


@lru_cache(maxsize=8)
def report_url_parts(script_prefix: str) -> tuple[str, str]:
    """The report page's URL around its id (reverse() once, not per request)."""
    before, after = reverse("tracker:report", args=[987654321]).split("987654321")
    return before, after


@lru_cache(maxsize=8)
def status_labels(language: str) -> dict[str, str]:
    """The status labels in a language (translated once per language, not per request)."""
    with translation.override(language):
        return {value: str(label) for value, label in Status.choices}


def page_query(
    filters: PublicFilters,
    *,
    language: str,
    size: int,
    page: int = 1,
    after: Cursor | None = None,
    prefix: str = "",
) -> tuple[str, dict[str, Any]]:
    """The statement and its parameters (page by number, or by keyset after a cursor)."""
    where, params = filters.sql()
    offset = 0
    if after is not None:
        where += " AND (r.created_at, r.id) < (%(after_at)s, %(after_id)s)"
        params.update(after_at=after.created_at, after_id=after.report_id)
    else:
        offset = (page - 1) * size
    url_prefix, url_suffix = report_url_parts(get_script_prefix())
    params.update(
        limit=size,
        offset=offset,
        grid=PUBLIC_GRID_DEGREES,
        english=language == "en",
        labels=Jsonb(status_labels(language)),
        url_prefix=url_prefix,
        url_suffix=url_suffix,
        media_prefix=prefix,
    )
    return PAGE_SQL.replace("{filters}", where), params


def public_feature_page(
    filters: PublicFilters,
    *,
    language: str,
    size: int,
    page: int = 1,
    after: Cursor | None = None,
    prefix: str = "",
) -> FeaturePage:
    sql, params = page_query(
        filters, language=language, size=size, page=page, after=after, prefix=prefix
    )
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        has_next, last_id, last_at, features = cursor.fetchone()
    current = after.page if after is not None else page
    next_cursor = Cursor(current + 1, last_at, last_id) if has_next else None
    return FeaturePage(features=features.encode(), next_cursor=next_cursor)
