"""Forwarding an authority's new reports to its own Open311 system through the outbox: the
form fields, the delivery log, retries with the outbox's backoff on connection errors and
5xx, giving up on 4xx, never twice per endpoint — against real HTTP servers: our own Open311
app (live_server) and a scripted server in a thread."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.test import Client

from accounts.models import Role, User
from outbox import delivery as outbox
from outbox.models import OutboxMessage
from tests.factories import staff
from tracker import services as tracker_services
from tracker.models import Report
from tracker.open311 import outbound
from tracker.open311.models import OutboundDelivery, OutboundEndpoint, RequestAttributes
from tracker.open311.services import api_key_issue

from .conftest import INSIDE_A, jpeg_upload, make_report
from .remote import CREATED_XML, ERROR_XML, TOKEN_RESOLVED_XML, TOKEN_XML, remote_server


def laterne_request(client: Client, api_key: str, **fields: str) -> Report:
    """A streetlight report in Gemeinde A, filed through our Open311 API with attributes."""
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": "laterne",
            **INSIDE_A,
            "description": "Leuchte Nr. 7 ist dunkel",
            "email": "erika@example.org",
            "first_name": "Erika",
            "last_name": "Mustermann",
            "phone": "0171 1234567",
            "attribute[mast]": "L-0007",
            "attribute[zustand][]": ["dunkel", "flackert"],
            "attribute[art]": "led",
            **fields,
        },
    )
    assert response.status_code == 200, response.content
    return Report.objects.get(pk=int(response.json()[0]["service_request_id"]))


def row(delivery: OutboundDelivery) -> OutboxMessage:
    """The delivery's outbox row: status, attempts and the answer are logged there."""
    message = delivery.message
    assert message is not None
    return message


def attempt(delivery: OutboundDelivery) -> str:
    """What a worker does with the delivery's outbox row: one attempt."""
    return outbox.deliver(row(delivery).pk)


def free_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/open311/v2/"


# --- against our own Open311 app as the remote system ------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_new_report_arrives_once_at_a_live_open311_server(
    live_server: Any, client: Client, region: dict, api_key: str
) -> None:
    # The Gemeinde's "own system" is our Open311 app, reached over HTTP with a key of its own,
    # in the Kreis's jurisdiction; our streetlight becomes its "wilder-muell" (a Kreis matter,
    # so the copy does not come back to the Gemeinde).
    _, remote_key = api_key_issue(name="Gemeinde A Fachverfahren")
    endpoint = OutboundEndpoint.objects.create(
        authority=region["gemeinde_a"],
        url=f"{live_server.url}/open311/v2/",
        api_key=remote_key,
        jurisdiction_id="lk-test",
        service_codes={"laterne": "wilder-muell"},
    )
    report = laterne_request(client, api_key)  # commits; the task runs on commit (eager)

    delivery = OutboundDelivery.objects.get(report=report)
    assert (delivery.endpoint, delivery.status, delivery.attempts) == (endpoint, "sent", 1)
    copy = Report.objects.get(pk=int(delivery.remote_id))
    assert copy.pk != report.pk
    assert (copy.category.slug, copy.authority, copy.source) == (
        "wilder-muell",
        region["kreis"],
        "open311",
    )
    assert copy.description == "Leuchte Nr. 7 ist dunkel"
    assert (copy.reporter_email, copy.reporter_name) == ("erika@example.org", "Erika Mustermann")
    remote_client = RequestAttributes.objects.get(report=copy).api_key
    assert remote_client is not None and remote_client.name == "Gemeinde A Fachverfahren"
    assert "<service_request_id>" in delivery.response_excerpt
    assert delivery.sent_at is not None and not delivery.last_error

    # never twice: another run of the task, or the report forwarded away and back again
    assert attempt(delivery) == "skipped"
    outbox.requeue(row(delivery).pk)  # even a row pushed again by hand
    dispatcher_a = staff(region["gemeinde_a"], Role.DISPATCHER)
    dispatcher_kreis = staff(region["kreis"], Role.DISPATCHER)
    tracker_services.report_forward_to_authority(
        report, authority=region["kreis"], by=dispatcher_a, note="Kreisstraße"
    )
    tracker_services.report_forward_to_authority(
        report, authority=region["gemeinde_a"], by=dispatcher_kreis, note="doch Gemeinde"
    )
    assert OutboundDelivery.objects.count() == 1
    assert Report.objects.filter(category__slug="wilder-muell").count() == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert outbound.resend(delivery) is False


