"""GeoReport v2 endpoints. Plain Django views: the spec fixes element names, error documents
and content types closely enough that a generic API framework would be in the way.

Every failure answers with the spec's error document (400, 403 or 404), never a 500: the spec
itself asks for 400 on "any failure during request processing"."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point, Polygon
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from boundaries.models import Authority, Level
from boundaries.services import OutsideServiceArea
from core.images import PhotoRejected
from geo.srid import InvalidCoordinates, wgs84_point
from tracker.models import OPEN_STATUSES, Category, Report
from tracker.permissions import NotPermitted
from tracker.services import MAX_DESCRIPTION, MAX_PHOTOS, Contact

from . import selectors
from .attributes import parse_w3_datetime, raw_attributes, validate_attributes
from .models import LIST_DATATYPES, ServiceAttribute
from .render import FORMATS, Open311Error, render, render_error
from .services import (
    Open311Submission,
    OutsideJurisdiction,
    api_key_authenticate,
    open311_request_create,
)
from .updates import (
    FMS_UPDATE_STATUSES,
    UpdateSubmission,
    UpdateTargetNotFound,
    open311_update_post,
)

logger = logging.getLogger(__name__)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this interface last changed in a way clients should notice (discovery `changeset`).
CHANGESET = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
MAX_WINDOW = timedelta(days=90)
MAX_REQUESTS = 1000

View = Callable[..., HttpResponse]


def open311_view(*methods: str) -> Callable[[View], View]:
    """Format from the URL suffix, allowed methods, and every error as the spec's document."""

    def decorate(view: View) -> View:
        @csrf_exempt  # API clients, authenticated by api_key, not by a session cookie
        @wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            fmt = fmt.lower()
            if fmt not in FORMATS:
                return render_error(
                    "xml",
                    Open311Error(
                        400, _("Unbekanntes Format „%(fmt)s“: xml oder json.") % {"fmt": fmt}
                    ),
                )
            try:
                allowed = (*methods, "HEAD") if "GET" in methods else methods
                if request.method not in allowed:
                    raise Open311Error(
                        400,
                        _("Methode %(method)s wird hier nicht unterstützt.")
                        % {"method": request.method},
                    )
                return view(request, fmt, **kwargs)
            except Open311Error as exc:
                return render_error(fmt, exc)
            except Exception:
                logger.exception("Open311 request failed: %s %s", request.method, request.path)
                return render_error(
                    fmt,
                    Open311Error(
                        400, _("Allgemeiner Fehler bei der Verarbeitung. Bitte melden Sie uns das.")
                    ),
                )

        return wrapper

    return decorate


def _param(request: HttpRequest, name: str) -> str:
    """A request argument; empty counts as absent (the spec's "Optional Arguments"). NUL
    characters are dropped: PostgreSQL text cannot hold them."""
    value = request.POST.get(name) if request.method == "POST" else None
    if value is None:
        value = request.GET.get(name)
    return (value or "").replace("\x00", "").strip()


def _extensions(request: HttpRequest) -> bool:
    return _param(request, "extensions").lower() in ("true", "1")


def _jurisdiction(request: HttpRequest) -> Authority | None:
    raw = _param(request, "jurisdiction_id")
    if not raw:
        return None
    jurisdiction = selectors.jurisdiction_by_id(raw)
    if jurisdiction is None:
        raise Open311Error(
            404, _("jurisdiction_id „%(id)s“ wurde nicht gefunden.") % {"id": raw[:100]}
        )
    return jurisdiction


def _service(code: str, jurisdiction: Authority | None) -> Category:
    category = selectors.services(jurisdiction).filter(slug=code).first()
    if category is None:
        raise Open311Error(
            404, _("service_code „%(code)s“ wurde nicht gefunden.") % {"code": code[:100]}
        )
    return category


# --- discovery and services ---------------------------------------------------------------


