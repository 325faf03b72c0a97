"""Citizen pages. Reads go through tracker.selectors, changes through tracker.services.

Every page works without JavaScript; the map pages enhance themselves with Leaflet (served
from our own static files) and talk to the same REST API as any other client.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from boundaries.identity import use_identity_of
from boundaries.services import OutsideServiceArea
from core import params
from core.errors import add_errors_to_form
from core.images import PhotoRejected
from core.replica import read_from_replica

from . import offline, selectors, services
from .api import SESSION_CREATED_REPORTS, create_report_from, remember_created_report
from .forms import ReportForm
from .models import OPEN_STATUSES, Category, Report, Status

MAP_LIST_PAGE_SIZE = 25
PERIOD_DAYS = ("7", "30", "365")
# Where the form shows the intake's domain errors: a refused photo under the photos, a place
# outside our area under the place (field-level ValidationErrors name their own field).
_ERROR_FIELDS: dict[type[Exception], str] = {PhotoRejected: "photos", OutsideServiceArea: "place"}


def _error_field(exc: Exception) -> str | None:
    return next((f for kind, f in _ERROR_FIELDS.items() if isinstance(exc, kind)), None)


def _report_rate_per_ip(group: str, request: HttpRequest) -> str:
    return str(settings.REPORT_RATE_PER_IP)


def _report_rate_per_user(group: str, request: HttpRequest) -> str | None:
    return str(settings.REPORT_RATE_PER_USER) if request.user.is_authenticated else None


def friendly_when_limited(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Answer a blocked request with our 429 page even where RatelimitMiddleware is missing."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Ratelimited as exc:
            return rate_limited(request, exc)

    return wrapper


def _created_in_this_session(request: HttpRequest, pk: int) -> bool:
    return pk in request.session.get(SESSION_CREATED_REPORTS, [])


def _public_position(report: Report) -> tuple[float, float]:
    """The public, approximate position (lat, lon), as the API shows it: public_reports()
    computes it in SQL (snapped to a grid of about 10 m)."""
    lon = getattr(report, "public_lon", None)
    lat = getattr(report, "public_lat", None)
    if lon is None or lat is None:
        lon, lat = report.location.x, report.location.y
    return round(lat, 4), round(lon, 4)


# --- pages ---------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    latest = selectors.reports_in_bbox().order_by("-created_at", "-id")[:5]
    return render(request, "tracker/home.html", {"latest": latest})


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """django-ratelimit's view for blocked requests: a friendly 429."""
    return render(request, "tracker/rate_limited.html", status=429)


@friendly_when_limited
@ensure_csrf_cookie
@ratelimit(key="ip", rate=_report_rate_per_ip, method="POST", block=True)
@ratelimit(key="user", rate=_report_rate_per_user, method="POST", block=True)
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """The report page: a map for those who can use it, a plain form for everybody."""
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                report = create_report_from(request, form.report_data(), Report.Source.WEB)
            except (ValidationError, OutsideServiceArea, PhotoRejected) as exc:
                add_errors_to_form(form, exc, field=_error_field(exc))
            else:
                remember_created_report(request, report)
                return redirect("tracker:thanks", pk=report.pk)
    else:
        form = ReportForm(user=request.user)
    if form.errors:
        form.focus_first_error()
    categories = Category.objects.filter(is_active=True).prefetch_related("available_in")
    config: dict[str, Any] = {"maxPhotos": services.MAX_PHOTOS}
    config["user"] = (
        {"authenticated": True, "email": request.user.email}
        if request.user.is_authenticated
        else {"authenticated": False}
    )
    # Where each category is offered (authority ids; empty: everywhere), checked against the
    # authorities /api/v1/locate finds at the pin.
    config["availability"] = {c.slug: [a.pk for a in c.available_in.all()] for c in categories}
    config["offline"] = offline.strings()  # the offline queue (docs/offline.md)
    return render(
        request,
        "tracker/report_new.html",
        {
            "form": form,
            "map_extra": config,
            "hints": ReportForm.hints,
            "photos_sent": bool(request.FILES.getlist("photos")),
        },
        status=400 if form.errors else 200,
    )


