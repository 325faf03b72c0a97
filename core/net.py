"""Outbound HTTP to addresses that users configure (webhooks, Open311 endpoints).

An authority admin types the URL, so the portal must not become their way into the server's
own network (SSRF). Every call here:

* allows only http and https;
* refuses destinations whose resolved address is loopback, private, link-local (cloud
  metadata at 169.254.169.254), multicast or otherwise internal — checked on the address the
  connection really uses (requests-hardened pins the resolved IP, so DNS rebinding cannot
  swap it), unless the operator allow-listed the host or its network in
  `OUTBOUND_ALLOWED_HOSTS` (on-premises back-office systems);
* never follows redirects (a 3xx is an answer like any other, and the caller refuses it);
* has a connect/read timeout and reads at most `max_bytes` of the answer.

`OutboundRefused` means the configuration is unusable (do not retry); `OutboundUnreachable`
means the network failed (retry later).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from requests_hardened import Config, Manager
from requests_hardened.ip_filter import InvalidIPAddress

DEFAULT_TIMEOUT = (5.0, 30.0)  # connect, read (seconds)
DEFAULT_MAX_BYTES = 64 * 1024
USER_AGENT = "Maengelmelder"


class OutboundRefused(Exception):
    """The URL may not be called (scheme, internal address): a configuration error."""


class OutboundUnreachable(Exception):
    """No HTTP answer: refused, reset, DNS failure, timeout. Worth another try later."""


@dataclass(frozen=True)
class OutboundAnswer:
    status: int
    body: bytes
    size: int  # bytes received (at most max_bytes + 1: more were not read)
    truncated: bool

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@cache
def _manager(*, filtered: bool) -> Manager:
    return Manager(
        Config(
            ip_filter_enable=filtered,
            ip_filter_allow_loopback_ips=False,
            never_redirect=True,
            default_timeout=DEFAULT_TIMEOUT,
            user_agent_override=USER_AGENT,
        )
    )


def _allowed_entries() -> list[str]:
    return [str(entry).strip().lower() for entry in getattr(settings, "OUTBOUND_ALLOWED_HOSTS", [])]


def _allow_listed(host: str) -> bool:
    """Whether the operator allowed this host by name, by address or by network."""
    entries = _allowed_entries()
    if not entries:
        return False
    if host.lower() in entries:
        return True
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue  # a host name: compared above
    if not networks:
        return False
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    # Every address the name resolves to must lie in an allowed network.
    return bool(addresses) and all(
        any(ipaddress.ip_address(address.split("%")[0]) in net for net in networks)
        for address in addresses
    )


def _internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def validate_public_url(url: str) -> None:
    """Model/form validator for configured URLs: http(s), and a host that does not resolve to
    an internal address (unless allow-listed). An unresolvable host is accepted here (DNS
    may come later); the call itself is checked again on the address it connects to."""
    try:
        host = check_url(url)
    except OutboundRefused as exc:
        raise ValidationError(str(exc)) from exc
    if _allow_listed(host):
        return
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except OSError:
        return
    if any(_internal(address) for address in addresses):
        raise ValidationError(
            _(
                "Diese Adresse zeigt in ein internes Netz. Für Fachverfahren im eigenen Netz "
                "muss der Betrieb sie freigeben (OUTBOUND_ALLOWED_HOSTS)."
            )
        )


def check_url(url: str) -> str:
    """The host of a usable URL; OutboundRefused for anything but http(s) with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise OutboundRefused(_("Nur http- und https-Adressen sind erlaubt."))
    if not parts.hostname:
        raise OutboundRefused(_("Die Adresse enthält keinen Rechnernamen."))
    return parts.hostname


def send(
    method: str,
    url: str,
    *,
    data: Any = None,
    headers: dict[str, str] | None = None,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> OutboundAnswer:
    """Make one request under the rules above and read at most `max_bytes` of the answer."""
    host = check_url(url)
    session = _manager(filtered=not _allow_listed(host)).get_session()
    try:
        with (
            session,
            session.request(
                method, url, data=data, headers=headers, timeout=timeout, stream=True
            ) as response,
        ):
            body = response.raw.read(max_bytes + 1, decode_content=True) or b""
            return OutboundAnswer(
                status=response.status_code,
                body=body[:max_bytes],
                size=len(body),
                truncated=len(body) > max_bytes,
            )
    except InvalidIPAddress as exc:
        raise OutboundRefused(
            _("Die Adresse zeigt in ein internes Netz und wird nicht aufgerufen.")
        ) from exc
    except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema) as exc:
        raise OutboundRefused(_("Die Adresse ist ungültig.")) from exc
    except (requests.RequestException, OSError) as exc:
        raise OutboundUnreachable(str(exc)) from exc
