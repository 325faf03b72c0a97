"""Fetching OParl JSON: over HTTP through core.net (SSRF-safe, timeouts, size limit, a few
retries per page) or from a directory of JSON files (the demo data, offline imports).

Both raise `PageError` with the URL and a German reason when a page cannot be had; the
importer logs it and carries on with the rest.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings

from core import net

MAX_PAGE_BYTES = 8 * 1024 * 1024


class PageError(Exception):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class Fetcher(Protocol):
    def get(self, url: str) -> Any: ...


def with_params(url: str, **params: str) -> str:
    """The URL with query parameters added (or replaced)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))


def _decode(url: str, body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise PageError(url, "keine gültige JSON-Antwort") from None


class HttpFetcher:
    """GET with `OPARL_TIMEOUT` (connect, read seconds) and `OPARL_RETRIES` further tries
    after a network error or a 5xx answer (waiting `OPARL_RETRY_WAIT` seconds, doubling)."""

    def __init__(self) -> None:
        timeout = getattr(settings, "OPARL_TIMEOUT", (5.0, 30.0))
        self.timeout = (float(timeout[0]), float(timeout[1]))
        self.retries = int(getattr(settings, "OPARL_RETRIES", 2))
        self.wait = float(getattr(settings, "OPARL_RETRY_WAIT", 2.0))
        self.requests: list[str] = []  # every URL asked, for the summary and the tests

    def get(self, url: str) -> Any:
        reason = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.wait * 2 ** (attempt - 1))
            self.requests.append(url)
            try:
                answer = net.send(
                    "GET",
                    url,
                    headers={"Accept": "application/json"},
                    timeout=self.timeout,
                    max_bytes=MAX_PAGE_BYTES,
                )
            except net.OutboundRefused as exc:
                raise PageError(url, str(exc)) from exc
            except net.OutboundUnreachable as exc:
                reason = "keine Antwort (Zeitüberschreitung oder Verbindungsfehler)"
                if "timed out" not in str(exc).lower():
                    reason = f"keine Antwort ({str(exc)[:120]})"
                continue
            if answer.status >= 500:
                reason = f"Serverfehler {answer.status}"
                continue
            if answer.status != 200:
                raise PageError(url, f"Antwort {answer.status}")
            if answer.truncated:
                raise PageError(url, "Antwort zu groß")
            return _decode(url, answer.body)
        raise PageError(url, f"{reason}, {self.retries + 1} Versuche")


class DirectoryFetcher:
    """OParl JSON from files: the URL's path below `base_url` names the file, query
    parameters are ignored except `page` (`meetings?page=2` → `meetings_page2.json`)."""

    def __init__(self, root: Path, base_url: str) -> None:
        self.root = root.resolve()
        self.base_url = base_url.rstrip("/") + "/"
        self.requests: list[str] = []

    def get(self, url: str) -> Any:
        self.requests.append(url)
        if not url.startswith(self.base_url):
            raise PageError(url, "liegt nicht unter der Basisadresse des Verzeichnisses")
        parts = urlsplit(url)
        name = parts.path[len(urlsplit(self.base_url).path) :].strip("/") or "system"
        page = dict(parse_qsl(parts.query)).get("page", "")
        if page and page != "1":
            name = f"{name}_page{page}"
        path = (self.root / f"{name}.json").resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise PageError(url, "Datei nicht gefunden")
        return _decode(url, path.read_bytes())