def _map_filters(request: HttpRequest) -> dict[str, str]:
    """The public map's filters from the query string. Unknown values fall back to 'all' (a
    shared link to a category that was retired still opens the map); values no link of ours
    can hold (NUL characters, overlong text) get the 400 page."""
    try:
        category, status, period = (
            params.text(request.GET.get(name), name, max_length=100)
            for name in ("category", "status", "period")
        )
    except ValidationError as exc:
        raise params.bad_request(exc) from exc
    if category and not Category.objects.filter(slug=category, is_active=True).exists():
        category = ""
    if status not in ("open", *Status.values):
        status = ""
    if period not in PERIOD_DAYS:
        period = ""
    return {"category": category, "status": status, "period": period}


@require_GET
@read_from_replica
def public_map(request: HttpRequest) -> HttpResponse:
    """All public reports on a map, with the same reports as a list (the list alone works
    without JavaScript, paged and filtered on the server)."""
    filters = _map_filters(request)
    statuses: list[str] = []
    if filters["status"] == "open":
        statuses = [str(s) for s in OPEN_STATUSES]
    elif filters["status"]:
        statuses = [filters["status"]]
    since = timezone.now() - timedelta(days=int(filters["period"])) if filters["period"] else None
    reports = selectors.reports_in_bbox(
        categories=[filters["category"]] if filters["category"] else None,
        statuses=statuses,
        since=since,
    ).order_by("-created_at", "-id")
    page = Paginator(reports, MAP_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    categories = Category.objects.filter(is_active=True).order_by("sort_order", "name")
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(
        request,
        "tracker/map.html",
        {
            "page": page,
            "filters": filters,
            "filter_query": query,
            "categories": [(c.slug, c.localized_name()) for c in categories],
            "statuses": [(str(value), str(label)) for value, label in Status.choices],
            "periods": [
                ("7", _("letzte 7 Tage")),
                ("30", _("letzte 30 Tage")),
                ("365", _("letzte 12 Monate")),
            ],
            "open_statuses": ",".join(str(s) for s in OPEN_STATUSES),
        },
    )


@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.public_reports(), pk=pk)
    use_identity_of(request, report.authority)
    lat, lon = _public_position(report)
    config = {"report": {"lat": lat, "lon": lon, "status": report.status}}
    return render(
        request,
        "tracker/report_detail.html",
        {
            "report": report,
            "category_label": report.category.localized_name(),
            "history": selectors.public_history(report),
            "photos": report.public_photos,  # type: ignore[attr-defined]
            "approx_lat": lat,
            "approx_lon": lon,
            "map_extra": config,
        },
    )


@require_GET
def report_thanks(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the browser session that filed the report sees its number and tracking link."""
    if not _created_in_this_session(request, pk):
        raise Http404
    report = get_object_or_404(Report.objects.select_related("category", "authority"), pk=pk)
    response = render(
        request,
        "tracker/report_thanks.html",
        {
            "report": report,
            "category_label": report.category.localized_name(),
            "tracking_url": request.build_absolute_uri(
                reverse("tracker:track", args=[report.tracking_token])
            ),
        },
    )
    add_never_cache_headers(response)
    return response


@require_GET
def track(request: HttpRequest, token: str) -> HttpResponse:
    """The reporter's secret tracking link: state and public history, no contact data."""
    report = get_object_or_404(
        Report.objects.select_related("category", "authority"), tracking_token=token
    )
    use_identity_of(request, report.authority)
    response = render(
        request,
        "tracker/track.html",
        {
            "report": report,
            "category_label": report.category.localized_name(),
            "history": selectors.public_history(report),
            "photos": list(report.photos.all()),
        },
    )
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the confirmation email. GET only shows a button, so that mail scanners
    and link previews, which fetch links, never confirm a report on somebody's behalf."""
    report = get_object_or_404(Report, confirmation_token=token)
    just_confirmed = False
    if request.method == "POST" and not report.is_confirmed:
        report = services.report_confirm(report)
        just_confirmed = True
    response = render(
        request,
        "tracker/confirm.html",
        {"report": report, "just_confirmed": just_confirmed},
    )
    add_never_cache_headers(response)
    return response
