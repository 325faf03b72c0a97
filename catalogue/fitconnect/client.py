"""A small client of FIT-Connect's public APIs, as a sender ("Onlinedienst").

Submission API (paths of version 1, or 2 with FITCONNECT_API_VERSION=v2): the destination
and its keys, creating a submission with its announced attachments, uploading the encrypted
attachments, submitting encrypted metadata and form data, reading a case's event log, the
platform's signing keys
(/.well-known/jwks.json). Routing API: a destination by LeiKa key and ARS (/v1/routes).

Errors are sorted for the caller: `Unreachable` (no answer, timeout, 5xx, 429: worth a retry)
and `Refused` (any other 4xx: the same request would be refused again). Problem details
(RFC 7807, as the platform answers) become the message.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings


class FitConnectError(Exception):
    """Base of the client's errors; the message is shown to staff."""


class Unreachable(FitConnectError):
    """The platform did not answer usefully now; try again later."""


class Refused(FitConnectError):
    """The platform refused the request; trying the same again cannot help."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Config:
    token_url: str
    submission_api: str
    routing_api: str
    client_id: str
    client_secret: str
    scope: str = ""
    api_version: str = "v1"
    timeout: tuple[float, float] = (5.0, 60.0)

    @classmethod
    def from_settings(cls) -> Config:
        return cls(
            token_url=settings.FITCONNECT_TOKEN_URL,
            submission_api=settings.FITCONNECT_SUBMISSION_API.rstrip("/"),
            routing_api=settings.FITCONNECT_ROUTING_API.rstrip("/"),
            client_id=settings.FITCONNECT_CLIENT_ID,
            client_secret=settings.FITCONNECT_CLIENT_SECRET,
            scope=settings.FITCONNECT_SCOPE,
            api_version=settings.FITCONNECT_API_VERSION,
            timeout=tuple(settings.FITCONNECT_TIMEOUT),
        )


def _problem(response: requests.Response) -> str:
    """The platform's problem detail (title, detail) or the start of the body."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict):
        parts = [str(body.get(k)) for k in ("title", "detail") if body.get(k)]
        if parts:
            return ": ".join(parts)
    return str(body)[:300]


@dataclass
class Client:
    config: Config
    session: requests.Session = field(default_factory=requests.Session)
    _token: str = ""
    _token_until: float = 0.0

    # --- transport ---------------------------------------------------------------------

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        try:
            response = self.session.request(
                method, url, timeout=self.config.timeout, allow_redirects=False, **kwargs
            )
        except requests.RequestException as exc:
            raise Unreachable(f"{method} {url}: {exc.__class__.__name__}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise Unreachable(f"{method} {url}: HTTP {response.status_code} {_problem(response)}")
        return response

    def token(self) -> str:
        """An access token (client credentials, client_secret_post), reused until it ends."""
        if self._token and time.monotonic() < self._token_until:
            return self._token
        if not self.config.client_id or not self.config.client_secret:
            raise Refused("FIT-Connect ist nicht eingerichtet (FITCONNECT_CLIENT_ID/SECRET).")
        form = {
            "grant_type": "client_credentials",
            "client_id": self.config.client_id,
            "client_secret": self.config.client_secret,
        }
        if self.config.scope:
            form["scope"] = self.config.scope
        response = self._send("POST", self.config.token_url, data=form)
        if response.status_code != 200:
            raise Refused(
                f"Anmeldung bei FIT-Connect abgewiesen: HTTP {response.status_code} "
                f"{_problem(response)}",
                response.status_code,
            )
        body = response.json()
        self._token = str(body["access_token"])
        self._token_until = time.monotonic() + max(0, int(body.get("expires_in", 300)) - 30)
        return self._token

    def call(
        self, method: str, url: str, *, expect: tuple[int, ...] = (200,), **kwargs: Any
    ) -> requests.Response:
        """An authorised call; a 401 gets one fresh token, other 4xx raise Refused."""
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.token()}", **kwargs.pop("headers", {})}
            response = self._send(method, url, headers=headers, **kwargs)
            if response.status_code == 401 and attempt == 1:
                self._token = ""
                kwargs["headers"] = {k: v for k, v in headers.items() if k != "Authorization"}
                continue
            break
        if response.status_code not in expect:
            raise Refused(
                f"{method} {url.split('?')[0]}: HTTP {response.status_code} {_problem(response)}",
                response.status_code,
            )
        return response

    def _api(self, path: str) -> str:
        """A Submission API path under the configured version ("/v1/…" or "/v2/…")."""
        return f"{self.config.submission_api}/{self.config.api_version}{path}"

    # --- Submission API ------------------------------------------------------------------

    def destination(self, destination_id: str) -> dict[str, Any]:
        return dict(self.call("GET", self._api(f"/destinations/{destination_id}")).json())

    def destination_key(self, destination_id: str, kid: str) -> dict[str, Any]:
        url = self._api(f"/destinations/{destination_id}/keys/{kid}")
        return dict(self.call("GET", url).json())

    def create_submission(
        self, destination_id: str, service: dict[str, str], attachment_ids: list[str]
    ) -> dict[str, Any]:
        body = {
            "destinationId": destination_id,
            "announcedAttachments": attachment_ids,
            # Version 2 renamed the service's field ("publicService").
            "serviceType" if self.config.api_version == "v1" else "publicService": service,
        }
        response = self.call("POST", self._api("/submissions"), json=body, expect=(201,))
        return dict(response.json())

    def upload_attachment(self, submission_id: str, attachment_id: str, jwe: str) -> None:
        url = self._api(f"/submissions/{submission_id}/attachments/{attachment_id}")
        self.call(
            "PUT",
            url,
            data=jwe.encode("ascii"),
            headers={"Content-Type": "application/jose"},
            expect=(204,),
        )

    def submit(self, submission_id: str, metadata_jwe: str, data_jwe: str) -> dict[str, Any]:
        body = {"encryptedMetadata": metadata_jwe, "encryptedData": data_jwe}
        response = self.call("PUT", self._api(f"/submissions/{submission_id}"), json=body)
        return dict(response.json())

    def event_log(self, case_id: str) -> list[str]:
        body = self.call("GET", self._api(f"/cases/{case_id}/events")).json()
        return [str(token) for token in body.get("eventLog", [])]

    def platform_keys(self) -> dict[str, Any]:
        """The keys the platform signs its own events with (public, no token needed)."""
        return self.public_keys(f"{self.config.submission_api}/.well-known/jwks.json")

    def public_keys(self, url: str) -> dict[str, Any]:
        """A published key set (JWKS: the platform's, the self-service portal's, the Routing
        API's), public, no token needed."""
        response = self._send("GET", url)
        if response.status_code != 200:
            raise Refused(f"JWKS {url}: HTTP {response.status_code}", response.status_code)
        return dict(response.json())

    # --- Routing API ---------------------------------------------------------------------

    def routes(self, leika_key: str, ars: str) -> list[dict[str, Any]]:
        """Destinations for a service (LeiKa key) in an area (ARS); public, no token."""
        url = f"{self.config.routing_api}/v1/routes"
        response = self._send("GET", url, params={"leikaKey": leika_key, "ars": ars})
        if response.status_code != 200:
            raise Refused(
                f"Routing-API: HTTP {response.status_code} {_problem(response)}",
                response.status_code,
            )
        return list(response.json().get("routes", []))
