"""An independent Open311 client from PyPI (`georeport`) reads services, service definitions
and requests from a running server, in both formats. georeport does not file requests (its
documentation says so), so the POST goes through plain `requests` as any client would."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from georeport import GeoReport

from tracker.open311.services import api_key_issue

from .conftest import make_report

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_client_reads_a_live_server(live_server: Any, region: dict, fmt: str) -> None:
    public = make_report(region["muell"], 10.15)
    root = f"{live_server.url}/open311/v2"
    client = GeoReport(root, output_format=fmt)

    services = client.get_service_list()
    codes = [s["service_code"] for s in services]
    assert codes == ["wilder-muell", "laterne", "nur-in-b"]
    laterne = next(s for s in services if s["service_code"] == "laterne")
    assert laterne["metadata"] in (True, "true")

    definition = client.get_service_definition("laterne")
    assert definition["service_code"] == "laterne"
    attributes = definition["attributes"]
    if fmt == "xml":  # xmltodict keeps the <attribute> level
        attributes = attributes["attribute"]
    assert [a["code"] for a in attributes][:2] == ["mast", "hoehe"]

    # file one through the API, as a client app would
    _, key = api_key_issue(name="Interop")
    response = requests.post(
        f"{root}/requests.{fmt}",
        data={
            "api_key": key,
            "service_code": "laterne",
            "lat": "53.05",
            "long": "10.05",
            "description": "Leuchte dunkel",
            "email": "interop@example.org",
            "attribute[mast]": "L-1",
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text

    found = client.get_service_requests()
    if isinstance(found, dict):  # xmltodict: a single <request> is not a list
        found = [found]
    # the new guest report awaits its e-mail confirmation: only the public one is listed
    assert [r["service_request_id"] for r in found] == [str(public.pk)]
    assert found[0]["agency_responsible"] == "Landkreis Test"

    # (georeport cannot read an empty XML list, a client limitation: filter to a hit)
    filtered = client.get_service_requests(service_code="wilder-muell,laterne", status="open")
    if isinstance(filtered, dict):
        filtered = [filtered]
    assert [r["service_code"] for r in filtered] == ["wilder-muell"]

    single = client.get_service_request(str(public.pk))
    assert single["service_request_id"] == str(public.pk)
    assert single["status"] == "open"
    assert float(single["lat"]) == pytest.approx(53.05)