@pytest.mark.django_db(transaction=True)
def test_retried_after_a_failure_and_then_arrives_once(
    live_server: Any, client: Client, region: dict, api_key: str
) -> None:
    _, remote_key = api_key_issue(name="Gemeinde A Fachverfahren")
    # the first attempt meets a 503 of an overloaded gateway, the retry reaches the live app
    with remote_server(
        (503, "<html>Service Unavailable</html>"), (0, f"proxy:{live_server.url}")
    ) as remote:
        OutboundEndpoint.objects.create(
            authority=region["gemeinde_a"],
            url=remote.url,
            api_key=remote_key,
            service_codes={"laterne": "wilder-muell"},
        )
        report = laterne_request(client, api_key)
        delivery = OutboundDelivery.objects.get(report=report)
        assert (delivery.status, delivery.attempts) == ("pending", 1)
        assert delivery.last_error == "HTTP 503: <html>Service Unavailable</html>"
        assert delivery.next_attempt_at is not None
        # the worker delivers the row again when its backoff is over
        assert attempt(delivery) == "sent"
        assert attempt(delivery) == "skipped"  # a redelivered message changes nothing
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert [r.path for r in remote.received] == ["/open311/v2/requests.xml"] * 2
    assert Report.objects.filter(category__slug="wilder-muell").count() == 1
    assert Report.objects.get(category__slug="wilder-muell").pk == int(delivery.remote_id)


# --- against a scripted server ------------------------------------------------------------------


@pytest.mark.django_db
def test_form_fields_as_the_spec_and_fixmystreet_send_them(
    client: Client, region: dict, api_key: str, django_capture_on_commit_callbacks: Any
) -> None:
    with remote_server((200, CREATED_XML.format(id="GA-1"))) as remote:
        OutboundEndpoint.objects.create(
            authority=region["gemeinde_a"],
            url=remote.url.rstrip("/"),  # without the trailing slash works too
            api_key="geheim",
            jurisdiction_id="gemeinde-a.de",
            service_codes={"laterne": "STREETLIGHT"},
        )
        with django_capture_on_commit_callbacks(execute=True):
            report = laterne_request(
                client, api_key, address_string="Dorfstraße 3", device_id="d", account_id="a"
            )
        with django_capture_on_commit_callbacks(execute=True):
            tracker_services.report_add_photo(
                report,
                by=staff(region["gemeinde_a"]),
                file=jpeg_upload(),
                public=True,
            )
    [received] = remote.received
    assert (received.method, received.path) == ("POST", "/open311/v2/requests.xml")
    fields = dict(received.fields)
    assert fields["api_key"] == "geheim"
    assert fields["jurisdiction_id"] == "gemeinde-a.de"
    assert fields["service_code"] == "STREETLIGHT"
    assert (float(fields["lat"]), float(fields["long"])) == (53.05, 10.05)
    assert fields["description"] == "Leuchte Nr. 7 ist dunkel"
    assert fields["address_string"] == "Dorfstraße 3"
    assert (fields["email"], fields["first_name"], fields["last_name"], fields["phone"]) == (
        "erika@example.org",
        "Erika",
        "Mustermann",
        "0171 1234567",
    )
    assert fields["attribute[mast]"] == "L-0007"
    assert fields["attribute[art]"] == "led"
    assert received.getlist("attribute[zustand][]") == ["dunkel", "flackert"]
    # the client's own ids are not passed on; nor a photo that came later
    assert "device_id" not in fields and "account_id" not in fields
    assert "media_url" not in fields
    delivery = OutboundDelivery.objects.get()
    assert (delivery.status, delivery.remote_id, delivery.response_status) == ("sent", "GA-1", 200)


