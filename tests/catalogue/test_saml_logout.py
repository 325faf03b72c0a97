"""Single logout with BundID over SAML 2.0 against the REAL test IdP (tests/saml/idp.py,
pysaml2's Server on loopback): our logout sends a signed LogoutRequest and verifies the IdP's
signed LogoutResponse; the IdP's own signed LogoutRequest ends the portal session it belongs
to and is answered with a signed LogoutResponse."""

from __future__ import annotations

import base64
import html
import re
import zlib
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session

from tests.catalogue.saml_idp import Idp, browser, csrf, log_in, saml_login
from tests.catalogue.saml_idp import saml_idp_fixture as saml_idp_fixture
from tests.catalogue.saml_idp import (
    saml_idp_without_slo_fixture as saml_idp_without_slo_fixture,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN = f"/konto/saml/login/?next={quote('/konto/anliegen/')}"
FORM_FIELD = re.compile(r'name="(SAMLRequest|SAMLResponse|RelayState)" value="([^"]*)"')


def _log_in(session: requests.Session, base: str) -> None:
    back = saml_login(session, base, LOGIN, method="eid", email="erika.neu@example.org")
    assert back.url == f"{base}/konto/anliegen/", back.text[:500]


def _logged_in(session: requests.Session, base: str) -> bool:
    mine = session.get(f"{base}/konto/anliegen/", timeout=10)
    return not mine.url.startswith(f"{base}/konto/login/")


def _logout(session: requests.Session, base: str) -> requests.Response:
    """Our normal logout button (the form in the page header)."""
    token = csrf(session, f"{base}/konto/anliegen/")
    return session.post(
        f"{base}/konto/logout/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/konto/anliegen/"},
        allow_redirects=False,
        timeout=10,
    )


def _submit(session: requests.Session, page: requests.Response) -> requests.Response:
    """What the browser does with an auto-submitting SAML form (HTTP-POST binding)."""
    action = re.search(r'<form[^>]+action="([^"]+)"', page.text)
    assert action, page.text[:500]
    data = {name: html.unescape(value) for name, value in FORM_FIELD.findall(page.text)}
    return session.post(html.unescape(action.group(1)), data=data, timeout=20)


def _idp_log(idp: Idp) -> list[dict[str, Any]]:
    log: list[dict[str, Any]] = browser().get(f"{idp.url}/log", timeout=10).json()
    return log


def _messages(page: requests.Response) -> str:
    return html.unescape(page.text)


@pytest.mark.parametrize("answer", ["redirect", "post"])
def test_logout_also_ends_the_bundid_session_with_a_signed_round_trip(
    live_server: Any, saml_idp: Idp, answer: str
) -> None:
    base = live_server.url
    session = browser()
    _log_in(session, base)
    portal_session = session.cookies["sessionid"]
    browser().get(f"{saml_idp.url}/control?logout={answer}", timeout=10)

    out = _logout(session, base)
    assert out.status_code == 302
    assert out.headers["Location"] == "/konto/saml/logout/"
    # Logged out here before anything reaches BundID.
    assert not Session.objects.filter(session_key=portal_session).exists()

    to_idp = session.get(f"{base}/konto/saml/logout/", allow_redirects=False, timeout=10)
    assert to_idp.status_code == 302
    location = to_idp.headers["Location"]
    assert location.startswith(f"{saml_idp.url}/slo?SAMLRequest=")
    query = parse_qs(urlsplit(location).query)
    assert query["SigAlg"] == ["http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"]
    assert query["Signature"]
    request_xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15).decode()
    assert "LogoutRequest" in request_xml
    assert ">bpk2-erika</" in request_xml
    assert "SessionIndex" in request_xml

    landed = session.get(location, timeout=20)  # the IdP answers (Redirect) …
    if answer == "post":  # … or with a form the browser posts to /konto/saml/ls/
        landed = _submit(session, landed)
    assert landed.status_code == 200, landed.text[:500]
    assert landed.url == f"{base}/"
    assert "Sie haben sich abgemeldet." in _messages(landed)
    assert "Sie wurden auch bei BundID abgemeldet." in _messages(landed)
    [received] = _idp_log(saml_idp)
    assert received["kind"] == "request"
    assert received["signature_verified"] is True
    assert received["name_id"] == "bpk2-erika"
    assert received["issuer"] == f"{base}/konto/saml/metadata/"
    assert not _logged_in(session, base)


def test_a_logout_response_with_a_bad_signature_is_refused_and_she_stays_logged_out(
    live_server: Any, saml_idp: Idp
) -> None:
    base = live_server.url
    session = browser()
    _log_in(session, base)
    browser().get(f"{saml_idp.url}/control?logout=forged", timeout=10)

    _logout(session, base)
    refused = session.get(f"{base}/konto/saml/logout/", timeout=20)
    assert refused.url.startswith(f"{base}/konto/saml/ls/?SAMLResponse=")
    assert refused.status_code == 403
    text = _messages(refused)
    assert "trägt keine gültige Signatur und wurde abgewiesen" in text
    assert "Im Portal sind Sie abgemeldet" in text
    assert "Ihre BundID-Sitzung ist möglicherweise noch offen" in text
    assert not _logged_in(session, base)


def test_without_slo_at_the_idp_the_logout_happens_here_and_says_bundid_may_be_open(
    live_server: Any, saml_idp_without_slo: Idp
) -> None:
    base = live_server.url
    metadata = browser().get(f"{saml_idp_without_slo.url}/metadata", timeout=10).text
    assert "SingleLogoutService" not in metadata
    session = browser()
    _log_in(session, base)

    out = _logout(session, base)
    assert out.headers["Location"] == "/konto/saml/logout/"
    landed = session.get(f"{base}/konto/saml/logout/", timeout=20)
    assert landed.url == f"{base}/"
    text = _messages(landed)
    assert "Sie haben sich abgemeldet." in text
    assert "Bei BundID konnten wir Sie nicht abmelden." in text
    assert "Ihre BundID-Sitzung ist möglicherweise noch offen" in text
    assert not _logged_in(session, base)


