"""Responses in the two formats of GeoReport v2. Both are rendered from the same plain data
(dicts in the spec's field order, lists, scalars); XML follows the spec's element names via
ElementTree, JSON is the spec's "Spark convention" mapping of that XML."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}

# List fields and the element name of their items.
ITEM_NAMES = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "media_urls": "media_url",
}

# Characters that XML 1.0 cannot carry at all (a client could submit them in a description).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Open311Error(Exception):
    """Answer with the spec's error document: HTTP `status`, one or more descriptions."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = list(descriptions)


def w3_datetime(moment: datetime | None) -> str | None:
    """ISO 8601 with the offset of the portal's time zone, e.g. 2026-11-23T19:00:00+01:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return w3_datetime(value) or ""
    return _NOT_XML.sub("", str(value))


def _append(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if value is None:
        return
    if isinstance(value, Mapping):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, list | tuple):
        item_name = ITEM_NAMES.get(name, "item")
        for item in value:
            _append(element, item_name, item)
    else:
        element.text = _text(value)


def to_xml(root: str, data: Mapping[str, Any] | Sequence[Any], item: str | None = None) -> bytes:
    """`data` as a document: a mapping becomes the root's children, a list becomes repeated
    `item` elements under the root."""
    element = ET.Element(root)
    if isinstance(data, Mapping):
        for key, value in data.items():
            _append(element, key, value)
    else:
        for entry in data:
            _append(element, item or "item", entry)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return w3_datetime(value)
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def render(
    fmt: str,
    root: str,
    data: Mapping[str, Any] | Sequence[Any],
    item: str | None = None,
    status: int = 200,
) -> HttpResponse:
    if fmt == "json":
        body = json.dumps(_jsonable(data), ensure_ascii=False).encode()
    else:
        body = to_xml(root, data, item)
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["xml"]))


def render_error(fmt: str, error: Open311Error) -> HttpResponse:
    errors = [{"code": error.status, "description": text} for text in error.descriptions]
    return render(fmt, "errors", errors, item="error", status=error.status)
