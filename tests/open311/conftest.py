"""Fixtures and format checks for the Open311 tests: a small region with two Gemeinden in a
Kreis, services with attributes of all six datatypes, an API key, and validators that check
a response's JSON against the schemas and its XML against the same schemas, element by
element."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

import jsonschema
import pytest
from django.contrib.gis.geos import Point
from PIL import Image

from boundaries.models import Level
from tests.factories import CategoryFactory, box, territory
from tracker import services as tracker_services
from tracker.models import Report
from tracker.open311.models import ServiceAttribute
from tracker.open311.services import api_key_issue

# Element names of list items, per list element (and per document root).
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "media_urls": "media_url",
    "service_request_updates": "request_update",
}

INSIDE_A = {"lat": "53.05", "long": "10.05"}  # Gemeinde A
INSIDE_B = {"lat": "53.05", "long": "10.15"}  # Gemeinde B


@pytest.fixture
def region(db: None) -> dict[str, Any]:
    kreis = territory(
        "Landkreis Test", Level.KREIS, box(10.0, 53.0, 10.2, 53.1), ags="99001", slug="lk-test"
    )
    gemeinde_a = territory(
        "Gemeinde A",
        Level.GEMEINDE,
        box(10.0, 53.0, 10.1, 53.1),
        ags="99001001",
        slug="gemeinde-a",
        parent=kreis,
    )
    gemeinde_b = territory(
        "Gemeinde B",
        Level.GEMEINDE,
        box(10.1, 53.0, 10.2, 53.1),
        ags="99001002",
        slug="gemeinde-b",
        parent=kreis,
    )
    muell = CategoryFactory.create(
        slug="wilder-muell",
        name="Wilder Müll",
        name_en="Illegal dumping",
        level=Level.KREIS,
        sort_order=1,
    )
    laterne = CategoryFactory.create(
        slug="laterne", name="Straßenlaterne", level=Level.GEMEINDE, sort_order=2
    )
    only_b = CategoryFactory.create(slug="nur-in-b", name="Nur in B", sort_order=3)
    only_b.available_in.add(gemeinde_b)
    attributes = [
        ("mast", "string", True, []),
        ("hoehe", "number", False, []),
        ("seit", "datetime", False, []),
        ("details", "text", False, []),
        ("art", "singlevaluelist", False, [("led", "LED"), ("natrium", "Natriumdampf")]),
        ("zustand", "multivaluelist", False, [("dunkel", "dunkel"), ("flackert", "flackert")]),
    ]
    for order, (code, datatype, required, values) in enumerate(attributes, start=1):
        ServiceAttribute.objects.create(
            category=laterne,
            code=code,
            datatype=datatype,
            required=required,
            order=order,
            description=f"Frage {code}",
            values=[{"key": k, "name": n} for k, n in values],
        )
    ServiceAttribute.objects.create(
        category=laterne,
        code="hinweis",
        datatype="string",
        variable=False,
        order=7,
        description="Bitte nicht in die Leuchte schauen.",
    )
    return {
        "kreis": kreis,
        "gemeinde_a": gemeinde_a,
        "gemeinde_b": gemeinde_b,
        "muell": muell,
        "laterne": laterne,
        "only_b": only_b,
    }


@pytest.fixture
def api_key(db: None) -> str:
    return api_key_issue(name="Test-App", contact="dev@example.org")[1]


def make_report(
    category: Any,
    lon: float = 10.05,
    lat: float = 53.05,
    *,
    confirmed: bool = True,
    description: str = "Sperrmüll am Waldrand",
) -> Report:
    report = tracker_services.report_create(
        category=category,
        point=Point(lon, lat, srid=4326),
        description=description,
        contact=tracker_services.Contact(
            email="buerger@example.org", name="Erika Mustermann", phone="0171 1234567"
        ),
        address="Hauptstraße 5, bei Mustermanns",
    )
    if confirmed:
        report = tracker_services.report_confirm(report)
    return report


def jpeg_upload(name: str = "foto.jpg") -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = name
    return buffer


# --- format checks ---------------------------------------------------------------------------


def json_body(response: Any, schema: dict[str, Any], status: int = 200) -> Any:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    import json

    data = json.loads(response.content)
    jsonschema.validate(data, schema)
    return data


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def _typed(element: ET.Element, schema: dict[str, Any]) -> Any:
    """An XML element as the JSON value the schema describes (so XML can be checked with the
    same schema): objects from child elements, arrays from repeated item elements, scalars
    from text with the spec's spellings of booleans and numbers."""
    types = _types(schema)
    children = list(element)
    text = element.text or ""
    if "object" in types:
        data: dict[str, Any] = {}
        properties = schema.get("properties", {})
        for child in children:
            assert child.tag not in data, f"<{child.tag}> twice in <{element.tag}>"
            data[child.tag] = _typed(child, properties.get(child.tag, {}))
        return data
    if "array" in types:
        item_tag = ITEM_TAGS.get(element.tag)
        assert all(c.tag == item_tag for c in children), (element.tag, [c.tag for c in children])
        return [_typed(c, schema.get("items", {})) for c in children]
    assert not children, f"<{element.tag}> should hold text only"
    if not text and "null" in types:
        return None
    if "boolean" in types:
        assert text in ("true", "false"), (element.tag, text)
        return text == "true"
    if "integer" in types:
        return int(text)
    if "number" in types:
        return float(text)
    return text


def xml_body(response: Any, root: str, schema: dict[str, Any], status: int = 200) -> Any:
    """Check content type, declaration, root element and the structure (via `schema`); returns
    the document as JSON-like data."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    element = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert element.tag == root
    data = _typed(element, schema)
    jsonschema.validate(data, schema)
    return data


def aware(moment: str) -> datetime:
    parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None
    return parsed.astimezone(UTC)
