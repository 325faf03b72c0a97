"""The public map's GeoJSON pages over HTTP: `GET /api/v1/reports` parameters in, the page that
PostGIS built (tracker.map_geojson) out as bytes, framed with the paging links. Used by the
API view and, past most of the middleware, by tracker.map_fastpath."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core import params
from geo.params import parse_bbox_extent

from . import map_geojson
from .models import Status
from .pagination import FeaturePagination

MAX_SINCE_DAYS = 36500


def parse_since(raw: str) -> datetime | None:
    """`since`: a number of days back (e.g. 30) or an ISO date/datetime; None when empty."""
    raw = params.text(raw, "since", max_length=40)
    digits = raw.removeprefix("-")
    if digits.isascii() and digits.isdigit():
        days = params.integer(raw, "since", minimum=1, maximum=MAX_SINCE_DAYS)
        assert days is not None  # noqa: S101 - raw is not empty
        return timezone.now() - timedelta(days=days)
    return params.moment(raw, "since")


# Map pages change when reports are filed or move on: a short shared cache, per language.
MAP_PAGE_MAX_AGE = 60


def map_filters(query: QueryDict) -> map_geojson.PublicFilters:
    raw_bbox = params.text(query.get("bbox"), "bbox")
    return map_geojson.PublicFilters(
        bbox=parse_bbox_extent(raw_bbox) if raw_bbox else None,
        statuses=params.choice_list(query.get("status"), "status", Status.values),
        categories=params.text_list(query.get("category"), "category", max_length=100),
        since=parse_since(query.get("since", "")),
    )


def map_page_response(request: HttpRequest | Request, prefix: str) -> HttpResponse:
    """One FeatureCollection page of GET /api/v1/reports: by `page` number, or by keyset after
    `cursor` (the `next` links carry one, so deep pages cost as little as the first). Bad
    parameters raise ValidationError (Django's or DRF's)."""
    query = request.GET
    filters = map_filters(query)
    paging = FeaturePagination()
    paging.read_query(query)
    after = None
    raw_cursor = params.text(query.get("cursor"), "cursor", max_length=60)
    if raw_cursor:
        try:
            after = map_geojson.Cursor.decode(raw_cursor)
        except map_geojson.BadCursor as exc:
            raise ValidationError({"cursor": [str(exc)]}) from exc
    page = map_geojson.public_feature_page(
        filters,
        language=get_language() or "de",
        size=paging.size,
        page=paging.page,
        after=after,
        prefix=prefix,
    )
    url = remove_query_param(request.build_absolute_uri(), "page")
    next_link = (
        replace_query_param(url, "cursor", page.next_cursor.encode()) if page.next_cursor else None
    )
    previous = None
    if after is None and paging.page > 1:
        previous = replace_query_param(request.build_absolute_uri(), "page", paging.page - 1)
    head = json.dumps(
        {
            "type": "FeatureCollection",
            "page": after.page if after else paging.page,
            "next": next_link,
            "previous": previous,
        },
        separators=(",", ":"),
    )
    body = b"".join((head[:-1].encode(), b',"features":', page.features, b"}"))
    response = HttpResponse(body, content_type="application/json")
    patch_cache_control(response, public=True, max_age=MAP_PAGE_MAX_AGE)
    # the names and labels follow the language (header or cookie)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response
