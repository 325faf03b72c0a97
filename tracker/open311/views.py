"""GeoReport v2 endpoints. Plain Django views: the spec fixes element names, error documents
and content types closely enough that a generic API framework would be in the way.

Every failure answers with the spec's error document (400, 403 or 404), never a 500: the spec
itself asks for 400 on "any failure during request processing"."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from boundaries.models import Authority, Level
from boundaries.services import OutsideServiceArea
from core.images import PhotoRejected
from tracker.map_geojson import media_prefix
from tracker.models import OPEN_STATUSES, Category, Report
from tracker.services import MAX_PHOTOS, Contact

from . import params, selectors
from .attributes import raw_attributes, validate_attributes
from .list_json import requests_json
from .models import LIST_DATATYPES, ServiceAttribute
from .render import FORMATS, Open311Error, render, render_error
from .services import (
    Open311Submission,
    OutsideJurisdiction,
    api_key_authenticate,
    open311_request_create,
)

logger = logging.getLogger(__name__)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this interface last changed in a way clients should notice (discovery `changeset`).
CHANGESET = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

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
                # A bug, not bad input (every input error is an Open311Error above): logged
                # with its traceback and answered as a 500, in the spec's error format.
                logger.exception("Open311 request failed: %s %s", request.method, request.path)
                return render_error(
                    fmt,
                    Open311Error(
                        500, _("Interner Fehler bei der Verarbeitung. Bitte melden Sie uns das.")
                    ),
                )

        return wrapper

    return decorate


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
    categories = selectors.services(params.jurisdiction(request))
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
    category = params.service(service_code, params.jurisdiction(request))
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


def _get_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    extensions = params.extensions(request)
    jurisdiction = params.jurisdiction(request)
    ids_raw = params.param(request, "service_request_id")
    statuses = params.comma_list(params.param(request, "status").lower())
    unknown = [s for s in statuses if s not in ("open", "closed")]
    if unknown:
        raise Open311Error(
            400, _("status: „%(status)s“ ist nicht open oder closed.") % {"status": unknown[0]}
        )
    start, end = params.date(request, "start_date"), params.date(request, "end_date")
    updated_after = updated_before = bbox = None
    page, page_size = 1, params.MAX_REQUESTS
    if extensions:
        updated_after = params.date(request, "updated_after")
        updated_before = params.date(request, "updated_before")
        bbox = params.bbox(params.param(request, "bbox")) if params.param(request, "bbox") else None
        page = params.positive_int(request, "page", 1, 1_000_000)
        page_size = params.positive_int(
            request, "page_size", params.MAX_REQUESTS, params.MAX_REQUESTS
        )
    if ids_raw:
        # the spec: ids override every other argument; ids that cannot exist match nothing
        query = selectors.RequestFilter(
            ids=params.ids(ids_raw),
            jurisdiction=jurisdiction,
        )
    else:
        start, end = params.window(start, end, open_ended=bool(updated_after or updated_before))
        query = selectors.RequestFilter(
            service_codes=params.comma_list(params.param(request, "service_code")),
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
    prefix = media_prefix()
    if fmt == "json" and prefix is not None:
        # PostgreSQL writes the document (the same bytes as below, tracker.open311.list_json)
        body = requests_json(
            request, reports, extensions=extensions, language=get_language() or "de", prefix=prefix
        )
        return HttpResponse(body, content_type=FORMATS["json"])
    items = [request_data(request, r, extensions=extensions) for r in reports]
    return render(fmt, "service_requests", items, item="request")


def _email_error(raw: str) -> str | None:
    try:
        validate_email(raw)
    except ValidationError:
        return _("email: keine gültige E-Mail-Adresse.")
    return None


def _submission(request: HttpRequest, category: Category, point: Point) -> Open311Submission:
    """The POSTed request as a submission; every argument error at once as one 400."""
    definition = getattr(category, "attribute_list", [])
    values, errors = validate_attributes(definition, raw_attributes(request.POST.lists()))
    media_url = params.param(request, "media_url")
    email = params.param(request, "email")
    photos = request.FILES.getlist("media")
    errors += [
        error
        for error in (
            params.media_url_error(media_url) if media_url else None,
            _email_error(email) if email else None,
            _("media: höchstens %(max)d Dateien.") % {"max": MAX_PHOTOS}
            if len(photos) > MAX_PHOTOS
            else None,
        )
        if error
    ]
    if errors:
        raise Open311Error(400, *errors)
    names = (params.param(request, "first_name"), params.param(request, "last_name"))
    return Open311Submission(
        category=category,
        point=point,
        description=params.param(request, "description"),
        contact=Contact(
            email=email, name=" ".join(n for n in names if n), phone=params.param(request, "phone")
        ),
        address=params.param(request, "address_string"),
        attributes=values,
        device_id=params.param(request, "device_id"),
        account_id=params.param(request, "account_id"),
        media_url=media_url,
        photos=photos,
        language=get_language() or "de",
    )


def _create(submission: Open311Submission, api_key: Any, jurisdiction: Authority | None) -> Any:
    """Run the intake; its refusals become the spec's error document."""
    try:
        return open311_request_create(submission, api_key=api_key, jurisdiction=jurisdiction)
    except ValidationError as exc:
        raise Open311Error(400, *params.messages(exc)) from exc
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


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    api_key = api_key_authenticate(params.param(request, "api_key"))
    if api_key is None:
        raise Open311Error(403, _("api_key fehlt oder ist ungültig."))
    jurisdiction = params.jurisdiction(request)
    code = params.param(request, "service_code")
    if not code:
        raise Open311Error(400, _("service_code fehlt."))
    category = params.service(code, jurisdiction)
    submission = _submission(request, category, params.location(request))
    report, token = _create(submission, api_key, jurisdiction)
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
    jurisdiction = params.jurisdiction(request)
    not_found = Open311Error(
        404,
        _("service_request_id „%(id)s“ wurde nicht gefunden.") % {"id": service_request_id[:30]},
    )
    if not params.is_id(service_request_id):
        raise not_found
    api_key = api_key_authenticate(params.param(request, "api_key"))
    report = selectors.service_request(
        int(service_request_id),
        token=params.param(request, "token"),
        api_key_id=api_key.pk if api_key else None,
    )
    if report is None or (
        jurisdiction is not None
        and not selectors.in_jurisdiction(
            Report.objects.filter(pk=report.pk), jurisdiction
        ).exists()
    ):
        raise not_found
    data = request_data(request, report, extensions=params.extensions(request))
    return render(fmt, "service_requests", [data], item="request")


@open311_view("GET")
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    jurisdiction = params.jurisdiction(request)
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


@csrf_exempt
def not_found(request: HttpRequest, path: str) -> HttpResponse:
    """Anything else under /open311/v2/: the spec's 404 document (JSON for a .json path)."""
    fmt = "json" if path.lower().endswith(".json") else "xml"
    return render_error(fmt, Open311Error(404, _("Diese Ressource gibt es nicht.")))
