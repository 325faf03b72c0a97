"""Where an XZuFi document comes from (a path or an http(s) URL) and one import run: read,
parse, apply in one transaction, log the run (ImportRun) with its change summary."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError
from django.utils.translation import gettext as _

from core import net

from ..models import ImportRun
from .apply import Summary, apply_catalogue
from .parse import parse_bytes
from .text import ParseError

logger = logging.getLogger(__name__)


class ImportFailed(Exception):
    """The source could not be read or is no readable XZuFi catalogue; nothing was written."""


def read_source(source: str) -> bytes:
    if source.startswith(("http://", "https://")):
        try:
            answer = net.send(
                "GET",
                source,
                headers={"Accept": "application/xml"},
                timeout=(10.0, float(settings.XZUFI_READ_TIMEOUT)),
                max_bytes=settings.XZUFI_MAX_BYTES,
            )
        except (net.OutboundRefused, net.OutboundUnreachable) as exc:
            raise ImportFailed(
                _("%(url)s nicht abrufbar: %(error)s") % {"url": source, "error": exc}
            ) from exc
        if answer.status != 200:
            raise ImportFailed(
                _("%(url)s antwortet mit HTTP %(status)s")
                % {"url": source, "status": answer.status}
            )
        if answer.truncated:
            raise ImportFailed(_("%(url)s ist größer als XZUFI_MAX_BYTES") % {"url": source})
        return answer.body
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise ImportFailed(
            _("%(path)s nicht lesbar: %(error)s") % {"path": source, "error": exc.strerror}
        ) from exc


def run_import(source: str, *, commit: bool) -> Summary:
    """Import `source`; the run and its summary (or its error) are logged as an ImportRun when
    committing. ImportFailed when nothing could be imported."""
    try:
        parsed = parse_bytes(read_source(source))
        summary = apply_catalogue(parsed, commit=commit)
    except ParseError as exc:
        _log_run(source, commit, ok=False, message=f"XZuFi: {exc}")
        raise ImportFailed(f"XZuFi: {exc}") from exc
    except ImportFailed as exc:
        _log_run(source, commit, ok=False, message=str(exc))
        raise
    except DatabaseError as exc:
        # Rolled back as a whole (apply_catalogue runs in one transaction).
        message = f"XZuFi: Datenbank hat den Import abgelehnt, nichts geschrieben: {exc}"
        _log_run(source, commit, ok=False, message=message)
        raise ImportFailed(message) from exc
    _log_run(source, commit, ok=True, summary=summary)
    return summary


def _log_run(
    source: str, commit: bool, *, ok: bool, message: str = "", summary: Summary | None = None
) -> None:
    if summary is not None:
        message = "; ".join(summary.lines()[:4])
    level = logging.INFO if ok else logging.ERROR
    logger.log(
        level, "XZuFi import of %s (%s): %s", source, "commit" if commit else "dry run", message
    )
    if commit:
        ImportRun.objects.create(
            source=source[:1000],
            committed=commit,
            ok=ok,
            summary=summary.as_dict() if summary else {},
            message=message,
        )
