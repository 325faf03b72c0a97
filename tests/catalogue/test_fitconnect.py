"""FIT-Connect hand-over against a FIT-Connect platform on loopback (tests/fitconnect/server.py):
the office receives the application encrypted for its key, decrypts form data and documents,
answers with accept/reject in the event log, and the citizen and staff see each step. The
platform being down or refusing loses nothing."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from celery import current_app
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import Role, User
from catalogue.models import (
    Application,
    ApplicationStatus,
    FitConnectRoute,
    Handover,
    Service,
)
from catalogue.services import Upload, application_submit
from tests.catalogue.conftest import DOG_FORM, IN_STADT, PDF_BYTES, Region
from tests.factories import staff
from tests.fitconnect.server import FitConnectServer

pytestmark = pytest.mark.django_db

ARS_STADT = "990010010010"


@pytest.fixture
def platform(settings: Any) -> Iterator[FitConnectServer]:
    server = FitConnectServer().start()
    settings.FITCONNECT_TOKEN_URL = f"{server.url}/token"
    settings.FITCONNECT_SUBMISSION_API = server.url
    settings.FITCONNECT_ROUTING_API = server.url
    settings.FITCONNECT_CLIENT_ID = server.client_id
    settings.FITCONNECT_CLIENT_SECRET = server.client_secret
    yield server
    server.stop()


@pytest.fixture
def dog_tax(region: Region, catalogue: dict[str, Service], platform: FitConnectServer) -> Service:
    service = catalogue["hundesteueranmeldung"]
    service.leika_key = platform.leika_key
    service.save(update_fields=["leika_key"])
    region.stadt.ars = ARS_STADT
    region.stadt.save(update_fields=["ars"])
    return service


def route(region: Region, platform: FitConnectServer, mode: str = "both", **extra: Any) -> None:
    values = {"destination_id": platform.destination_id, **extra}
    FitConnectRoute.objects.create(authority=region.stadt, mode=mode, **values)


def apply(service: Service, citizen: User, capture: Any, *, with_pdf: bool = True) -> Application:
    uploads = [Upload("haftpflicht", io.BytesIO(PDF_BYTES), "Police.pdf")] if with_pdf else []
    with capture(execute=True):
        return application_submit(
            service, applicant=citizen, point=IN_STADT, data=DOG_FORM, uploads=uploads
        )


def sync(capture: Any) -> Any:
    """The beat task, called by name as beat does."""
    with capture(execute=True):
        return current_app.tasks["catalogue.fitconnect_sync"].apply().get()


def page(client: Client, user: User, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


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
