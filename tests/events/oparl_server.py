"""A small OParl 1.1 server on loopback for the import tests (http.server in a thread).

It serves the JSON of `OParlFixture` in the public format (System → Body → paged lists with
`links.next` and `pagination`), records every request with its query, and can be told to make
a path slow (longer than the client's read timeout), answer 500, or answer broken JSON.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

T = "https://schema.oparl.org/1.1/"
PAGE_SIZE = 2


class OParlFixture:
    def __init__(self, base: str) -> None:
        self.base = base  # e.g. http://127.0.0.1:PORT/oparl
        self.meetings: list[dict[str, Any]] = []
        self.organizations: list[dict[str, Any]] = []
        self.papers: list[dict[str, Any]] = []
        self.ags = "03999001"
        self.slow: set[str] = set()  # paths (with ?query) that answer too late
        self.broken: dict[str, int | str] = {}  # path → status, or "json" for invalid JSON
        self.requests: list[str] = []

    def url(self, path: str) -> str:
        return f"{self.base}/{path}"

    def system(self) -> dict[str, Any]:
        return {
            "id": self.url("system"),
            "type": T + "System",
            "oparlVersion": T,
            "name": "Ratsinformationssystem Teststadt",
            "body": self.url("bodies"),
            "created": "2020-01-01T00:00:00+01:00",
            "modified": "2020-01-01T00:00:00+01:00",
        }

    def body(self) -> dict[str, Any]:
        return {
            "id": self.url("body/1"),
            "type": T + "Body",
            "system": self.url("system"),
            "name": "Stadt Teststadt",
            "shortName": "Teststadt",
            "ags": self.ags,
            "organization": self.url("body/1/organizations"),
            "person": self.url("body/1/people"),
            "meeting": self.url("body/1/meetings"),
            "paper": self.url("body/1/papers"),
            "legislativeTerm": [],
            "created": "2020-01-01T00:00:00+01:00",
            "modified": "2020-01-01T00:00:00+01:00",
        }

    def page(self, path: str, items: list[dict[str, Any]], query: dict[str, str]) -> Any:
        since = query.get("modified_since")
        if since:
            limit = datetime.fromisoformat(since)
            items = [i for i in items if datetime.fromisoformat(i["modified"]) >= limit]
        number = int(query.get("page", "1"))
        total_pages = max(1, -(-len(items) // PAGE_SIZE))
        extra = f"&modified_since={quote(since)}" if since else ""
        links = {"first": self.url(f"{path}?page=1{extra}")}
        if number < total_pages:
            links["next"] = self.url(f"{path}?page={number + 1}{extra}")
        return {
            "data": items[(number - 1) * PAGE_SIZE : number * PAGE_SIZE],
            "pagination": {
                "totalElements": len(items),
                "elementsPerPage": PAGE_SIZE,
                "currentPage": number,
                "totalPages": total_pages,
            },
            "links": links,
        }

    def answer(self, path: str, query: dict[str, str]) -> Any:
        lists = {
            "body/1/meetings": self.meetings,
            "body/1/organizations": self.organizations,
            "body/1/papers": self.papers,
        }
        if path == "system":
            return self.system()
        if path == "bodies":
            return self.page(path, [self.body()], {})
        if path in lists:
            return self.page(path, lists[path], query)
        return None


def meeting(
    base: str,
    number: int,
    *,
    start: str,
    modified: str = "2026-01-10T10:00:00+01:00",
    organization: int = 1,
    **extra: Any,
) -> dict[str, Any]:
    mid = f"{base}/meeting/{number}"
    return {
        "id": mid,
        "type": T + "Meeting",
        "name": f"{number}. Sitzung des Bauausschusses",
        "meetingState": "eingeladen",
        "cancelled": False,
        "start": start,
        "end": start.replace("T18:", "T20:"),
        "location": {
            "id": f"{base}/location/{number}",
            "type": T + "Location",
            "description": "Rathaus, Ratssaal",
            "streetAddress": "Marktplatz 1",
            "postalCode": "29999",
            "locality": "Teststadt",
            "geojson": {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [9.95, 52.95]},
                "properties": {},
            },
        },
        "organization": [f"{base}/organization/{organization}"],
        "invitation": {
            "id": f"{base}/file/{number}01",
            "type": T + "File",
            "name": "Einladung",
            "fileName": f"einladung-{number}.pdf",
            "mimeType": "application/pdf",
            "size": 182044,
            "accessUrl": f"{base}/file/{number}01/access",
            "downloadUrl": f"{base}/file/{number}01/download",
        },
        "auxiliaryFile": [],
        "agendaItem": [
            {
                "id": f"{mid}/agendaitem/{n}",
                "type": T + "AgendaItem",
                "meeting": mid,
                "number": f"Ö {n}",
                "order": n,
                "name": title,
                "public": True,
                "auxiliaryFile": [],
            }
            for n, title in ((1, "Eröffnung und Tagesordnung"), (2, "Bebauungsplan Nr. 12"))
        ],
        "web": f"{base}/web/meeting/{number}",
        "created": "2026-01-01T10:00:00+01:00",
        "modified": modified,
        **extra,
    }


def organization(base: str, number: int, name: str) -> dict[str, Any]:
    return {
        "id": f"{base}/organization/{number}",
        "type": T + "Organization",
        "body": f"{base}/body/1",
        "name": name,
        "shortName": name[:10],
        "organizationType": "Gremium",
        "classification": "Ausschuss",
        "created": "2020-01-01T00:00:00+01:00",
        "modified": "2020-01-01T00:00:00+01:00",
    }


def paper(base: str, number: int, agenda_item: str) -> dict[str, Any]:
    return {
        "id": f"{base}/paper/{number}",
        "type": T + "Paper",
        "body": f"{base}/body/1",
        "name": "Aufstellung des Bebauungsplans Nr. 12 „Am Mühlenbach“",
        "reference": f"VO/2026/{number:03d}",
        "date": "2026-01-05",
        "paperType": "Beschlussvorlage",
        "mainFile": {
            "id": f"{base}/file/p{number}",
            "type": T + "File",
            "name": "Vorlage",
            "accessUrl": f"{base}/file/p{number}/access",
        },
        "consultation": [
            {
                "id": f"{base}/consultation/{number}",
                "type": T + "Consultation",
                "agendaItem": agenda_item,
                "role": "Beschlussfassung",
            }
        ],
        "created": "2026-01-05T00:00:00+01:00",
        "modified": "2026-01-05T00:00:00+01:00",
    }


class _Handler(BaseHTTPRequestHandler):
    fixture: OParlFixture

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path.removeprefix("/oparl/").strip("/")
        query = dict(parse_qsl(parts.query))
        key = f"{path}?{parts.query}" if parts.query else path
        self.fixture.requests.append(key)
        if key in self.fixture.slow or path in self.fixture.slow:
            time.sleep(1.5)
        broken = self.fixture.broken.get(key, self.fixture.broken.get(path))
        if broken == "json":
            return self._send(200, b'{"data": [ {"id": ')
        if isinstance(broken, int):
            return self._send(broken, b"Internal Server Error")
        body = self.fixture.answer(path, query)
        if body is None:
            return self._send(404, b'{"error": "not found"}')
        return self._send(200, json.dumps(body).encode())

    def _send(self, status: int, body: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def oparl_server() -> Iterator[OParlFixture]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    fixture = OParlFixture(f"http://127.0.0.1:{server.server_address[1]}/oparl")
    handler = type("Handler", (_Handler,), {"fixture": fixture})
    server.RequestHandlerClass = handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fixture
    finally:
        server.shutdown()
        server.server_close()
