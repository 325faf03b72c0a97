"""An authority admin cannot use a webhook URL to reach into the server's own network: URLs
to internal addresses are refused when saved and when called, redirects are not followed, and
the delivery log shows status code and size, never the answer's body (core.net)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from notifications.models import WebhookEndpoint
from outbox import delivery as outbox
from outbox.models import OutboxMessage
from tests.tracker.staff.fixtures import World, make_world
from tracker import services as tracker_services
from tracker.models import Status

from .conftest import Hook

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return make_world()


@override_settings(OUTBOUND_ALLOWED_HOSTS=[])
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/admin/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/hook",
        "http://[::1]/hook",
        "ftp://example.org/hook",
    ],
)
def test_internal_or_odd_urls_are_refused_when_saved(world: World, url: str) -> None:
    endpoint = WebhookEndpoint(authority=world.kreis, url=url)
    with pytest.raises(ValidationError) as refused:
        endpoint.full_clean()
    assert "url" in refused.value.message_dict


def _deliver_status_change(world: World, hook_url: str, capture: Any) -> OutboxMessage:
    endpoint = WebhookEndpoint.objects.create(authority=world.kreis, url=hook_url)
    report = world.report()
    with capture(execute=True):
        tracker_services.report_transition(report, Status.IN_REVIEW, by=world.dispatcher)
    return OutboxMessage.objects.get(kind="webhook", target_id=endpoint.pk)


def test_a_saved_url_that_now_points_inside_is_not_called(
    world: World, webhook_server: Hook, django_capture_on_commit_callbacks: Any
) -> None:
    # Saved while allowed (e.g. DNS changed since): the call itself checks the address again.
    with override_settings(OUTBOUND_ALLOWED_HOSTS=[]):
        delivery = _deliver_status_change(
            world, webhook_server.url, django_capture_on_commit_callbacks
        )
    assert delivery.status == "failed"
    assert "internes Netz" in delivery.last_error
    assert webhook_server.requests == []


def test_the_log_shows_status_and_size_never_the_body(
    world: World, webhook_server: Hook, django_capture_on_commit_callbacks: Any
) -> None:
    delivery = _deliver_status_change(world, webhook_server.url, django_capture_on_commit_callbacks)
    assert delivery.status == "sent"
    assert (delivery.response_status, delivery.response_size) == (200, 12)
    assert delivery.response_excerpt == ""
    client = Client()
    client.force_login(world.admin)  # an authority admin with the admin site
    page = client.get(f"/admin/notifications/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Antwort (Bytes)" in text and '"ok": true' not in text


def test_redirects_are_not_followed(
    world: World, webhook_server: Hook, django_capture_on_commit_callbacks: Any
) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(307)
            self.send_header("Location", webhook_server.url)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        delivery = _deliver_status_change(
            world,
            f"http://127.0.0.1:{server.server_address[1]}/old",
            django_capture_on_commit_callbacks,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert delivery.status == "failed" and delivery.response_status == 307
    assert "Weiterleitungen" in delivery.last_error
    assert webhook_server.requests == []  # the target of the redirect was never called
    assert outbox.deliver(delivery.pk) == "skipped"