@open311_view("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:root"))
    data = {
        "changeset": CHANGESET,
        "contact": getattr(settings, "OPEN311_CONTACT", settings.DEFAULT_FROM_EMAIL),
        "key_service": _("API-Schlüssel vergibt der Betreiber des Portals: %(contact)s")
        % {"contact": getattr(settings, "OPEN311_CONTACT", settings.DEFAULT_FROM_EMAIL)},
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base.rstrip("/"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", data)


def _group(category: Category) -> str:
    return str(Level(category.level).label) if category.level in Level.values else ""


def service_data(category: Category) -> dict[str, Any]:
    attributes: list[ServiceAttribute] = getattr(category, "attribute_list", [])
    return {
        "service_code": category.slug,
        "service_name": category.localized_name(),
        "description": category.description,
        "metadata": bool(attributes),
        "type": "realtime",
        "keywords": category.name_en if get_language() != "en" else category.name,
        "group": _group(category),
    }


@open311_view("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    categories = selectors.services(_jurisdiction(request))
    return render(fmt, "services", [service_data(c) for c in categories], item="service")


def attribute_data(attribute: ServiceAttribute) -> dict[str, Any]:
    data: dict[str, Any] = {
        "variable": attribute.variable,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": attribute.datatype_description or None,
        "order": attribute.order,
        "description": attribute.description,
    }
    if attribute.datatype in LIST_DATATYPES:
        data["values"] = [
            {"key": str(v["key"]), "name": str(v["name"])} for v in attribute.values or []
        ]
    return data


@open311_view("GET")
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    category = _service(service_code, _jurisdiction(request))
    data = {
        "service_code": category.slug,
        "attributes": [attribute_data(a) for a in getattr(category, "attribute_list", [])],
    }
    return render(fmt, "service_definition", data)


# --- service requests ----------------------------------------------------------------------


def request_data(request: HttpRequest, report: Report, *, extensions: bool) -> dict[str, Any]:
    """A report as the spec's `request`. Public view only: approximate location, released
    photos, no contact data and no free-text address (it may name the reporter's home)."""
    photos = getattr(report, "public_photos", [])
    media_urls = [request.build_absolute_uri(p.image.url) for p in photos]
    lon, lat = report.public_lon, report.public_lat  # type: ignore[attr-defined]
    is_open = report.status in OPEN_STATUSES
    data: dict[str, Any] = {
        "service_request_id": str(report.pk),
        "status": "open" if is_open else "closed",
        "status_notes": getattr(report, "status_notes", None) or None,
        "service_name": report.category.localized_name(),
        "service_code": report.category.slug,
        "description": report.description,
        "agency_responsible": report.authority.name,
        "service_notice": None,
        "requested_datetime": report.created_at,
        "updated_datetime": report.updated_at,
    }
    # the due date set by the workflow, while the request is open
    expected = getattr(report, "expected_at", None)
    if is_open and expected is not None:
        data["expected_datetime"] = expected
    data.update(
        {
            "address": None,
            "lat": round(lat, 6),
            "long": round(lon, 6),
            "media_url": media_urls[0] if media_urls else None,
        }
    )
    if extensions:
        data["extended_attributes"] = {
            "detailed_status": report.status,
            "title": f"{report.category.localized_name()} ({report.reference})",
            "media_urls": media_urls,
        }
    return data


def _date(request: HttpRequest, name: str) -> datetime | None:
    raw = _param(request, name)
    if not raw:
        return None
    moment = parse_w3_datetime(raw)
    if moment is None:
        raise Open311Error(
            400,
            _("%(name)s: Datum im W3C-Format erwartet, z. B. 2026-01-01T00:00:00Z.")
            % {"name": name},
        )
    return moment


def _positive_int(request: HttpRequest, name: str, default: int, maximum: int) -> int:
    raw = _param(request, name)
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise Open311Error(400, _("%(name)s: positive ganze Zahl erwartet.") % {"name": name})
    return min(int(raw), maximum)


def _bbox(raw: str) -> Polygon:
    parts = raw.split(",")
    error = Open311Error(400, _("bbox: vier Zahlen minLon,minLat,maxLon,maxLat erwartet."))
    if len(parts) != 4:
        raise error
    try:
        low = wgs84_point(parts[0], parts[1])
        high = wgs84_point(parts[2], parts[3])
    except InvalidCoordinates as exc:
        raise error from exc
    if low.x >= high.x or low.y >= high.y:
        raise error
    return Polygon.from_bbox((low.x, low.y, high.x, high.y))


def _window(
    start: datetime | None, end: datetime | None, *, open_ended: bool
) -> tuple[datetime | None, datetime | None]:
    """The requested_datetime window: at most 90 days, the latest 90 days by default."""
    if start is None and end is None:
        return (None, None) if open_ended else (timezone.now() - MAX_WINDOW, None)
    if start is None:
        assert end is not None  # noqa: S101 - narrowed for the type checker
        return end - MAX_WINDOW, end
    if end is None:
        return start, start + MAX_WINDOW
    if end < start:
        raise Open311Error(400, _("end_date liegt vor start_date."))
    if end - start > MAX_WINDOW:
        raise Open311Error(
            400, _("Zwischen start_date und end_date dürfen höchstens 90 Tage liegen.")
        )
    return start, end


def _list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()][:MAX_REQUESTS]


def _ids(raw: str) -> list[int]:
    """Comma-separated request ids; ones that cannot exist (not a number) match nothing."""
    return [int(i) for i in _list(raw) if i.isdigit() and len(i) < 19]


def _get_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    extensions = _extensions(request)
    jurisdiction = _jurisdiction(request)
    ids_raw = _param(request, "service_request_id")
    statuses = _list(_param(request, "status").lower())
    unknown = [s for s in statuses if s not in ("open", "closed")]
    if unknown:
        raise Open311Error(
            400, _("status: „%(status)s“ ist nicht open oder closed.") % {"status": unknown[0]}
        )
    start, end = _date(request, "start_date"), _date(request, "end_date")
    updated_after = updated_before = bbox = None
    page, page_size = 1, MAX_REQUESTS
    if extensions:
        updated_after = _date(request, "updated_after")
        updated_before = _date(request, "updated_before")
        bbox = _bbox(_param(request, "bbox")) if _param(request, "bbox") else None
        page = _positive_int(request, "page", 1, 1_000_000)
        page_size = _positive_int(request, "page_size", MAX_REQUESTS, MAX_REQUESTS)
    if ids_raw:
        # the spec: ids override every other argument; ids that cannot exist match nothing
        query = selectors.RequestFilter(
            ids=_ids(ids_raw),
            jurisdiction=jurisdiction,
        )
    else:
        start, end = _window(start, end, open_ended=bool(updated_after or updated_before))
        query = selectors.RequestFilter(
            service_codes=_list(_param(request, "service_code")),
            statuses=statuses,
            start=start,
            end=end,
            updated_after=updated_after,
            updated_before=updated_before,
            bbox=bbox,
            jurisdiction=jurisdiction,
        )
    offset = (page - 1) * page_size
    reports = selectors.service_requests(query)[offset : offset + page_size]
    items = [request_data(request, r, extensions=extensions) for r in reports]
    return render(fmt, "service_requests", items, item="request")


def _location(request: HttpRequest) -> Point:
    lat, long = _param(request, "lat"), _param(request, "long")
    if lat or long:
        if not (lat and long):
            raise Open311Error(400, _("lat und long müssen beide angegeben werden."))
        try:
            return wgs84_point(long, lat)
        except InvalidCoordinates as exc:
            raise Open311Error(400, f"lat/long: {exc}") from exc
    if _param(request, "address_string") or _param(request, "address_id"):
        raise Open311Error(
            400,
            _(
                "Eine Adresse allein können wir nicht verorten: bitte lat und long (WGS84) "
                "angeben; address_string wird zusätzlich gespeichert."
            ),
        )
    raise Open311Error(400, _("Ortsangabe fehlt: lat und long (WGS84) angeben."))


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{field}: {message}"
            for field, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [str(m) for m in exc.messages]


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    api_key = api_key_authenticate(_param(request, "api_key"))
    if api_key is None:
        raise Open311Error(403, _("api_key fehlt oder ist ungültig."))
    jurisdiction = _jurisdiction(request)
    code = _param(request, "service_code")
    if not code:
        raise Open311Error(400, _("service_code fehlt."))
    category = _service(code, jurisdiction)
    point = _location(request)

    errors: list[str] = []
    definition = getattr(category, "attribute_list", [])
    values, attribute_errors = validate_attributes(definition, raw_attributes(request.POST.lists()))
    errors += attribute_errors
    media_url = _param(request, "media_url")
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors.append(_("media_url: keine gültige http(s)-URL."))
    email = _param(request, "email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("email: keine gültige E-Mail-Adresse."))
    photos = request.FILES.getlist("media")
    if len(photos) > MAX_PHOTOS:
        errors.append(_("media: höchstens %(max)d Dateien.") % {"max": MAX_PHOTOS})
    if errors:
        raise Open311Error(400, *errors)

    name = " ".join(p for p in (_param(request, "first_name"), _param(request, "last_name")) if p)
    submission = Open311Submission(
        category=category,
        point=point,
        description=_param(request, "description"),
        contact=Contact(email=email, name=name, phone=_param(request, "phone")),
        address=_param(request, "address_string"),
        attributes=values,
        device_id=_param(request, "device_id"),
        account_id=_param(request, "account_id"),
        media_url=media_url,
        photos=photos,
        language=get_language() or "de",
    )
    try:
        report, token = open311_request_create(
            submission, api_key=api_key, jurisdiction=jurisdiction
        )
    except ValidationError as exc:
        raise Open311Error(400, *_messages(exc)) from exc
    except OutsideJurisdiction as exc:
        raise Open311Error(
            400,
            _("Der Ort liegt nicht im Gebiet von %(name)s (jurisdiction_id).")
            % {"name": jurisdiction.name if jurisdiction else ""},
        ) from exc
    except OutsideServiceArea as exc:
        raise Open311Error(400, str(exc)) from exc
    except PhotoRejected as exc:
        raise Open311Error(400, f"media: {exc.message}") from exc

    notice = _(
        "Ihre Meldung ist bei %(authority)s eingegangen. Sie wird öffentlich sichtbar, "
        "sobald sie über den Link in der Bestätigungs-E-Mail bestätigt wurde."
    ) % {"authority": report.authority.name}
    data = {
        "service_request_id": str(report.pk),
        "token": token.token,
        "service_notice": notice,
        "account_id": submission.account_id or None,
    }
    return render(fmt, "service_requests", [data], item="request")


@open311_view("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    return _get_requests(request, fmt)


@open311_view("GET")
def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    jurisdiction = _jurisdiction(request)
    not_found = Open311Error(
        404,
        _("service_request_id „%(id)s“ wurde nicht gefunden.") % {"id": service_request_id[:30]},
    )
    if not service_request_id.isdigit() or len(service_request_id) > 18:
        raise not_found
    api_key = api_key_authenticate(_param(request, "api_key"))
    report = selectors.service_request(
        int(service_request_id),
        token=_param(request, "token"),
        api_key_id=api_key.pk if api_key else None,
    )
    if report is None or (
        jurisdiction is not None
        and not selectors.in_jurisdiction(
            Report.objects.filter(pk=report.pk), jurisdiction
        ).exists()
    ):
        raise not_found
    data = request_data(request, report, extensions=_extensions(request))
    return render(fmt, "service_requests", [data], item="request")


@open311_view("GET")
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    jurisdiction = _jurisdiction(request)
    found = selectors.request_token(token)
    if found is None or (
        jurisdiction is not None
        and not selectors.in_jurisdiction(
            Report.objects.filter(pk=found.report_id), jurisdiction
        ).exists()
    ):
        raise Open311Error(404, _("token wurde nicht gefunden."))
    data = {"service_request_id": str(found.report_id), "token": found.token}
    return render(fmt, "service_requests", [data], item="request")


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
    jurisdiction = _jurisdiction(request)
    start, end = _window(_date(request, "start_date"), _date(request, "end_date"), open_ended=False)
    ids_raw = _param(request, "service_request_id")
    ids = _ids(ids_raw) if ids_raw else None
    events = selectors.service_request_updates(
        start=start, end=end, report_ids=ids, jurisdiction=jurisdiction
    )[:MAX_REQUESTS]
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


def _post_update(request: HttpRequest, fmt: str) -> HttpResponse:
    api_key = api_key_authenticate(_param(request, "api_key"))
    if api_key is None:
        raise Open311Error(403, _("api_key fehlt oder ist ungültig."))
    jurisdiction = _jurisdiction(request)
    errors: list[str] = []
    service_request_id = _param(request, "service_request_id")
    if not service_request_id:
        errors.append(_("service_request_id fehlt."))
    update_id = _param(request, "update_id")
    if not update_id:
        errors.append(_("update_id fehlt."))
    elif len(update_id) > MAX_UPDATE_ID:
        errors.append(_("update_id: höchstens %(max)d Zeichen.") % {"max": MAX_UPDATE_ID})
    status = _param(request, "status").upper()
    if not status:
        errors.append(_("status fehlt."))
    elif status not in FMS_UPDATE_STATUSES:
        errors.append(
            _("status: „%(status)s“ ist unbekannt (erlaubt: %(allowed)s).")
            % {"status": status[:40], "allowed": ", ".join(FMS_UPDATE_STATUSES)}
        )
    updated = _param(request, "updated_datetime")
    if not updated:
        errors.append(_("updated_datetime fehlt."))
    elif parse_w3_datetime(updated) is None:
        errors.append(
            _("updated_datetime: Datum im W3C-Format erwartet, z. B. 2026-01-01T00:00:00Z.")
        )
    description = _param(request, "description")
    if len(description) > MAX_DESCRIPTION:
        errors.append(_("description: höchstens %(max)d Zeichen.") % {"max": MAX_DESCRIPTION})
    # FixMyStreet may send several media_url fields; we keep the first one for staff.
    media_urls = [u.strip() for u in request.POST.getlist("media_url") if u.strip()]
    media_url = media_urls[0] if media_urls else ""
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors.append(_("media_url: keine gültige http(s)-URL."))
    if errors:
        raise Open311Error(400, *errors)

    submission = UpdateSubmission(
        service_request_id=service_request_id,
        update_id=update_id,
        status=status,
        description=description,
        media_url=media_url,
    )
    try:
        record, _created = open311_update_post(
            submission, api_key=api_key, jurisdiction=jurisdiction
        )
    except UpdateTargetNotFound as exc:
        raise Open311Error(
            404,
            _("service_request_id „%(id)s“ wurde nicht gefunden.")
            % {"id": service_request_id[:30]},
        ) from exc
    except NotPermitted as exc:
        raise Open311Error(403, str(exc)) from exc
    except ValidationError as exc:
        raise Open311Error(400, *_messages(exc)) from exc
    data = {"update_id": str(record.event_id)}
    return render(fmt, "service_request_updates", [data], item="request_update")


@open311_view("GET", "POST")
def service_request_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    """FixMyStreet's extension: GET lists public updates of public requests in a time window;
    POST records a client's update (tracker.open311.updates)."""
    if request.method == "POST":
        return _post_update(request, fmt)
    return _get_updates(request, fmt)


@csrf_exempt
def not_found(request: HttpRequest, path: str) -> HttpResponse:
    """Anything else under /open311/v2/: the spec's 404 document (JSON for a .json path)."""
    fmt = "json" if path.lower().endswith(".json") else "xml"
    return render_error(fmt, Open311Error(404, _("Diese Ressource gibt es nicht.")))