def test_unreadable_idp_metadata_at_logout_still_logs_out_here(
    live_server: Any, saml_idp: Idp, settings: Any
) -> None:
    base = live_server.url
    session = browser()
    _log_in(session, base)
    out = _logout(session, base)
    assert out.headers["Location"] == "/konto/saml/logout/"
    settings.SAML_IDP_METADATA = "/nonexistent/idp.xml"
    landed = session.get(f"{base}/konto/saml/logout/", timeout=20)
    assert landed.url == f"{base}/"
    assert "Ihre BundID-Sitzung ist möglicherweise noch offen" in _messages(landed)
    assert not _logged_in(session, base)


def test_a_password_login_logs_out_as_before(live_server: Any, saml_idp: Idp) -> None:
    base = live_server.url
    user = UserFactory.create(email="max@example.org")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    session = browser()
    log_in(session, base, user.email)
    out = _logout(session, base)
    assert out.headers["Location"] == "/"
    assert "Sie haben sich abgemeldet." in _messages(session.get(f"{base}/", timeout=10))
    assert _idp_log(saml_idp) == []
    assert not _logged_in(session, base)


def test_a_link_to_the_saml_logout_logs_nobody_out(live_server: Any, saml_idp: Idp) -> None:
    base = live_server.url
    session = browser()
    _log_in(session, base)
    page = session.get(f"{base}/konto/saml/logout/", timeout=10)
    assert page.url == f"{base}/konto/logout/"
    assert "Möchten Sie sich abmelden?" in page.text
    assert _logged_in(session, base)
    # Nor does an answer nobody waits for.
    stray = session.get(f"{base}/konto/saml/ls/", params={"SAMLResponse": "eA=="}, timeout=10)
    assert stray.status_code == 403
    assert "keine Abmeldung aus diesem Browser" in stray.text
    assert _logged_in(session, base)
    incomplete = session.get(f"{base}/konto/saml/ls/", timeout=10)
    assert incomplete.status_code == 400
    assert "unvollständig" in incomplete.text
    assert _idp_log(saml_idp) == []


def test_idp_initiated_logout_ends_the_session_and_is_answered_signed(
    live_server: Any, saml_idp: Idp
) -> None:
    base = live_server.url
    session = browser()
    _log_in(session, base)
    done = session.get(f"{saml_idp.url}/initiate-logout?user=erika", timeout=20)
    assert done.status_code == 200, done.text[:500]
    assert "Abgemeldet" in done.text
    [answer] = _idp_log(saml_idp)
    assert answer["kind"] == "response"
    assert answer["signature_verified"] is True
    assert answer["status"] == "urn:oasis:names:tc:SAML:2.0:status:Success"
    assert not _logged_in(session, base)


def test_idp_initiated_post_without_the_portal_cookie_ends_her_session(
    live_server: Any, saml_idp: Idp
) -> None:
    """A cross-site POST carries the SameSite=None SAML cookie but not the Lax session
    cookie: the session is still found and ended."""
    base = live_server.url
    session = browser()
    _log_in(session, base)
    cross_site = browser()
    cross_site.cookies.set("saml_session", session.cookies["saml_session"])
    form = cross_site.get(f"{saml_idp.url}/initiate-logout?user=erika&binding=post", timeout=20)
    answered = _submit(cross_site, form)  # to /konto/saml/ls/: our answer, a form again
    assert answered.url == f"{base}/konto/saml/ls/"
    done = _submit(cross_site, answered)
    assert "Abgemeldet" in done.text
    [answer] = _idp_log(saml_idp)
    assert answer["signature_verified"] is True
    assert answer["status"] == "urn:oasis:names:tc:SAML:2.0:status:Success"
    assert not _logged_in(session, base)


def test_idp_initiated_logout_for_someone_else_or_forged_leaves_her_logged_in(
    live_server: Any, saml_idp: Idp
) -> None:
    base = live_server.url
    session = browser()
    _log_in(session, base)
    other = session.get(f"{saml_idp.url}/initiate-logout?user=max", timeout=20)
    assert "Abgemeldet" in other.text
    [answer] = _idp_log(saml_idp)
    assert answer["status"] == "urn:oasis:names:tc:SAML:2.0:status:Responder"
    assert answer["detail"] == "urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal"
    assert _logged_in(session, base)

    forged = session.get(f"{saml_idp.url}/initiate-logout?user=erika&forged=1", timeout=20)
    assert forged.status_code == 403
    assert "keine gültige Signatur" in forged.text
    assert _logged_in(session, base)


def test_sp_metadata_offers_single_logout(live_server: Any, saml_idp: Idp) -> None:
    metadata = browser().get(f"{live_server.url}/konto/saml/metadata/", timeout=10).text
    ls = f"{live_server.url}/konto/saml/ls/"
    for binding in ("HTTP-Redirect", "HTTP-POST"):
        assert re.search(
            rf'<\w+:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:'
            rf'{binding}" Location="{re.escape(ls)}"',
            metadata,
        ), metadata
    assert "SOAP" not in metadata


def test_logout_endpoints_are_off_until_configured(client: Any, settings: Any) -> None:
    settings.SAML_IDP_METADATA = ""
    assert client.get("/konto/saml/logout/").status_code == 404
    assert client.get("/konto/saml/ls/", {"SAMLResponse": "x"}).status_code == 404
