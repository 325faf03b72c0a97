"""Paging GeoJSON FeatureCollections for the report lists (public and staff API)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from core import params


class FeaturePagination(BasePagination):
    """Page-numbered GeoJSON FeatureCollections without COUNT(*): counting every report in a
    busy viewport costs as much as reading the page, so we fetch one extra row to know whether
    there is a next page."""

    page_size = 500
    max_page_size = 2000
    # Deep pages are a scan of everything before them (and a huge number overflows OFFSET).
    max_page = 10_000

    def read_params(self, request: Request) -> None:
        """`page` and `page_size` from the query string (a 400 for bad ones)."""
        self.request = request
        self.read_query(request.query_params)

    def read_query(self, query: Mapping[str, str]) -> None:
        self.page = self._positive_int(query, "page", 1)
        self.size = min(self._positive_int(query, "page_size", self.page_size), self.max_page_size)
        if self.page > self.max_page:
            raise ValidationError(
                {
                    "page": [
                        _("Höchstens Seite %(max)d; bitte den Ausschnitt verkleinern.")
                        % {"max": self.max_page}
                    ]
                }
            )

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: APIView | None = None
    ) -> list[Any]:
        self.read_params(request)
        offset = (self.page - 1) * self.size
        rows = list(queryset[offset : offset + self.size + 1])
        self.has_next = len(rows) > self.size
        return rows[: self.size]

    def _positive_int(self, query: Mapping[str, str], name: str, default: int) -> int:
        raw = query.get(name)
        value = params.integer(raw, name, default=default, minimum=1)
        assert value is not None  # noqa: S101 - there is a default
        return value

    def _link(self, page: int) -> str:
        return replace_query_param(self.request.build_absolute_uri(), "page", page)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "type": "FeatureCollection",
                "page": self.page,
                "next": self._link(self.page + 1) if self.has_next else None,
                "previous": self._link(self.page - 1) if self.page > 1 else None,
                "features": data["features"],
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "page": {"type": "integer"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "features": schema.get("properties", {}).get("features", schema),
            },
        }
