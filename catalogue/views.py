"""Citizen and staff pages of the Serviceportal. Reads through catalogue.selectors and
catalogue.search, changes through catalogue.services. Every page works without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from accounts.models import User
from boundaries.places import search_places
from boundaries.services import OutsideServiceArea, authorities_at
from core import params

from . import schema_forms, selectors, services
from .identity import step_up_options
from .lebenslagen import catalogue_view, grouped
from .models import (
    Application,
    Attachment,
    Favourite,
    SavedPlace,
    Service,
)
from .payments import fee_preview, provider_for
from .responsibility import Responsibility, responsibilities
from .search import search_services

SESSION_PLACE = "catalogue:place"
# Abuse protection for filing applications and postbox messages, per account (settings).
DEFAULT_POST_RATE = "30/h"
MAX_RESULTS = 50
MAX_UPLOADS = 10


class AuthenticatedHttpRequest(HttpRequest):
    user: User


def post_rate(group: str, request: HttpRequest) -> str:
    return str(getattr(settings, "CATALOGUE_POST_RATE_PER_USER", DEFAULT_POST_RATE))


def _rate_limited(request: HttpRequest) -> HttpResponse | None:
    """The friendly 429 page of the report form, when this account posted too often."""
    if getattr(request, "limited", False):
        return render(request, "tracker/rate_limited.html", status=429)
    return None


@dataclass(frozen=True)
class Place:
    label: str
    lon: float
    lat: float

    @property
    def point(self) -> Point:
        return Point(self.lon, self.lat, srid=4326)

    def as_query(self) -> str:
        from urllib.parse import urlencode

        return urlencode({"lat": f"{self.lat:.6f}", "lon": f"{self.lon:.6f}", "ort": self.label})


@dataclass
class PlaceLookup:
    place: Place | None
    candidates: list[Place]
    error: str


def _float(value: str | None) -> float | None:
    try:
        number = float((value or "").replace(",", "."))
    except ValueError:
        return None
    return number if -180.0 <= number <= 180.0 else None


def _page_text(request: HttpRequest, name: str, max_length: int) -> str:
    """A search text from the query string; the 400 page for what no one can type (NUL)."""
    try:
        return params.text(request.GET.get(name), name, max_length=max_length)
    except ValidationError as exc:
        raise params.bad_request(exc) from exc


def resolve_place(request: HttpRequest) -> PlaceLookup:
    """The place to find offices for: coordinates, else an address searched in our own data
    (boundaries.places.search_places, as the report page's search), else the place chosen earlier in
    this session. A chosen place is remembered in the session."""
    lat, lon = _float(request.GET.get("lat")), _float(request.GET.get("lon"))
    text = " ".join(_page_text(request, "ort", 1000).split())[:200]
    if lat is not None and lon is not None and -90 <= lat <= 90:
        place = Place(text or f"{lat:.5f}, {lon:.5f}", lon, lat)
    elif text:
        hits = [Place(p.label, p.lon, p.lat) for p in search_places(text)]
        if not hits:
            return PlaceLookup(
                None, [], _("Zu „%(text)s“ haben wir keinen Ort gefunden.") % {"text": text}
            )
        place, candidates = hits[0], hits[1:6]
        request.session[SESSION_PLACE] = {"label": place.label, "lon": place.lon, "lat": place.lat}
        return PlaceLookup(place, candidates, "")
    elif "ort" in request.GET and not text:
        request.session.pop(SESSION_PLACE, None)
        return PlaceLookup(None, [], "")
    else:
        stored = request.session.get(SESSION_PLACE)
        if stored:
            place = Place(str(stored["label"]), float(stored["lon"]), float(stored["lat"]))
        else:
            # A logged-in citizen's address from the Bürgerkonto, if one is kept there.
            saved = (
                SavedPlace.objects.filter(user_id=request.user.pk).first()
                if request.user.is_authenticated
                else None
            )
            if saved is None:
                return PlaceLookup(None, [], "")
            place = Place(saved.label, saved.location.x, saved.location.y)
    request.session[SESSION_PLACE] = {"label": place.label, "lon": place.lon, "lat": place.lat}
    return PlaceLookup(place, [], "")


def _responsibilities_at(
    services_: list[Service], place: Place | None
) -> tuple[dict[int, Responsibility], str]:
    if place is None:
        return {}, ""
    covering = authorities_at(place.point)
    if not covering:
        return {}, str(OutsideServiceArea(place.point))
    return responsibilities(services_, covering), ""


# --- citizen pages -----------------------------------------------------------------------


@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    """Search the catalogue and, with a place, show the responsible office for each hit."""
    query = _page_text(request, "q", 1000)[:200]
    lookup = resolve_place(request)
    view = catalogue_view(request)
    situations = grouped() if not query and view == "lebenslagen" else []
    if situations and lookup.place is None and not lookup.error:
        return render(
            request,
            "catalogue/service_list.html",
            {"query": "", "lookup": lookup, "view": "lebenslagen", "situations": situations},
        )
    found = list(search_services(query)[:MAX_RESULTS])
    offices, place_error = _responsibilities_at(found, lookup.place)
    return render(
        request,
        "catalogue/service_list.html",
        {
            "query": query,
            "results": [(service, offices.get(service.pk)) for service in found],
            "lookup": lookup,
            "place_error": place_error or lookup.error,
            "view": "a-z",
        },
    )


@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_object_or_404(selectors.active_services(), slug=slug)
    lookup = resolve_place(request)
    offices, place_error = _responsibilities_at([service], lookup.place)
    is_favourite = (
        request.user.is_authenticated
        and Favourite.objects.filter(user_id=request.user.pk, service=service).exists()
    )
    return render(
        request,
        "catalogue/service_detail.html",
        {
            "service": service,
            "lookup": lookup,
            "office": offices.get(service.pk),
            "place_error": place_error or lookup.error,
            "meets_level": services.meets_assurance(request.user, service.min_assurance),  # type: ignore[arg-type]
            "is_favourite": is_favourite,
        },
    )


def _uploads_from(request: HttpRequest, names: list[str]) -> list[services.Upload]:
    return [
        services.Upload(name, file, file.name or name)
        for name in names
        for file in request.FILES.getlist(name)[:1]
    ]


def _step_up(request: AuthenticatedHttpRequest, service: Service) -> HttpResponse:
    """The service needs a higher account level than the citizen has: say how to get it."""
    return render(
        request,
        "catalogue/step_up.html",
        {
            "service": service,
            "hint": services.step_up_hint(service.min_assurance),
            "step_up_options": step_up_options(request, request.get_full_path())
            if service.min_assurance == "verified"
            else [],
        },
        status=403,
    )


def _submit(
    request: AuthenticatedHttpRequest, service: Service, place: Place, values: dict[str, Any]
) -> tuple[Application | None, dict[str, list[str]]]:
    """File the application; (None, errors by field) when it is refused."""
    upload_names = [u["name"] for u in schema_forms.uploads_of(service.form_schema)]
    try:
        application = services.application_submit(
            service,
            applicant=request.user,
            point=place.point,
            address=place.label,
            data=values,
            uploads=_uploads_from(request, upload_names),
        )
    except services.ApplicationInvalid as exc:
        return None, exc.errors
    except OutsideServiceArea as exc:
        return None, {"": [str(exc)]}
    return application, {}


@login_required
@ratelimit(key="user", rate=post_rate, method="POST", block=False)
@require_http_methods(["GET", "POST"])
def application_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The online form of a service, generated from its JSON Schema."""
    if (limited := _rate_limited(request)) is not None:
        return limited
    service = get_object_or_404(selectors.active_services(), slug=slug, is_online=True)
    if not services.meets_assurance(request.user, service.min_assurance):
        return _step_up(request, service)
    lookup = resolve_place(request)
    if lookup.place is None:
        return render(
            request,
            "catalogue/application_place.html",
            {"service": service, "lookup": lookup, "place_error": lookup.error},
            status=400 if lookup.error else 200,
        )
    offices, place_error = _responsibilities_at([service], lookup.place)
    office = offices.get(service.pk)
    schema = service.form_schema
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if request.method == "POST" and office is not None:
        values = {key: request.POST.get(key) for key in request.POST}
        application, errors = _submit(request, service, lookup.place, values)
        if application is not None:
            messages.success(
                request,
                _("Ihr Antrag ist eingegangen. Aktenzeichen: %(reference)s")
                % {"reference": application.reference},
            )
            return redirect("catalogue:application", pk=application.pk)
    fields = schema_forms.fields_of(schema, values, errors)
    return render(
        request,
        "catalogue/application_form.html",
        {
            "service": service,
            "lookup": lookup,
            "office": office,
            "fee": fee_preview(service, office.authority) if office else None,
            "place_error": place_error,
            "fields": fields,
            "form_errors": errors.get("", []),
            "error_fields": [f for f in fields if f.errors],
            "has_files": any(f.kind == "file" for f in fields),
        },
        status=400 if errors or office is None else 200,
    )


@login_required
@ratelimit(key="user", rate=post_rate, method="POST", block=False)
@require_http_methods(["GET", "POST"])
def application_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The citizen's view of an application: status, history, fee and the postbox."""
    if (limited := _rate_limited(request)) is not None:
        return limited
    try:
        application = selectors.application_for_applicant(request.user, pk)
    except Application.DoesNotExist as exc:
        raise Http404 from exc
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            services.message_send(
                application,
                sender=request.user,
                body=request.POST.get("body", ""),
                uploads=[
                    services.Upload("files", f, f.name or "datei")
                    for f in request.FILES.getlist("files")[:MAX_UPLOADS]
                ],
            )
        except services.ApplicationInvalid as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Ihre Nachricht wurde gesendet."))
            return redirect("catalogue:application", pk=pk)
    return render(
        request,
        "catalogue/application_detail.html",
        {
            "application": application,
            "events": [e for e in application.events.all() if e.is_public],
            "payment": selectors.payment_of(application),
            "errors": errors,
            "staff_view": False,
            "form_fields": schema_forms.fields_of(
                application.service.form_schema, application.data
            ),
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def invoice(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The printable invoice (Gebührenbescheid) for the applicant and the office's staff."""
    application = (
        Application.objects.select_related("service", "authority", "applicant", "payment")
        .filter(pk=pk)
        .first()
    )
    if application is None or not (
        application.applicant_id == request.user.pk
        or services.is_staff_of(request.user, application.authority_id)
    ):
        raise Http404
    payment = selectors.payment_of(application)
    if payment is None:
        raise Http404
    return render(
        request,
        "catalogue/invoice.html",
        {
            "application": application,
            "payment": payment,
            "provider": provider_for(payment),
        },
    )


@login_required
@require_GET
def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    application = attachment.application
    if not (
        application.applicant_id == request.user.pk
        or services.is_staff_of(request.user, application.authority_id)
    ):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def favourite_toggle(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    service = get_object_or_404(selectors.active_services(), slug=slug)
    pinned = request.POST.get("pin") == "1"
    services.favourite_set(request.user, service, pinned=pinned)
    text = (
        _("„%(name)s“ steht jetzt auf Ihrer Startseite.")
        if pinned
        else _("„%(name)s“ wurde von Ihrer Startseite entfernt.")
    )
    messages.success(request, text % {"name": service.name})
    return redirect(reverse("catalogue:service", args=[service.slug]))


@login_required
@require_POST
def saved_place(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Keep the place currently shown as the account's address, or forget it."""
    if request.POST.get("forget") == "1":
        services.saved_place_delete(request.user)
        messages.success(request, _("Ihre Anschrift wurde aus dem Konto entfernt."))
        return redirect("catalogue:my-start")
    stored = request.session.get(SESSION_PLACE)
    if not stored:
        messages.error(request, _("Bitte wählen Sie zuerst einen Ort."))
        return redirect("catalogue:services")
    services.saved_place_set(
        request.user,
        label=str(stored["label"]),
        point=Point(float(stored["lon"]), float(stored["lat"]), srid=4326),
    )
    messages.success(
        request,
        _("„%(label)s“ ist jetzt Ihre Anschrift im Bürgerkonto.") % {"label": stored["label"]},
    )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = reverse("catalogue:services")
    return redirect(next_url)


@login_required
@require_GET
def my_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The personal start page: pinned services and recent applications."""
    return render(
        request,
        "catalogue/my_start.html",
        {
            "favourites": selectors.favourite_services(request.user.pk),
            "saved_place": SavedPlace.objects.filter(user_id=request.user.pk).first(),
            "applications": selectors.applications_of_user(request.user.pk)[:5],
        },
    )
