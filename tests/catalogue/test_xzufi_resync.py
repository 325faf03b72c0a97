"""Scheduled re-sync (beat task catalogue.xzufi_resync): the export is fetched over HTTP from a
server on loopback serving the file, the change summary stored as an import run staff see in
the admin; a failing source is logged there and changes nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from accounts.models import User
from catalogue.models import ImportRun, Service
from config.celery import app
from tests.catalogue import xzufi_sample
from tests.catalogue.conftest import Region

pytestmark = pytest.mark.django_db


class ExportServer:
    """A tiny editorial-system export endpoint: GET /export.xml answers with `body`."""

    def __init__(self) -> None:
        self.body = xzufi_sample.document()
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append(self.path)
                if self.path != "/export.xml":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(owner.body)))
                self.end_headers()
                self.wfile.write(owner.body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def export_server() -> Iterator[ExportServer]:
    server = ExportServer()
    yield server
    server.close()


def counts(**found: int) -> dict[str, int]:
    return {"created": 0, "updated": 0, "unchanged": 0, "removed": 0, **found}


def resync() -> None:
    # As a worker does at start: import every app's tasks module (autodiscovery), then run
    # the task beat names (called by name, eager in the tests).
    app.loader.import_default_modules()
    app.tasks["catalogue.xzufi_resync"].delay()


def test_beat_schedules_the_resync() -> None:
    entry = django_settings.CELERY_BEAT_SCHEDULE["catalogue-xzufi-resync"]
    assert entry["task"] == "catalogue.xzufi_resync"
    app.loader.import_default_modules()
    assert "catalogue.xzufi_resync" in app.tasks


def test_resync_imports_from_the_url_and_logs_the_summary(
    region: Region, export_server: ExportServer, settings: Any
) -> None:
    settings.XZUFI_SOURCE_URL = f"{export_server.url}/export.xml"
    resync()
    assert export_server.requests == ["/export.xml"]
    assert Service.objects.filter(is_active=True).count() == 2
    run = ImportRun.objects.get()
    assert run.ok and run.committed and run.source == settings.XZUFI_SOURCE_URL
    assert run.summary["counts"]["services"] == counts(created=2)
    # The next run finds nothing new; a changed export is picked up.
    resync()
    assert ImportRun.objects.latest("id").summary["counts"]["services"] == counts(unchanged=2)
    export_server.body = xzufi_sample.document(xzufi_sample.GEWERBE, volltext="Neu.")
    resync()
    latest = ImportRun.objects.latest("id")
    assert latest.summary["counts"]["services"] == counts(updated=1, removed=1)


def test_failing_source_is_logged_and_changes_nothing(
    region: Region, export_server: ExportServer, settings: Any
) -> None:
    settings.XZUFI_SOURCE_URL = f"{export_server.url}/weg.xml"
    resync()
    run = ImportRun.objects.get()
    assert not run.ok
    assert "antwortet mit HTTP 404" in run.message
    assert not Service.objects.exists()


def test_empty_source_switches_the_resync_off(export_server: ExportServer, settings: Any) -> None:
    settings.XZUFI_SOURCE_URL = ""
    resync()
    assert export_server.requests == []
    assert not ImportRun.objects.exists()


def test_staff_see_the_runs_in_the_admin(
    region: Region, export_server: ExportServer, settings: Any
) -> None:
    settings.XZUFI_SOURCE_URL = f"{export_server.url}/export.xml"
    resync()
    admin = User.objects.create_superuser(email="admin@example.org", password="geheim-Passwort-42")
    client = Client()
    client.force_login(admin)
    listing = client.get("/admin/catalogue/importrun/")
    assert listing.status_code == 200
    assert "export.xml" in listing.content.decode()
    run = ImportRun.objects.get()
    detail = client.get(f"/admin/catalogue/importrun/{run.pk}/change/").content.decode()
    assert "&quot;created&quot;: 2" in detail
