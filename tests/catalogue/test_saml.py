"""BundID login over SAML 2.0 against a REAL identity provider: pysaml2's Server in
tests/saml/idp.py, started on loopback for each test with keys made at test time. The portal
signs its AuthnRequest (HTTP-Redirect), the IdP answers with a signed, encrypted assertion
(HTTP-POST) whose STORK-QAA level decides the account's level."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from catalogue.models import Application, SamlIdentity, Service
from tests.catalogue.conftest import IN_STADT, Region
from tests.catalogue.saml_idp import (
    Idp,
    authn_request,
    browser,
    csrf,
    idp_answer,
    log_in,
    saml_login,
)
from tests.catalogue.saml_idp import saml_idp_fixture as saml_idp_fixture
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SAML_STEP_UP = re.compile(r'href="(/konto/saml/login/[^"]+)"')
APPLY = f"/dienstleistungen/meldebescheinigung/antrag/?lat={IN_STADT.y}&lon={IN_STADT.x}"


def _erika() -> User:
    erika = UserFactory.create(email="erika@example.org")
    EmailAddress.objects.create(user=erika, email=erika.email, primary=True, verified=True)
    return erika


def _step_up_link(session: Any, base: str) -> str:
    refused = session.get(f"{base}{APPLY}", timeout=10)
    assert refused.status_code == 403
    assert "geprüfte Identität" in refused.text
    match = SAML_STEP_UP.search(refused.text)
    assert match, refused.text
    return html.unescape(match.group(1))


def test_step_up_at_substantial_verifies_the_account_and_the_application_goes_through(
    live_server: Any, saml_idp: Idp, region: Region, catalogue: dict[str, Service]
) -> None:
    erika = _erika()
    base = live_server.url
    session = browser()
    log_in(session, base, erika.email)
    path = _step_up_link(session, base)
    assert "level=substantial" in path

    # The AuthnRequest asks BundID for at least level 3 and for the bPK2, and is signed.
    to_idp = session.get(f"{base}{path}", allow_redirects=False, timeout=20)
    assert to_idp.status_code == 302
    assert to_idp.headers["Location"].startswith(f"{saml_idp.url}/sso?")
    assert "Signature=" in to_idp.headers["Location"]
    request_xml = authn_request(to_idp.headers["Location"])
    assert "STORK-QAA-Level-3" in request_xml
    assert 'Comparison="minimum"' in request_xml
    assert "https://www.akdb.de/request/2018/09" in request_xml
    assert 'Name="urn:oid:1.3.6.1.4.1.25484.494450.3" RequiredAttribute="true"' in request_xml

    back = saml_login(session, base, path, method="elster")
    assert back.status_code == 200, back.text[:500]
    assert back.url == f"{base}{APPLY}"
    assert "Sie sind mit BundID angemeldet" in back.text
    erika.refresh_from_db()
    assert erika.assurance_level == User.AssuranceLevel.VERIFIED
    assert (erika.first_name, erika.last_name) == ("Erika", "Mustermann")
    identity = SamlIdentity.objects.get(user=erika)
    assert (identity.subject, identity.level) == ("bpk2-erika", "substantial")
    assert identity.issuer == f"{saml_idp.url}/metadata"

    token = csrf(session, f"{base}{APPLY}")
    submitted = session.post(
        f"{base}{APPLY}",
        data={"csrfmiddlewaretoken": token, "art": "einfach"},
        headers={"Referer": f"{base}{APPLY}"},
        timeout=10,
    )
    assert "Ihr Antrag ist eingegangen" in submitted.text
    assert Application.objects.get().applicant == erika


def test_a_basic_level_login_is_refused_for_the_service_with_step_up_offered(
    live_server: Any, saml_idp: Idp, region: Region, catalogue: dict[str, Service]
) -> None:
    erika = _erika()
    base = live_server.url
    session = browser()
    log_in(session, base, erika.email)
    path = _step_up_link(session, base)

    back = saml_login(session, base, path, method="password")
    assert back.status_code == 403
    assert back.url == f"{base}{APPLY}"
    text = html.unescape(back.text)
    assert "Vertrauensniveau „niedrig" in text
    assert "mindestens „substanziell" in text
    assert SAML_STEP_UP.search(back.text), "step-up offered again"
    erika.refresh_from_db()
    assert erika.assurance_level == User.AssuranceLevel.REGISTERED
    assert SamlIdentity.objects.get(user=erika).level == "basic"
    assert not Application.objects.exists()
    # "Meine Anliegen" shows the link and offers to prove the identity later.
    mine = html.unescape(session.get(f"{base}/konto/anliegen/", timeout=10).text)
    assert "Vertrauensniveau der letzten Anmeldung: niedrig" in mine
    assert "Identität mit BundID nachweisen" in mine


def test_an_answer_signed_with_another_key_is_refused_and_nobody_is_logged_in(
    live_server: Any, saml_idp: Idp
) -> None:
    base = live_server.url
    session = browser()
    path = f"/konto/saml/login/?next={quote('/konto/anliegen/')}"
    back = saml_login(session, base, path, method="forged", email="erika.neu@example.org")
    assert back.status_code == 403
    assert "keine gültige Signatur" in back.text
    assert "Sie wurden nicht angemeldet" in back.text
    assert not User.objects.filter(email="erika.neu@example.org").exists()
    assert not SamlIdentity.objects.exists()
    mine = session.get(f"{base}/konto/anliegen/", timeout=10)
    assert mine.url.startswith(f"{base}/konto/login/")


def test_cancelled_at_the_idp_says_so_and_nobody_is_logged_in(
    live_server: Any, saml_idp: Idp
) -> None:
    session = browser()
    path = f"/konto/saml/login/?next={quote('/konto/anliegen/')}"
    back = saml_login(session, live_server.url, path, method="cancel", email="x@example.org")
    assert back.status_code == 403
    assert "beim Identitätsanbieter abgebrochen" in back.text
    assert not User.objects.exists()
    mine = session.get(f"{live_server.url}/konto/anliegen/", timeout=10)
    assert mine.url.startswith(f"{live_server.url}/konto/login/")


def test_first_login_creates_a_verified_account_and_the_next_finds_it(
    live_server: Any, saml_idp: Idp
) -> None:
    base = live_server.url
    path = f"/konto/saml/login/?next={quote('/konto/anliegen/')}"
    first = saml_login(browser(), base, path, method="eid", email="Erika.Neu@example.org")
    assert first.status_code == 200, first.text[:500]
    assert first.url == f"{base}/konto/anliegen/"
    assert "Vertrauensniveau der letzten Anmeldung: hoch" in html.unescape(first.text)
    assert "Identität mit BundID nachweisen" not in first.text
    user = User.objects.get(email="erika.neu@example.org")
    assert user.assurance_level == User.AssuranceLevel.VERIFIED
    assert EmailAddress.objects.get(user=user).verified
    assert SamlIdentity.objects.get(user=user).level == "high"

    # Later, without e-mail in the answer: the bPK2 finds the same account.
    again = saml_login(browser(), base, path, method="password")
    assert again.url == f"{base}/konto/anliegen/"
    assert User.objects.count() == 1
    user.refresh_from_db()
    assert user.assurance_level == User.AssuranceLevel.VERIFIED  # never lowered


def test_first_login_with_the_address_of_an_existing_account_is_refused(
    live_server: Any, saml_idp: Idp
) -> None:
    erika = _erika()
    path = f"/konto/saml/login/?next={quote('/konto/anliegen/')}"
    back = saml_login(browser(), live_server.url, path, method="eid", email=erika.email)
    assert back.status_code == 403
    assert "Es gibt bereits ein Bürgerkonto" in back.text
    assert not SamlIdentity.objects.exists()
    erika.refresh_from_db()
    assert erika.assurance_level == User.AssuranceLevel.REGISTERED


def test_an_identity_linked_to_another_account_is_not_linked_twice(
    live_server: Any, saml_idp: Idp
) -> None:
    base = live_server.url
    path = f"/konto/saml/login/?next={quote('/konto/anliegen/')}"
    saml_login(browser(), base, path, method="eid", email="erika.neu@example.org")
    other = UserFactory.create(email="max@example.org")
    EmailAddress.objects.create(user=other, email=other.email, primary=True, verified=True)
    session = browser()
    log_in(session, base, other.email)
    back = saml_login(session, base, path, method="eid")
    assert back.status_code == 403
    assert "bereits mit einem anderen Bürgerkonto verknüpft" in back.text
    other.refresh_from_db()
    assert other.assurance_level == User.AssuranceLevel.REGISTERED


def test_sp_metadata_for_registering_with_bundid(live_server: Any, saml_idp: Idp) -> None:
    metadata = browser().get(f"{live_server.url}/konto/saml/metadata/", timeout=10)
    assert metadata.status_code == 200
    assert f'entityID="{live_server.url}/konto/saml/metadata/"' in metadata.text
    assert 'AuthnRequestsSigned="true"' in metadata.text
    assert f'Location="{live_server.url}/konto/saml/acs/"' in metadata.text
    assert 'use="encryption"' in metadata.text
    assert 'WantAssertionsSigned="true"' in metadata.text


def test_a_replayed_answer_is_refused(live_server: Any, saml_idp: Idp) -> None:
    session = browser()
    path = f"/konto/saml/login/?next={quote('/konto/anliegen/')}"
    acs, data = idp_answer(
        session, live_server.url, path, method="eid", email="erika.neu@example.org"
    )
    assert session.post(acs, data=data, timeout=20).url.endswith("/konto/anliegen/")
    # The same answer again — from the same browser or another one — is not taken.
    for replay in (session, browser()):
        again = replay.post(acs, data=data, timeout=20)
        assert again.status_code == 403
        assert "nicht hier begonnen" in again.text


def test_saml_is_off_until_configured(
    client: Any, settings: Any, region: Region, catalogue: dict[str, Service]
) -> None:
    settings.SAML_IDP_METADATA = ""
    assert client.get("/konto/saml/login/").status_code == 404
    assert client.get("/konto/saml/metadata/").status_code == 404
    assert client.post("/konto/saml/acs/", {"SAMLResponse": "x"}).status_code == 404
    client.force_login(_erika())
    refused = client.get(APPLY)
    assert refused.status_code == 403
    assert not SAML_STEP_UP.search(refused.content.decode())


def test_the_step_up_page_offers_oidc_and_saml_when_both_are_configured(
    client: Any, settings: Any, region: Region, catalogue: dict[str, Service]
) -> None:
    from allauth.socialaccount.models import SocialApp

    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="bundid",
        name="BundID (Test)",
        client_id="x",
        secret="y",
        settings={"server_url": "http://127.0.0.1:9/"},
    )
    settings.SAML_IDP_METADATA = "/nonexistent/idp.xml"
    client.force_login(_erika())
    page = client.get(APPLY).content.decode()
    assert 'href="/konto/oidc/bundid/login/?process=connect' in page
    assert SAML_STEP_UP.search(page)
    assert "Mit BundID (SAML) nachweisen" in page


def test_unreachable_idp_metadata_gives_a_clear_503(client: Any, settings: Any) -> None:
    settings.SAML_IDP_METADATA = "/nonexistent/idp.xml"
    response = client.get("/konto/saml/login/")
    assert response.status_code == 503
    assert "zurzeit nicht möglich" in response.content.decode()
