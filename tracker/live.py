"""Live status by polling: tiny JSON answers with an ETag (core.conditional) that the pages'
script (frontend/static/js/live-status.js) asks every few seconds with `If-None-Match`, so an
unchanged report costs one indexed query and a bodyless 304. Why polling and not server-sent
events: docs/architecture.md, "Live status".

* `/verfolgen/<token>/stand.json` — the reporter's tracking page (status, last update);
* `/meldungen/<id>/stand.json` — a report's public page (public reports only);
* `/konto/anliegen/stand.json?ids=1,2` — the citizen's own reports on "Meine Anliegen".

The staff queue's endpoint is tracker.staff.live (it needs the staff room's scope)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import params
from core.conditional import json_with_etag

from . import selectors
from .models import Report, ReportEvent

MAX_IDS = 100


def event_text(event: ReportEvent) -> str:
    """One line for the newest public history entry, as the history list words it."""
    parts = [str(event.get_kind_display())]
    if event.kind == ReportEvent.Kind.STATUS and event.to_status:
        parts.append(
            _("Status: %(old)s → %(new)s")
            % {"old": event.get_from_status_display(), "new": event.get_to_status_display()}
        )
    if event.note:
        parts.append(event.note[:300])
    return " – ".join(parts)


def _when(moment: Any) -> dict[str, str]:
    local = timezone.localtime(moment)
    return {"iso": local.isoformat(), "text": formats.date_format(local, "j. F Y, H:i")}


def report_state(report: Report) -> dict[str, Any]:
    latest = selectors.public_history(report).order_by("-created_at", "-id").first()
    state: dict[str, Any] = {
        "id": report.pk,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "last_update": event_text(latest) if latest else "",
        "last_update_at": _when(latest.created_at) if latest else None,
        "updated_at": _when(report.updated_at),
    }
    return state


@require_GET
def track_state(request: HttpRequest, token: str) -> HttpResponse:
    report = get_object_or_404(Report.objects.only("status", "updated_at"), tracking_token=token)
    return json_with_etag(request, report_state(report))


@require_GET
def public_state(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.public_reports(), pk=pk)
    return json_with_etag(request, report_state(report))


def ids_from(request: HttpRequest) -> list[int]:
    """The ids a list page asks about (`?ids=1,2,3`); a bad list is a 400 with our message."""
    try:
        return params.integer_list(request.GET.get("ids"), "ids", max_items=MAX_IDS)
    except ValidationError as exc:
        raise params.bad_request(exc) from exc


def list_states(reports: QuerySet[Report], ids: list[int]) -> list[dict[str, Any]]:
    rows = reports.filter(pk__in=ids).order_by("pk")
    return [
        {
            "id": report.pk,
            "status": report.status,
            "status_label": str(report.get_status_display()),
            "updated_at": _when(report.updated_at),
        }
        for report in rows
    ]


@require_GET
def my_states(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    ids = ids_from(request)
    states = list_states(selectors.reports_of_user(request.user.pk), ids)
    return json_with_etag(request, {"reports": states})
