"""Verified identity through OpenID Connect against a REAL provider: node's oidc-provider
(tests/oidc/server.mjs, installed by `scripts/setup.sh test`) started on loopback by the test.
django-allauth's openid_connect provider does discovery, PKCE, the code exchange and the ID
token checks; the `acr` claim of an eID login raises the account to "verified", after which
the application that was refused with a step-up hint goes through."""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp

from accounts.models import User
from catalogue.identity import assurance_from
from catalogue.models import Application, Service
from tests.catalogue.conftest import IN_STADT, Region
from tests.factories import UserFactory

OIDC_DIR = Path(__file__).resolve().parents[1] / "oidc"
CLIENT_ID = "maengelmelder-test"
CLIENT_SECRET = "test-secret-" + "x" * 20
PASSWORD = "geheim-Passwort-42"  # tests.factories.UserFactory
STEP_UP = re.compile(r'href="(/konto/oidc/bundid/login/[^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def oidc_issuer(live_server: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Start the provider for this live server's callback URL; stop it afterwards."""
    # Loopback only: allauth's server-side requests must never go through a proxy.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    assert (OIDC_DIR / "node_modules" / "oidc-provider").is_dir(), (
        "run `npm ci` in tests/oidc (scripts/setup.sh test does)"
    )
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URI": f"{live_server.url}/konto/oidc/bundid/login/callback/",
    }
    process = subprocess.Popen(  # noqa: S603 - fixed command, our own script
        [node, "server.mjs"],
        cwd=OIDC_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("ready "), line
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def bundid(oidc_issuer: str) -> SocialApp:
    return SocialApp.objects.create(
        provider="openid_connect",
        provider_id="bundid",
        name="BundID (Test)",
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={"server_url": oidc_issuer},
    )


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxies from the environment for loopback
    return session


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10)
    page.raise_for_status()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


def _log_in(session: requests.Session, base: str, user: User) -> None:
    token = _csrf(session, f"{base}/konto/login/")
    response = session.post(
        f"{base}/konto/login/",
        data={"csrfmiddlewaretoken": token, "login": user.email, "password": PASSWORD},
        headers={"Referer": f"{base}/konto/login/"},
        timeout=10,
    )
    assert response.url.endswith("/konto/anliegen/"), response.url


def _connect(session: requests.Session, base: str, path: str, hint: str) -> requests.Response:
    """Follow the step-up link: allauth asks to confirm (POST), then the browser dance through
    the provider (authorize → interaction → consent → callback) — all real HTTP."""
    url = f"{base}{path}&auth_params={quote(f'login_hint={hint}')}"
    token = _csrf(session, url)
    return session.post(
        url, data={"csrfmiddlewaretoken": token}, headers={"Referer": url}, timeout=20
    )


@pytest.mark.django_db(transaction=True)
def test_eid_login_raises_the_level_and_the_application_goes_through(
    live_server: Any,
    bundid: SocialApp,
    region: Region,
    catalogue: dict[str, Service],
) -> None:
    erika = UserFactory.create(email="erika@example.org")
    EmailAddress.objects.create(user=erika, email=erika.email, primary=True, verified=True)
    base = live_server.url
    session = _session()
    _log_in(session, base, erika)

    apply = f"{base}/dienstleistungen/meldebescheinigung/antrag/?lat={IN_STADT.y}&lon={IN_STADT.x}"
    refused = session.get(apply, timeout=10)
    assert refused.status_code == 403
    assert "geprüfte Identität" in refused.text
    step_up = STEP_UP.search(refused.text)
    assert step_up, refused.text
    path = html.unescape(step_up.group(1))
    assert "process=connect" in path

    done = _connect(session, base, path, "eid")
    assert done.status_code == 200, done.text[:500]
    # Back on our side after the callback: the eID is linked to Erika's account …
    account = SocialAccount.objects.get(user=erika)
    assert account.uid == "eid-erika"
    assert account.extra_data["id_token"]["acr"] == "STORK-QAA-Level-4"
    erika.refresh_from_db()
    assert erika.assurance_level == User.AssuranceLevel.VERIFIED

    # … and the application that was refused before now goes through.
    token = _csrf(session, apply)
    submitted = session.post(
        apply,
        data={"csrfmiddlewaretoken": token, "art": "einfach"},
        headers={"Referer": apply},
        timeout=10,
    )
    assert submitted.status_code == 200
    assert "Ihr Antrag ist eingegangen" in submitted.text
    assert Application.objects.get().applicant == erika


@pytest.mark.django_db(transaction=True)
def test_password_login_at_the_provider_does_not_verify(
    live_server: Any, bundid: SocialApp, region: Region, catalogue: dict[str, Service]
) -> None:
    erika = UserFactory.create(email="erika@example.org")
    EmailAddress.objects.create(user=erika, email=erika.email, primary=True, verified=True)
    session = _session()
    _log_in(session, live_server.url, erika)
    path = "/konto/oidc/bundid/login/?process=connect&next=/konto/anliegen/"
    done = _connect(session, live_server.url, path, "password")
    assert done.status_code == 200
    assert SocialAccount.objects.get(user=erika).uid == "pw-erika"
    erika.refresh_from_db()
    assert erika.assurance_level == User.AssuranceLevel.REGISTERED


@pytest.mark.django_db(transaction=True)
def test_first_login_with_eid_creates_a_verified_account(
    live_server: Any, bundid: SocialApp
) -> None:
    session = _session()
    path = "/konto/oidc/bundid/login/?process=login&next=/konto/anliegen/"
    done = _connect(session, live_server.url, path, "eid")
    assert done.status_code == 200, done.text[:500]
    user = User.objects.get(email="erika.eid@example.org")
    assert user.assurance_level == User.AssuranceLevel.VERIFIED
    assert done.url.endswith("/konto/anliegen/")


@pytest.mark.parametrize(
    ("extra", "settings", "expected"),
    [
        ({"id_token": {"acr": "STORK-QAA-Level-4"}}, {}, "verified"),
        ({"id_token": {"acr": "http://eidas.europa.eu/LoA/high"}}, {}, "verified"),
        ({"id_token": {"acr": "STORK-QAA-Level-1"}}, {}, None),
        ({"userinfo": {"acr": "high"}}, {}, "verified"),
        (
            {"userinfo": {"trust": "eid"}},
            {"assurance_claim": "trust", "verified_values": ["eid"]},
            "verified",
        ),
        ({"id_token": {"acr": "STORK-QAA-Level-4"}}, {"verified_values": ["x"]}, None),
        ({}, {}, None),
    ],
)
def test_assurance_mapping(extra: dict[str, Any], settings: dict[str, Any], expected: Any) -> None:
    assert assurance_from(extra, settings) == expected