@pytest.mark.django_db
def test_photo_as_media_url_and_no_contact_data_when_switched_off(
    region: dict, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PORTAL_URL = "https://maengel.example.org"
    with remote_server((200, CREATED_XML.format(id="7"))) as remote:
        OutboundEndpoint.objects.create(
            authority=region["kreis"], url=remote.url, send_contact=False
        )
        with django_capture_on_commit_callbacks(execute=True):
            report = tracker_services.report_create(
                category=region["muell"],
                point=Point(10.05, 53.05, srid=4326),
                description="Bauschutt",
                contact=tracker_services.Contact(email="x@example.org", name="X Y"),
                photos=[jpeg_upload()],
            )
    fields = dict(remote.received[0].fields)
    photo = report.photos.get()
    # Not released yet: a signed link the receiving system can fetch without an account.
    prefix = f"https://maengel.example.org{photo.image.url}?t="
    assert fields["media_url"].startswith(prefix)
    assert (
        Client().get(fields["media_url"].removeprefix("https://maengel.example.org")).status_code
        == 200
    )
    assert Client().get(photo.image.url).status_code == 404
    assert not {"email", "first_name", "last_name", "phone", "api_key"} & set(fields)


@pytest.mark.django_db
def test_4xx_is_logged_and_given_up(region: dict, django_capture_on_commit_callbacks: Any) -> None:
    with remote_server((400, ERROR_XML.format(code=400, text="service_code unbekannt"))) as remote:
        OutboundEndpoint.objects.create(authority=region["kreis"], url=remote.url)
        with django_capture_on_commit_callbacks(execute=True):
            make_report(region["muell"], confirmed=False)
    delivery = OutboundDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 1, 400)
    assert delivery.last_error == "HTTP 400: 400: service_code unbekannt"
    assert "<errors>" in delivery.response_excerpt
    assert len(remote.received) == 1  # not retried
    assert attempt(delivery) == "skipped"
    assert len(remote.received) == 1


