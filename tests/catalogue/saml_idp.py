"""Fixtures and browser steps for the SAML tests: keys made at test time with openssl, the test
IdP (tests/saml/idp.py) started as its own process on a free loopback port, and the portal
configured as its SP."""

from __future__ import annotations

import base64
import html
import os
import re
import shutil
import subprocess
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

IDP_SCRIPT = Path(__file__).resolve().parents[1] / "saml" / "idp.py"
PASSWORD = "geheim-Passwort-42"  # tests.factories.UserFactory


def make_keypair(directory: Path, name: str) -> tuple[str, str]:
    """A throwaway RSA key and self-signed certificate (never committed)."""
    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed for the SAML tests"
    key, cert = directory / f"{name}.key", directory / f"{name}.crt"
    subprocess.run(  # noqa: S603 - fixed command
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-sha256",
            "-days",
            "2",
            "-subj",
            f"/CN={name}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return str(key), str(cert)


@dataclass(frozen=True)
class Idp:
    url: str


def _start_idp(
    live_server: Any,
    settings: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    extra_env: dict[str, str],
) -> Iterator[Idp]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    sp_key, sp_cert = make_keypair(tmp_path, "sp")
    idp_key, idp_cert = make_keypair(tmp_path, "idp")
    rogue_key, rogue_cert = make_keypair(tmp_path, "rogue")
    env = {
        **os.environ,
        "IDP_KEY": idp_key,
        "IDP_CERT": idp_cert,
        "ROGUE_KEY": rogue_key,
        "ROGUE_CERT": rogue_cert,
        "SP_METADATA_URL": f"{live_server.url}/konto/saml/metadata/",
        **extra_env,
    }
    process = subprocess.Popen(  # noqa: S603 - fixed command, our own script
        [sys.executable, str(IDP_SCRIPT)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("ready "), line
        url = line.split()[1]
        settings.SAML_IDP_METADATA = f"{url}/metadata"
        settings.SAML_SP_KEY_FILE = sp_key
        settings.SAML_SP_CERT_FILE = sp_cert
        yield Idp(url)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(name="saml_idp")
def saml_idp_fixture(
    live_server: Any, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Idp]:
    """The test IdP, and the portal configured to use it (SP key pair made here)."""
    yield from _start_idp(live_server, settings, tmp_path, monkeypatch, {})


@pytest.fixture(name="saml_idp_without_slo")
def saml_idp_without_slo_fixture(
    live_server: Any, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Idp]:
    """The same IdP without a SingleLogoutService in its metadata."""
    yield from _start_idp(live_server, settings, tmp_path, monkeypatch, {"IDP_NO_SLO": "1"})


def browser() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxies from the environment for loopback
    return session


def csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


def log_in(session: requests.Session, base: str, email: str) -> None:
    token = csrf(session, f"{base}/konto/login/")
    response = session.post(
        f"{base}/konto/login/",
        data={"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD},
        headers={"Referer": f"{base}/konto/login/"},
        timeout=10,
    )
    assert response.url.endswith("/konto/anliegen/"), response.url


def _fields(page: str) -> dict[str, str]:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'name="([A-Za-z]+)" value="([^"]*)"', page)
    }


def authn_request(location: str) -> str:
    """The AuthnRequest XML inside an HTTP-Redirect URL."""
    encoded = parse_qs(urlsplit(location).query)["SAMLRequest"][0]
    return zlib.decompress(base64.b64decode(encoded), -15).decode()


def idp_answer(
    session: requests.Session,
    base: str,
    path: str,
    *,
    method: str,
    user: str = "erika",
    email: str = "",
) -> tuple[str, dict[str, str]]:
    """Follow a SAML login link to the IdP and log in there (all real HTTP): our redirect to
    the IdP, its login form; returns where its auto-submitting answer posts to, and what."""
    login_page = session.get(f"{base}{path}", timeout=20)
    assert login_page.status_code == 200, login_page.text[:500]
    fields = _fields(login_page.text)
    action = re.search(r'<form method="post" action="([^"]+)"', login_page.text)
    assert action, login_page.text[:500]
    answer = session.post(
        action.group(1),
        data={"login": fields["login"], "user": user, "email": email, "method": method},
        timeout=20,
    )
    assert answer.status_code == 200, answer.text[:500]
    acs = re.search(r'action="([^"]+)"', answer.text)
    assert acs, answer.text[:500]
    posted = _fields(answer.text)
    data = {"SAMLResponse": posted["SAMLResponse"], "RelayState": posted.get("RelayState", "")}
    return html.unescape(acs.group(1)), data


def saml_login(
    session: requests.Session,
    base: str,
    path: str,
    *,
    method: str,
    user: str = "erika",
    email: str = "",
) -> requests.Response:
    """The whole round trip: to the IdP, log in, its answer posted to our ACS."""
    acs, data = idp_answer(session, base, path, method=method, user=user, email=email)
    return session.post(acs, data=data, timeout=20)
