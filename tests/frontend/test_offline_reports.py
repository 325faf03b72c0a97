"""The pieces of the citizens' offline queue that the server delivers (docs/offline.md); the
behaviour in the browser is tested in tests/e2e/test_offline_reporting.py."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_worker_queues_report_posts_with_workbox_background_sync_from_our_files(
    client: Client,
) -> None:
    script = client.get("/sw.js").content.decode()
    # The idb package once, before both queues that use it.
    idb = script.index('importScripts("/static/vendor/idb/umd.js");')
    assert idb < script.index('importScripts("/static/js/crew-queue.js");')
    assert idb < script.index('importScripts("/static/js/offline-reports-store.js");')
    assert script.count("vendor/idb/umd.js") == 1
    assert "workbox.backgroundSync.BackgroundSyncPlugin" in script
    assert 'var REPORTS_PATH = "/api/v1/reports";' in script
    assert "http" not in script.split("*/", 1)[1]  # nothing from another host
    for name in (
        "vendor/workbox/workbox-background-sync.prod.js",
        "vendor/idb/umd.js",
        "js/offline-reports-store.js",
        "js/offline-reports.js",
    ):
        assert finders.find(name), name


def test_report_page_carries_the_hidden_queue_and_its_texts(client: Client) -> None:
    page = client.get("/melden/").content.decode()
    # Hidden until the script shows them: without JavaScript the form is as before.
    for element in ("offline-note", "offline-waiting", "offline-sent"):
        assert re.search(rf'id="{element}"[^>]*hidden', page), element
    assert "Jetzt senden" in page
    assert page.index("js/offline-reports.js") < page.index("js/report-new.js")
    config = json.loads(
        re.search(
            r'<script id="map-config" type="application/json">(.*?)</script>', page, re.S
        ).group(1)  # type: ignore[union-attr]
    )
    assert "ermitteln wir, wenn die Meldung gesendet wird" in config["offline"]["routingOffline"]
    assert config["offline"]["authority"] == "Zuständig: %(authority)s"
