"""`import_oparl`: System → Body → organization, meeting and paper lists.

Lists are paged (`links.next`); with a previous complete sync, the lists are asked only for
objects `modified_since` then. A page that cannot be read (timeout, 5xx after retries, not
JSON) is logged with its URL; when the list numbers its pages (`?page=N` and
`pagination.totalPages`) the import goes on with the next page, else the list ends there. A
broken object is logged with its id and skipped (its savepoint rolled back), the rest is
stored. The sync time advances only after a run without errors, so the next incremental run
asks again for what was missed. A dry run does everything and rolls back at the end.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from boundaries.models import Authority

from ..models import OParlSource
from .client import Fetcher, HttpFetcher, PageError, with_params
from .mapping import BadObject, Mapper, oparl_id
from .summary import Summary

log = logging.getLogger("events.oparl")

LISTS: tuple[tuple[str, str], ...] = (
    ("organization", "organization"),
    ("meeting", "meeting"),
    ("paper", "paper"),
)


class Importer:
    def __init__(self, source: OParlSource, fetcher: Fetcher, summary: Summary) -> None:
        self.source = source
        self.fetcher = fetcher
        self.summary = summary
        self.max_pages = int(getattr(settings, "OPARL_MAX_PAGES", 2000))

    def _get(self, url: str) -> Any:
        data = self.fetcher.get(url)
        self.summary.pages += 1
        return data

    def _failed(self, url: str, reason: str) -> None:
        log.warning("OParl: %s: %s", url, reason)
        self.summary.error(url, reason)

    def pages(self, first: str) -> Iterator[dict[str, Any]]:
        """The objects of a paged list, page by page."""
        url: str | None = first
        seen: set[str] = set()
        total_pages = 0
        while url and url not in seen and len(seen) < self.max_pages:
            seen.add(url)
            try:
                page = self._get(url)
                if not isinstance(page, dict) or not isinstance(page.get("data"), list):
                    raise PageError(url, "keine OParl-Liste (data fehlt)")
            except PageError as exc:
                self._failed(exc.url, exc.reason)
                url = _page_after(url, total_pages)
                continue
            pagination = page.get("pagination") or {}
            if isinstance(pagination.get("totalPages"), int):
                total_pages = pagination["totalPages"]
            yield from (item for item in page["data"] if item is not None)
            links = page.get("links") or {}
            url = links.get("next") if isinstance(links.get("next"), str) else None

    def each(self, kind: str, first: str, handle: Callable[[dict[str, Any]], None]) -> None:
        for item in self.pages(first):
            label = item.get("id") if isinstance(item, dict) else None
            try:
                with transaction.atomic():
                    if not isinstance(item, dict):
                        raise BadObject("kein Objekt")
                    handle(item)
            except (BadObject, ValidationError, DatabaseError, KeyError, TypeError) as exc:
                self._failed(str(label or first), f"{kind}: {_reason(exc)}")

    def run(self, since: datetime | None) -> None:
        try:
            system = self._get(self.source.system_url)
            if not isinstance(system, dict) or not str(system.get("type", "")).endswith("/System"):
                raise PageError(self.source.system_url, "kein OParl-System-Objekt")
            bodies = system.get("body")
            if not isinstance(bodies, str):
                raise PageError(self.source.system_url, "das System nennt keine Körperschaften")
        except PageError as exc:
            self._failed(exc.url, exc.reason)
            return
        for body in self.pages(bodies):
            self.body(body, since)

    def body(self, body: dict[str, Any], since: datetime | None) -> None:
        try:
            label = oparl_id(body)
        except BadObject:
            self._failed(self.source.system_url, "Körperschaft ohne id")
            return
        authority = self.authority_for(body)
        if authority is None:
            self._failed(
                label,
                f"keine Behörde zugeordnet (AGS „{body.get('ags') or '–'}“ unbekannt); "
                "bitte am OParl-System eine Behörde angeben",
            )
            return
        self.summary.add("body", "unchanged")
        mapper = Mapper(self.source, authority, self.fetcher, self.summary)
        for kind, key in LISTS:
            first = body.get(key)
            if not isinstance(first, str):
                continue
            if since is not None:
                first = with_params(first, modified_since=since.isoformat(timespec="seconds"))
            self.each(kind, first, getattr(mapper, kind))

    def authority_for(self, body: dict[str, Any]) -> Authority | None:
        if self.source.authority_id is not None:
            return self.source.authority
        ags = str(body.get("ags") or "").strip()
        if not ags:
            return None
        return Authority.objects.filter(ags=ags, is_active=True).order_by("pk").first()


def _page_after(url: str, total_pages: int) -> str | None:
    """After a broken `?page=N`: page N+1 when the list said there are more."""
    parts = urlsplit(url)
    page = dict(parse_qsl(parts.query)).get("page", "")
    if not page.isdigit() or int(page) >= total_pages:
        return None
    return with_params(url, page=str(int(page) + 1))


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    if isinstance(exc, KeyError | TypeError):
        return f"unerwarteter Aufbau ({exc})"
    return str(exc)[:300]


def import_oparl(
    system_url: str,
    *,
    fetcher: Fetcher | None = None,
    authority: Authority | None = None,
    commit: bool = False,
    full: bool = False,
) -> Summary:
    """Import one OParl system; a dry run unless `commit`. Incremental after a complete
    sync unless `full`."""
    started = timezone.now()
    summary = Summary(system_url=system_url, commit=commit)
    with transaction.atomic():
        source, _created = OParlSource.objects.get_or_create(system_url=system_url)
        if authority is not None and source.authority_id != authority.pk:
            source.authority = authority
            source.save(update_fields=["authority"])
        since = None if full else source.last_synced_at
        summary.since = since.isoformat(timespec="seconds") if since else ""
        Importer(source, fetcher or HttpFetcher(), summary).run(since)
        source.last_run_at = started
        source.last_summary = str(summary)
        if summary.ok:
            source.last_synced_at = started
        source.save(update_fields=["last_run_at", "last_summary", "last_synced_at"])
        if not commit:
            transaction.set_rollback(True)
    log.info("%s", summary)
    return summary


def sync_all() -> list[Summary]:
    """The beat task: every active system, incrementally, committed."""
    return [
        import_oparl(source.system_url, authority=source.authority, commit=True)
        for source in OParlSource.objects.filter(is_active=True).select_related("authority")
    ]
