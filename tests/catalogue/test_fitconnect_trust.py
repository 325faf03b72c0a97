"""The destination's key is trusted only through the Verwaltungs-PKI, and a Routing API answer
only with valid signatures (docs/catalogue.md, "Keys and certificates"). Against the platform
on loopback (tests/fitconnect/server.py), which is also the test PKI (root → intermediate →
leaf, OCSP responder, CRL) and signs its routes: each refusal sends nothing, shows staff the
reason and can be tried again once the configuration is fixed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from accounts.models import Role, User
from catalogue.models import Application, Handover, Service
from tests.catalogue.conftest import ARS_STADT, Region
from tests.catalogue.fitconnect_support import apply, due, page, route, sync
from tests.factories import staff
from tests.fitconnect.pki import LoopbackPKI
from tests.fitconnect.server import FitConnectServer

pytestmark = pytest.mark.django_db


def handover_of(application: Application) -> Handover:
    return Handover.objects.get(application=application)


def staff_page(client: Client, region: Region, application: Application) -> str:
    worker = staff(region.stadt, Role.DISPATCHER)
    return page(client, worker, f"/dienstleistungen/bearbeitung/{application.pk}/")


def retry(client: Client, region: Region, application: Application, capture: Any) -> None:
    """Staff press "Übermittlung erneut versuchen" (after fixing the configuration)."""
    client.force_login(staff(region.stadt, Role.ADMIN))
    with capture(execute=True):
        response = client.post(
            f"/dienstleistungen/bearbeitung/{application.pk}/", {"action": "handover_retry"}
        )
    assert response.status_code == 302


def test_a_key_certified_by_the_vpki_is_used_and_its_status_asked_once(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    route(region, platform)
    first = apply(dog_tax, citizen, django_capture_on_commit_callbacks)
    assert handover_of(first).state == Handover.State.SUBMITTED
    assert platform.requests.count("POST /pki/ocsp") == 1
    # The responder's "good" is cached: the next application does not ask again.
    second = apply(dog_tax, citizen, django_capture_on_commit_callbacks, with_pdf=False)
    assert handover_of(second).state == Handover.State.SUBMITTED
    assert platform.requests.count("POST /pki/ocsp") == 1
    assert len(platform.submissions) == 2


def test_a_certificate_from_an_unknown_root_is_refused_until_the_anchors_are_fixed(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    settings: Any,
    tmp_path: Path,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    right_anchors = settings.FITCONNECT_TRUST_ANCHORS
    stranger = tmp_path / "other-roots.pem"
    stranger.write_bytes(LoopbackPKI(root_name="Fremde Wurzel").root_pem())
    settings.FITCONNECT_TRUST_ANCHORS = str(stranger)
    route(region, platform, mode="fitconnect")
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)

    handover = handover_of(application)
    assert handover.state == Handover.State.FAILED
    assert platform.submissions == {}
    html = staff_page(client, region, application)
    assert "nicht vertrauenswürdig (Verwaltungs-PKI)" in html
    assert "Übermittlung erneut versuchen" in html
    assert "nicht vertrauenswürdig" not in page(
        client, citizen, f"/dienstleistungen/antraege/{application.pk}/"
    )

    settings.FITCONNECT_TRUST_ANCHORS = right_anchors
    retry(client, region, application, django_capture_on_commit_callbacks)
    assert handover_of(application).state == Handover.State.SUBMITTED
    assert len(platform.submissions) == 1


def test_without_trust_anchors_nothing_is_sent_unless_untrusted_keys_are_allowed(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.FITCONNECT_TRUST_ANCHORS = ""  # the default
    route(region, platform)
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)
    handover = handover_of(application)
    assert handover.state == Handover.State.FAILED
    assert "Keine Vertrauensanker eingerichtet" in handover.last_error
    assert platform.submissions == {}

    # FITKO's test environment: self-made certificates, explicitly allowed.
    settings.FITCONNECT_ALLOW_UNTRUSTED_KEYS = True
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks, with_pdf=False)
    assert handover_of(application).state == Handover.State.SUBMITTED
    assert "POST /pki/ocsp" not in platform.requests


def test_an_expired_certificate_is_refused(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    platform.expired_leaf = True
    route(region, platform)
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)
    handover = handover_of(application)
    assert handover.state == Handover.State.FAILED
    assert "nicht vertrauenswürdig" in handover.last_error
    assert "not valid at validation time" in handover.last_error
    assert platform.submissions == {}


def test_a_revoked_certificate_is_refused_by_ocsp_and_by_the_crl(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    serial = platform.leaf_certificate().serial_number
    platform.pki.revoked[serial] = datetime.now(tz=UTC)
    route(region, platform, mode="fitconnect")
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)
    assert handover_of(application).state == Handover.State.FAILED
    assert "POST /pki/ocsp" in platform.requests
    assert f"ist gesperrt (Seriennummer {serial:x})" in staff_page(client, region, application)
    assert platform.submissions == {}

    # The responder is down: the CRL says the same.
    platform.ocsp_down = True
    platform.renew_certificate()  # a new serial, revoked as well
    platform.pki.revoked[platform.leaf_certificate().serial_number] = datetime.now(tz=UTC)
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks, with_pdf=False)
    assert "GET /pki/crl" in platform.requests
    assert "gesperrt" in handover_of(application).last_error
    assert platform.submissions == {}


def test_revocation_servers_down_wait_under_require_and_pass_under_best_effort(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    settings: Any,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    platform.pki_down = True
    route(region, platform)
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)
    handover = handover_of(application)
    assert handover.state == Handover.State.PENDING  # retried later, nothing lost
    assert platform.submissions == {}
    assert "Sperrstatus" in staff_page(client, region, application)

    platform.pki_down = False
    due(application)
    sync(django_capture_on_commit_callbacks)
    assert handover_of(application).state == Handover.State.SUBMITTED

    settings.FITCONNECT_REVOCATION_CHECK = "best-effort"
    platform.pki_down = True
    platform.renew_certificate()  # one nobody has asked about yet (nothing cached)
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks, with_pdf=False)
    assert handover_of(application).state == Handover.State.SUBMITTED
    assert len(platform.submissions) == 2


def test_a_forged_destination_signature_is_refused_before_anything_is_sent(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    platform.routes[(platform.leika_key, ARS_STADT)] = [platform.destination_id]
    platform.forge_routes = True
    route(region, platform, mode="fitconnect", destination_id="")
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)

    handover = handover_of(application)
    assert handover.state == Handover.State.FAILED
    assert handover.destination_id == ""
    assert platform.submissions == {}
    assert not [r for r in platform.requests if "/destinations/" in r]
    html = staff_page(client, region, application)
    assert "Signatur der Adressierungsinformationen (destinationSignature) ist ungültig" in html

    platform.forge_routes = False
    retry(client, region, application, django_capture_on_commit_callbacks)
    handover.refresh_from_db()
    assert handover.state == Handover.State.SUBMITTED
    assert handover.destination_id == platform.destination_id


def test_a_route_signed_for_another_service_or_altered_parameters_are_refused(
    region: Region,
    dog_tax: Service,
    citizen: User,
    platform: FitConnectServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    platform.routes[(platform.leika_key, ARS_STADT)] = [platform.destination_id]
    route(region, platform, destination_id="")
    platform.sign_routes_for_leika = "99000000000000"
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks)
    assert "decken LeiKa" in handover_of(application).last_error

    platform.sign_routes_for_leika = ""
    platform.tamper_parameters = True
    application = apply(dog_tax, citizen, django_capture_on_commit_callbacks, with_pdf=False)
    assert "destinationParametersSignature) ist ungültig" in handover_of(application).last_error
    assert platform.submissions == {}
