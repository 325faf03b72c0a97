"""FixMyStreet's `servicerequestupdates` extension of GeoReport v2: GET lists public updates
of public requests in a time window; POST records a client's update (open311.updates)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from tracker.permissions import NotPermitted
from tracker.services import MAX_DESCRIPTION

from . import params, selectors
from .attributes import parse_w3_datetime
from .render import Open311Error, render
from .services import api_key_authenticate
from .updates import (
    FMS_UPDATE_STATUSES,
    UpdateSubmission,
    UpdateTargetNotFound,
    open311_update_post,
)
from .views import open311_view

# FixMyStreet's status words (mySociety open311-adapter) for our workflow states.
FMS_STATUS = {
    "new": "open",
    "in_review": "investigating",
    "planned": "action_scheduled",
    "in_progress": "in_progress",
    "done": "fixed",
    "rejected": "no_further_action",
    "duplicate": "duplicate",
    "forwarded": "internal_referral",
}


def _get_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    jurisdiction = params.jurisdiction(request)
    start, end = params.window(
        params.date(request, "start_date"), params.date(request, "end_date"), open_ended=False
    )
    ids_raw = params.param(request, "service_request_id")
    ids = params.ids(ids_raw) if ids_raw else None
    events = selectors.service_request_updates(
        start=start, end=end, report_ids=ids, jurisdiction=jurisdiction
    )[: params.MAX_REQUESTS]
    items = [
        {
            "update_id": str(event.pk),
            "service_request_id": str(event.report_id),
            "status": FMS_STATUS.get(event.status_then or "new", "open"),  # type: ignore[attr-defined]
            "updated_datetime": event.created_at,
            "description": event.note,
            "media_url": None,
            "external_status_code": event.status_then or "new",  # type: ignore[attr-defined]
        }
        for event in events
    ]
    return render(fmt, "service_request_updates", items, item="request_update")


MAX_UPDATE_ID = 100


def _required_errors(request: HttpRequest) -> list[str]:
    errors: list[str] = []
    if not params.param(request, "service_request_id"):
        errors.append(_("service_request_id fehlt."))
    update_id = params.param(request, "update_id")
    if not update_id:
        errors.append(_("update_id fehlt."))
    elif len(update_id) > MAX_UPDATE_ID:
        errors.append(_("update_id: höchstens %(max)d Zeichen.") % {"max": MAX_UPDATE_ID})
    status = params.param(request, "status").upper()
    if not status:
        errors.append(_("status fehlt."))
    elif status not in FMS_UPDATE_STATUSES:
        errors.append(
            _("status: „%(status)s“ ist unbekannt (erlaubt: %(allowed)s).")
            % {"status": status[:40], "allowed": ", ".join(FMS_UPDATE_STATUSES)}
        )
    updated = params.param(request, "updated_datetime")
    if not updated:
        errors.append(_("updated_datetime fehlt."))
    elif parse_w3_datetime(updated) is None:
        errors.append(
            _("updated_datetime: Datum im W3C-Format erwartet, z. B. 2026-01-01T00:00:00Z.")
        )
    return errors


def _update_submission(request: HttpRequest) -> UpdateSubmission:
    """The POSTed update; every argument error at once as one 400."""
    errors = _required_errors(request)
    description = params.param(request, "description")
    if len(description) > MAX_DESCRIPTION:
        errors.append(_("description: höchstens %(max)d Zeichen.") % {"max": MAX_DESCRIPTION})
    # FixMyStreet may send several media_url fields; we keep the first one for staff.
    media_urls = [u.strip() for u in request.POST.getlist("media_url") if u.strip()]
    media_url = media_urls[0] if media_urls else ""
    url_error = params.media_url_error(media_url) if media_url else None
    if url_error:
        errors.append(url_error)
    if errors:
        raise Open311Error(400, *errors)
    return UpdateSubmission(
        service_request_id=params.param(request, "service_request_id"),
        update_id=params.param(request, "update_id"),
        status=params.param(request, "status").upper(),
        description=description,
        media_url=media_url,
    )


def _post_update(request: HttpRequest, fmt: str) -> HttpResponse:
    api_key = api_key_authenticate(params.param(request, "api_key"))
    if api_key is None:
        raise Open311Error(403, _("api_key fehlt oder ist ungültig."))
    jurisdiction = params.jurisdiction(request)
    submission = _update_submission(request)
    try:
        record, _created = open311_update_post(
            submission, api_key=api_key, jurisdiction=jurisdiction
        )
    except UpdateTargetNotFound as exc:
        raise Open311Error(
            404,
            _("service_request_id „%(id)s“ wurde nicht gefunden.")
            % {"id": submission.service_request_id[:30]},
        ) from exc
    except NotPermitted as exc:
        raise Open311Error(403, str(exc)) from exc
    except ValidationError as exc:
        raise Open311Error(400, *params.messages(exc)) from exc
    data = {"update_id": str(record.event_id)}
    return render(fmt, "service_request_updates", [data], item="request_update")


@open311_view("GET", "POST")
def service_request_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    """FixMyStreet's extension: GET lists public updates of public requests in a time window;
    POST records a client's update (tracker.open311.updates)."""
    if request.method == "POST":
        return _post_update(request, fmt)
    return _get_updates(request, fmt)
