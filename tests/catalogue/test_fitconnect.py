"""FIT-Connect hand-over against a FIT-Connect platform on loopback (tests/fitconnect/server.py):
the office receives the application encrypted for its key, decrypts form data and documents,
answers with accept/reject in the event log, and the citizen and staff see each step. The
platform being down or refusing loses nothing."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from celery import current_app
from django.core import mail
from django.test import Client
from django.utils import dateformat, timezone
from jwcrypto import jwk

from accounts.models import Role, User
from catalogue.models import (
    Application,
    ApplicationStatus,
    FitConnectRoute,
    Handover,
    Service,
)
from tests.catalogue.conftest import ARS_STADT, Region
from tests.catalogue.fitconnect_support import apply, due, page, route, sync
from tests.factories import staff
from tests.fitconnect.server import FitConnectServer

pytestmark = pytest.mark.django_db


def test_the_office_decrypts_form_data_and_documents(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    route(region, platform)
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)

    received = platform.only_submission()
    assert received.data is not None and received.metadata is not None
    data = json.loads(received.data)
    assert data["aktenzeichen"] == application.reference
    assert data["angaben"]["hund_name"] == "Bello"
    assert data["angaben"]["halter_name"] == "Erika Mustermann"
    assert data["antragsteller"]["email"] == "erika@example.org"
    assert data["$schema"] == platform.schema_uri
    assert received.data_header["alg"] == "RSA-OAEP-256"
    assert received.data_header["enc"] == "A256GCM"
    # The metadata describe exactly what arrived: the data's hash, each document's hash.
    content = received.metadata["contentStructure"]
    assert content["data"]["hash"]["content"] == hashlib.sha512(received.data).hexdigest()
    assert content["data"]["submissionSchema"]["schemaUri"] == platform.schema_uri
    assert received.metadata["publicServiceType"]["identifier"].endswith(platform.leika_key)
    (document,) = content["attachments"]
    assert document["filename"] == "Police.pdf"
    assert document["mimeType"] == "application/pdf"
    stored = application.attachments.get().file.read()
    assert received.attachments[document["attachmentId"]] == stored
    assert document["hash"]["content"] == hashlib.sha512(stored).hexdigest()

    handover = Handover.objects.get(application=application)
    assert handover.state == Handover.State.SUBMITTED
    assert handover.submission_id == received.submission_id
    html = page(client, citizen, f"/dienstleistungen/antraege/{application.pk}/")
    assert "Übermittlung an das Fachverfahren" in html
    assert "übermittelt" in html


def test_destination_found_by_leika_key_and_ars(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    platform.routes[(platform.leika_key, ARS_STADT)] = [platform.destination_id]
    route(region, platform, destination_id="")
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks, with_pdf=False)

    assert "GET /v1/routes" in platform.requests
    handover = Handover.objects.get(application=application)
    assert handover.destination_id == platform.destination_id
    assert handover.state == Handover.State.SUBMITTED
    assert platform.only_submission().announced == []


def test_no_route_known_is_a_visible_refusal_for_staff(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    route(region, platform, mode="fitconnect", destination_id="")
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)

    handover = Handover.objects.get(application=application)
    assert handover.state == Handover.State.FAILED
    assert platform.submissions == {}
    worker = staff(region.stadt, Role.DISPATCHER)
    html = page(client, worker, f"/dienstleistungen/bearbeitung/{application.pk}/")
    assert "kennt kein Ziel für LeiKa" in html
    assert "Übermittlung erneut versuchen" in html
    # Nothing is lost: staff can work it on the portal although the mode is "fitconnect".
    assert "Status ändern" in html
    # The citizen is not bothered with the platform's refusal.
    html = page(client, citizen, f"/dienstleistungen/antraege/{application.pk}/")
    assert "Übermittlung ausstehend" in html
    assert "kennt kein Ziel" not in html


def test_accept_and_reject_read_back_from_the_event_log(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    route(region, platform, mode="fitconnect")
    first = apply(dog_tax, citizen, django_capture_on_commit_callbacks)
    second = apply(dog_tax, citizen, django_capture_on_commit_callbacks, with_pdf=False)
    by_reference = {
        json.loads(s.data or b"{}")["aktenzeichen"]: s for s in platform.submissions.values()
    }
    platform.accept(by_reference[first.reference])
    platform.reject(by_reference[second.reference], "Unvollständig", "Die Rasse fehlt im Nachweis.")
    mail.outbox.clear()

    sync(django_capture_on_commit_callbacks)

    accepted = Handover.objects.get(application=first)
    rejected = Handover.objects.get(application=second)
    assert accepted.state == Handover.State.ACCEPTED and accepted.accepted_at is not None
    assert rejected.state == Handover.State.REJECTED and rejected.rejected_at is not None
    assert [e["event"] for e in accepted.events] == [
        "create-submission",
        "submit-submission",
        "accept-submission",
    ]
    # Mode "fitconnect": the office's answer moves the application on, and the citizen is told.
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ApplicationStatus.IN_PROGRESS
    assert second.status == ApplicationStatus.REJECTED
    assert sorted(m.subject for m in mail.outbox) == sorted(
        [f"Ihr Antrag {first.reference}: in Arbeit", f"Ihr Antrag {second.reference}: abgelehnt"]
    )
    html = page(client, citizen, f"/dienstleistungen/antraege/{first.pk}/")
    assert "angenommen" in html
    stamp = dateformat.format(timezone.localtime(accepted.accepted_at), "c")
    assert f'angenommen: <time datetime="{stamp}">' in html
    html = page(client, citizen, f"/dienstleistungen/antraege/{second.pk}/")
    assert "abgelehnt" in html
    assert "Unvollständig: Die Rasse fehlt im Nachweis." in html
    # Read again: nothing new, nothing doubled.
    sync(django_capture_on_commit_callbacks)
    assert len(Handover.objects.get(application=first).events) == 3
    assert first.events.filter(kind="handover").count() == 2  # submitted, accepted


def test_both_mode_records_the_answer_but_staff_decide(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    route(region, platform, mode="both")
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)
    platform.reject(platform.only_submission(), "Falsche Stelle", "")
    sync(django_capture_on_commit_callbacks)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEW
    worker = staff(region.stadt, Role.DISPATCHER)
    html = page(client, worker, f"/dienstleistungen/bearbeitung/{application.pk}/")
    assert "Falsche Stelle" in html
    assert "Status ändern" in html


def test_a_forged_answer_is_ignored_and_shown_to_staff(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    route(region, platform, mode="fitconnect")
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)
    platform.forge_accept(platform.only_submission())
    sync(django_capture_on_commit_callbacks)

    handover = Handover.objects.get(application=application)
    assert handover.state == Handover.State.SUBMITTED
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEW
    assert "angenommen" not in page(
        client, citizen, f"/dienstleistungen/antraege/{application.pk}/"
    )
    worker = staff(region.stadt, Role.DISPATCHER)
    html = page(client, worker, f"/dienstleistungen/bearbeitung/{application.pk}/")
    assert "ließen sich nicht prüfen" in html
    assert "Signatur ungültig" in html


def test_platform_down_waits_and_is_retried_without_sending_twice(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    route(region, platform)
    platform.unavailable = True
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)

    handover = Handover.objects.get(application=application)
    assert handover.state == Handover.State.PENDING
    assert handover.attempts == 1
    assert handover.next_attempt_at is not None and handover.next_attempt_at > timezone.now()
    assert "Übermittlung ausstehend" in page(
        client, citizen, f"/dienstleistungen/antraege/{application.pk}/"
    )
    worker = staff(region.stadt, Role.DISPATCHER)
    html = page(client, worker, f"/dienstleistungen/bearbeitung/{application.pk}/")
    assert "HTTP 503" in html

    # Up, but behind a maintenance page for one answer: not readable, so tried again later.
    platform.unavailable = False
    platform.garbage_next["destination"] = 1
    due(application)
    sync(django_capture_on_commit_callbacks)
    handover.refresh_from_db()
    assert handover.state == Handover.State.PENDING
    assert "Unerwartete Antwort" in handover.last_error

    # Back up, but the final PUT fails once after the submission was created and the
    # document uploaded: the next attempt continues the same submission.
    platform.unavailable = False
    platform.fail_next["submit"] = 1
    due(application)
    sync(django_capture_on_commit_callbacks)
    handover.refresh_from_db()
    assert handover.state == Handover.State.PENDING
    assert handover.attempts == 3
    due(application)
    sync(django_capture_on_commit_callbacks)
    handover.refresh_from_db()
    assert handover.state == Handover.State.SUBMITTED
    assert platform.requests.count("POST /v1/submissions") == 1
    uploads = [r for r in platform.requests if "/attachments/" in r]
    assert len(uploads) == 1
    assert platform.only_submission().data is not None
    # A task delivered twice does nothing the second time.
    assert current_app.tasks["catalogue.fitconnect_submit"].apply(args=[handover.pk]).get() == (
        "skipped"
    )
    assert len(platform.submissions) == 1


def test_refused_submission_is_shown_to_staff_and_can_be_sent_again(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    route(region, platform, mode="fitconnect")
    platform.refuse_submit = "Das Formular passt nicht zum Schema."
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)

    handover = Handover.objects.get(application=application)
    assert handover.state == Handover.State.FAILED
    worker = staff(region.stadt, Role.DISPATCHER)
    url = f"/dienstleistungen/bearbeitung/{application.pk}/"
    html = page(client, worker, url)
    assert "Übermittlung abgewiesen" in html
    assert "Das Formular passt nicht zum Schema." in html
    listing = page(client, worker, "/dienstleistungen/bearbeitung/")
    assert "FIT-Connect: Übermittlung abgewiesen" in listing
    assert Application.objects.filter(pk=application.pk).exists()

    platform.refuse_submit = ""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "handover_retry"})
    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.state == Handover.State.SUBMITTED
    submitted = [s for s in platform.submissions.values() if s.data is not None]
    assert len(submitted) == 1
    # Someone else's staff cannot push it.
    other = staff(region.samtgemeinde, Role.ADMIN, email="sg@example.org")
    client.force_login(other)
    assert client.post(url, {"action": "handover_retry"}).status_code == 404


def test_offices_without_fitconnect_send_nothing(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)
    assert not Handover.objects.filter(application=application).exists()
    # Switched on for the authority but off for this one service.
    route(region, platform)
    FitConnectRoute.objects.create(authority=region.stadt, service=dog_tax, mode="off")
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)
    assert not Handover.objects.filter(application=application).exists()
    assert platform.requests == []


def test_missing_credentials_are_a_clear_refusal(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.FITCONNECT_CLIENT_SECRET = ""
    route(region, platform)
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)
    handover = Handover.objects.get(application=application)
    assert handover.state == Handover.State.FAILED
    assert "nicht eingerichtet" in handover.last_error


def test_a_weak_destination_key_is_refused_before_anything_is_sent(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    platform.encryption_key = jwk.JWK.generate(kty="RSA", size=2048, kid="short")
    route(region, platform)
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)
    handover = Handover.objects.get(application=application)
    assert handover.state == Handover.State.FAILED
    assert "zu kurz (2048 Bit)" in handover.last_error
    assert platform.submissions == {}


def test_a_key_that_is_not_the_certified_one_is_refused(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    platform.certified_key = jwk.JWK.generate(kty="RSA", size=2048)
    route(region, platform)
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)
    handover = Handover.objects.get(application=application)
    assert handover.state == Handover.State.FAILED
    assert "passt nicht zu seinem Zertifikat" in handover.last_error
    assert platform.submissions == {}


def test_submission_api_version_2(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    settings: Any,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.FITCONNECT_API_VERSION = "v2"
    route(region, platform)
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)
    received = platform.only_submission()
    assert received.version == "v2"
    assert received.service_type["identifier"].endswith(platform.leika_key)
    assert received.metadata is not None
    assert received.metadata["$schema"].endswith("/metadata/2.1.0/metadata.schema.json")
    assert json.loads(received.data or b"{}")["aktenzeichen"] == application.reference
    assert not [r for r in platform.requests if r.split()[1].startswith("/v1/")]

    platform.accept(received)
    sync(django_capture_on_commit_callbacks)
    assert f"GET /v2/cases/{received.case_id}/events" in platform.requests
    assert Handover.objects.get(application=application).state == Handover.State.ACCEPTED