@pytest.mark.django_db
def test_an_endpoint_inside_the_network_is_never_called(
    region: dict, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with remote_server((200, CREATED_XML.format(id="1"))) as remote:
        OutboundEndpoint.objects.create(authority=region["kreis"], url=remote.url)
        settings.OUTBOUND_ALLOWED_HOSTS = []  # loopback is no longer allow-listed
        with django_capture_on_commit_callbacks(execute=True):
            make_report(region["muell"], confirmed=False)
    delivery = OutboundDelivery.objects.get()
    assert delivery.status == "failed" and "internes Netz" in delivery.last_error
    assert remote.received == []


@pytest.mark.django_db
def test_5xx_is_retried_with_the_outbox_backoff_until_given_up(region: dict, settings: Any) -> None:
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    with remote_server((502, "Bad Gateway")) as remote:
        OutboundEndpoint.objects.create(authority=region["kreis"], url=remote.url)
        make_report(region["muell"])  # on-commit work not run: we drive the outbox here
        delivery = OutboundDelivery.objects.get()
        assert attempt(delivery) == "failed"  # failed this time: pending, with a backoff
        assert (delivery.status, delivery.attempts) == ("pending", 1)
        assert delivery.next_attempt_at is not None
        assert attempt(delivery) == "failed"
        assert attempt(delivery) == "failed"
        assert attempt(delivery) == "skipped"  # given up: nothing is sent any more
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert delivery.last_error.startswith("HTTP 502: Bad Gateway")
    assert len(remote.received) == 3


@pytest.mark.django_db
def test_connection_error_schedules_a_retry(region: dict) -> None:
    endpoint = OutboundEndpoint.objects.create(authority=region["kreis"], url=free_port_url())
    report = make_report(region["muell"])  # on-commit work not run: we drive the outbox here
    delivery = OutboundDelivery.objects.get(endpoint=endpoint, report=report)
    assert attempt(delivery) == "failed"
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.last_error.startswith("nicht erreichbar")
    assert delivery.next_attempt_at is not None
    assert delivery.sent_at is None


@pytest.mark.django_db
def test_token_answer_is_resolved(region: dict, django_capture_on_commit_callbacks: Any) -> None:
    with remote_server(
        (200, TOKEN_XML.format(token="tok-1")),
        (200, TOKEN_RESOLVED_XML.format(id="R-99", token="tok-1")),
    ) as remote:
        OutboundEndpoint.objects.create(
            authority=region["kreis"], url=remote.url, jurisdiction_id="kreis"
        )
        with django_capture_on_commit_callbacks(execute=True):
            make_report(region["muell"])
    delivery = OutboundDelivery.objects.get()
    assert (delivery.status, delivery.remote_token, delivery.remote_id) == ("sent", "tok-1", "R-99")
    assert remote.received[1].method == "GET"
    assert remote.received[1].path == "/open311/v2/tokens/tok-1.xml"
    assert remote.received[1].get("jurisdiction_id") == "kreis"


@pytest.mark.django_db
def test_answer_without_id_is_given_up_not_repeated(
    region: dict, django_capture_on_commit_callbacks: Any
) -> None:
    with remote_server((200, "<html>ok</html>")) as remote:
        OutboundEndpoint.objects.create(authority=region["kreis"], url=remote.url)
        with django_capture_on_commit_callbacks(execute=True):
            make_report(region["muell"])
    delivery = OutboundDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert len(remote.received) == 1


@pytest.mark.django_db
def test_forwarding_to_an_authority_with_an_endpoint_queues_the_report(
    region: dict, django_capture_on_commit_callbacks: Any
) -> None:
    report = make_report(region["muell"])  # at the Kreis, which has no endpoint
    assert not OutboundDelivery.objects.exists()
    dispatcher = staff(region["kreis"])
    with remote_server((200, CREATED_XML.format(id="B-1"))) as remote:
        endpoint = OutboundEndpoint.objects.create(authority=region["gemeinde_b"], url=remote.url)
        OutboundEndpoint.objects.create(
            authority=region["gemeinde_a"], url=remote.url, is_active=False
        )
        with django_capture_on_commit_callbacks(execute=True):
            tracker_services.report_forward_to_authority(
                report, authority=region["gemeinde_a"], by=dispatcher, note="Gemeinde A"
            )
        assert not OutboundDelivery.objects.exists()  # its endpoint is switched off
        with django_capture_on_commit_callbacks(execute=True):
            tracker_services.report_forward_to_authority(
                report, authority=region["gemeinde_b"], by=staff(region["gemeinde_a"]), note="B"
            )
    delivery = OutboundDelivery.objects.get()
    assert (delivery.endpoint, delivery.status, delivery.remote_id) == (endpoint, "sent", "B-1")
    assert len(remote.received) == 1


@pytest.mark.django_db
def test_deactivated_endpoint_gives_up_queued_deliveries(region: dict) -> None:
    endpoint = OutboundEndpoint.objects.create(authority=region["kreis"], url=free_port_url())
    make_report(region["muell"])
    endpoint.is_active = False
    endpoint.save()
    delivery = OutboundDelivery.objects.get()
    assert attempt(delivery) == "cancelled"
    assert (delivery.status, delivery.attempts) == ("cancelled", 0)
    assert delivery.last_error == "Weiterleitung ist nicht mehr aktiv."


# --- admin -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_endpoints_and_read_only_log(
    client: Client, region: dict, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(User.objects.create_superuser(email="admin@example.org", password="x"))
    response = client.post(
        "/admin/open311/outboundendpoint/add/",
        {
            "authority": region["kreis"].pk,
            "url": free_port_url(),
            "api_key": "k",
            "jurisdiction_id": "",
            "service_codes": '{"wilder-muell": "DUMP"}',
            "send_contact": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    endpoint = OutboundEndpoint.objects.get()
    assert endpoint.remote_code("wilder-muell") == "DUMP"
    assert endpoint.remote_code("laterne") == "laterne"
    bad = client.post(
        "/admin/open311/outboundendpoint/add/",
        {"authority": region["gemeinde_a"].pk, "url": "ftp://x", "service_codes": "[1]"},
    )
    assert bad.status_code == 200
    assert set(bad.context["adminform"].form.errors) == {"url", "service_codes"}

    make_report(region["muell"])
    delivery = OutboundDelivery.objects.get()
    OutboxMessage.objects.filter(pk=row(delivery).pk).update(status="failed", attempts=8)
    assert client.get("/admin/open311/outbounddelivery/").status_code == 200
    page = client.get(f"/admin/open311/outbounddelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # the log is read-only
    assert client.get("/admin/open311/outbounddelivery/add/").status_code == 403

    with remote_server((200, CREATED_XML.format(id="nach-Reparatur"))) as remote:
        OutboundEndpoint.objects.filter(pk=endpoint.pk).update(url=remote.url)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/admin/open311/outbounddelivery/",
                {"action": "send_again", "_selected_action": [delivery.pk]},
            )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.remote_id) == ("sent", 1, "nach-Reparatur")
    # a sent delivery is not sent again
    assert outbound.resend(delivery) is False


@pytest.mark.django_db
def test_an_endpoint_set_up_in_another_process_gets_reports_within_about_a_second(
    region: dict,
) -> None:
    # Each process keeps the authorities with endpoints; another process's change reaches it
    # through the version in Redis (core.process_cache), checked at most once a second.
    make_report(region["laterne"])  # this process now keeps "no endpoints"
    # Written by another process: no signal here, only its version bump in Redis.
    OutboundEndpoint.objects.bulk_create(
        [OutboundEndpoint(authority=region["gemeinde_a"], url=free_port_url())]
    )
    cache.set(outbound.ENDPOINTS_VERSION_KEY, "changed-elsewhere", timeout=None)
    time.sleep(1.1)
    report = make_report(region["laterne"])
    assert OutboundDelivery.objects.filter(report=report).count() == 1
