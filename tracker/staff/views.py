"""Staff pages under /arbeit/: the work queue (list, map, filters in the URL, bulk actions) and
the staff view of a report with a form for every action the user may take right now.

Reads go through tracker.selectors, changes through tracker.staff.actions (the same action
table and lookups as the staff API), what a user may do from permissions.allowed_actions.
Anonymous visitors are sent to the login, people without a staff membership get 403 and
reports of other authorities are 404 (no existence leak). Every form posts to its own URL,
shows the service's message next to the form on failure (400/403), redirects on success.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.navigation import STAFF_NAV_SESSION_KEY
from core import params
from core.errors import add_errors_to_form, describe_errors
from core.images import PhotoRejected
from tracker import explain, permissions, selectors
from tracker.models import Photo, Report, ResponseTemplate
from tracker.permissions import NotPermitted
from tracker.privacy_parts import log_contact_view
from tracker.workflow import SPECIAL_ACTIONS, TRANSITIONS, TRANSITIONS_BY_ACTION, TRIAGE, Transition

from . import actions
from .forms import (
    AssignForm,
    BulkForm,
    DuplicateForm,
    ForwardForm,
    NoteForm,
    PhotoForm,
    PriorityForm,
    PrivacyForm,
    QueueFilterForm,
    RejectForm,
    TransitionForm,
    person_label,
)
from .moderation import MODERATION_PAGE_ACTIONS, moderation_context
from .offline_config import offline_config

QUEUE_PAGE_SIZE = 25
MAX_MARKERS = 500
BULK_RESULTS_SESSION_KEY = "staff_bulk_results"

View = Callable[..., HttpResponse]

# boundaries.services.Reason and the services' "forwarded", in words.
ROUTING_REASONS = {
    "asset_owner": _lazy("Eigentümer des Objekts"),
    "road_owner": _lazy("Baulastträger der Straße"),
    "boundary": _lazy("Gebiet"),
    "fixed": _lazy("feste Stelle der Kategorie"),
    "forwarded": _lazy("weitergeleitet"),
}


def staff_required(view: View) -> View:
    """Signed in (else to the login page) and a staff member of some authority (else 403)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.is_staff_member(request.user):
            raise PermissionDenied(_("Nur für Mitarbeitende einer zuständigen Stelle."))
        if not request.session.get(STAFF_NAV_SESSION_KEY):
            # Became staff during this session: show the navigation link from now on.
            request.session[STAFF_NAV_SESSION_KEY] = True
        response = view(request, *args, **kwargs)
        # Internal data: never kept in shared caches or the browser's back-forward cache.
        add_never_cache_headers(response)
        return response

    return wrapper


# --- helpers -------------------------------------------------------------------------------


def _queue_filters(request: HttpRequest) -> tuple[QueueFilterForm, dict[str, Any]]:
    form = QueueFilterForm(request.GET, user=request.user)
    return form, form.values()


def _navigation(report: Report) -> dict[str, str]:
    """Links that hand the exact position to the phone's navigation app (geo: URI) or to the
    OpenStreetMap route planner. Plain links: nothing is loaded from elsewhere."""
    lat, lon = f"{report.location.y:.6f}", f"{report.location.x:.6f}"
    label = _("Meldung %(ref)s") % {"ref": report.reference}
    return {
        "geo": f"geo:{lat},{lon}?q={lat},{lon}({label})",
        "osm": "https://www.openstreetmap.org/directions?" + urlencode({"to": f"{lat},{lon}"}),
        "lat": lat,
        "lon": lon,
    }


def staff_map_config(**extra: Any) -> dict[str, Any]:
    """The staff maps' additions to the shared map configuration (frontend.maps)."""
    config: dict[str, Any] = {
        "strings": {
            "myLocation": _("Mein Standort"),
            "locating": _("Ihr Standort wird ermittelt …"),
            "located": _("Ihr Standort ist auf der Karte markiert."),
            "geolocationFailed": _("Ihr Standort konnte nicht ermittelt werden."),
            "markersLoaded": _("%(count)s Meldungen auf der Karte"),
            "markersCapped": _("Die Karte zeigt die ersten %(count)s Meldungen dieser Auswahl."),
            "loadFailed": _("Die Meldungen für die Karte konnten nicht geladen werden."),
            "open": _("Öffnen"),
            "overdue": _("überfällig"),
            "reportLocation": _("Ort der Meldung"),
        }
    }
    config.update(extra)
    return config


# --- the queue -----------------------------------------------------------------------------


@staff_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    filter_form, values = _queue_filters(request)
    query = filter_form.query_string(values)
    if any(value == "" for value in request.GET.values()):
        # The filter form sends every field; bookmarks should hold only the chosen ones.
        return redirect(reverse("staff:queue") + (f"?{query}" if query else ""))
    reports = selectors.staff_queue(user, **QueueFilterForm.queue_kwargs(values, user))
    page = Paginator(reports, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "report": report,
            "category": report.category.localized_name(),
            "actions": permissions.allowed_actions(user, report),
            "navigation": _navigation(report),
        }
        for report in page
    ]
    may_bulk = selectors.may_bulk(user)
    bulk_results = request.session.pop(BULK_RESULTS_SESSION_KEY, None)
    context = {
        "filter_form": filter_form,
        "filters": values,
        "filter_query": query,
        "all_teams_query": filter_form.query_string(values, team="alle"),
        "page": page,
        "rows": rows,
        "may_bulk": may_bulk,
        "bulk_form": BulkForm(user=user) if may_bulk else None,
        "bulk_results": bulk_results,
        "map_extra": staff_map_config(
            markers=reverse("staff:map-data") + (f"?{query}" if query else "")
        ),
        "offline_source": reverse("staff:map-data") + (f"?{query}" if query else ""),
        "crew_offline": offline_config(),
    }
    return render(request, "tracker/staff/queue.html", context)


@staff_required
@require_GET
def queue_map_data(request: HttpRequest) -> JsonResponse:
    """The queue's reports (same filters, same permissions) as GeoJSON for the map."""
    user: Any = request.user
    _form, values = _queue_filters(request)
    reports = list(
        selectors.staff_queue(user, **QueueFilterForm.queue_kwargs(values, user))[: MAX_MARKERS + 1]
    )
    capped = len(reports) > MAX_MARKERS
    features = [
        {
            "type": "Feature",
            "id": report.pk,
            "geometry": {"type": "Point", "coordinates": [report.location.x, report.location.y]},
            "properties": {
                "reference": report.reference,
                "category_name": report.category.localized_name(),
                "status": report.status,
                "status_label": report.get_status_display(),
                "priority_label": report.get_priority_display(),
                "overdue": bool(getattr(report, "overdue", report.is_overdue)),
                "address": report.address,
                "url": reverse("staff:report", args=[report.pk]),
            },
        }
        for report in reports[:MAX_MARKERS]
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features, "capped": capped})


@staff_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Dispatcher bulk actions on the checked reports; the outcome per report is shown on the
    queue after the redirect (kept in the session for that one page view)."""
    user: Any = request.user
    if not selectors.may_bulk(user):
        raise PermissionDenied(_("Ihre Rolle erlaubt keine Sammelaktionen."))
    # Back to the queue as it was filtered: only our own path plus a query string.
    query = QueryDict(request.POST.get("query", "")).urlencode()
    target = reverse("staff:queue") + (f"?{query}" if query else "")
    form = BulkForm(request.POST, user=user)
    if not form.is_valid():
        for error in [*form.non_field_errors(), *_field_errors(form)]:
            messages.error(request, error)
        return redirect(target)
    ids = form.report_ids
    results = actions.bulk_apply(form.cleaned_data["action"], ids, by=user, **form.params())
    references = {
        pk: report.reference
        for pk, report in Report.objects.only("id", "created_at").in_bulk(ids).items()
    }
    request.session[BULK_RESULTS_SESSION_KEY] = [
        {
            "id": r.report_id,
            "reference": references.get(r.report_id, str(r.report_id)),
            "ok": r.ok,
            "error": r.error,
        }
        for r in results
    ]
    done = sum(1 for r in results if r.ok)
    if done == len(results):
        messages.success(request, _("Sammelaktion für %(n)d Meldung(en) ausgeführt.") % {"n": done})
    else:
        messages.warning(
            request,
            _("Sammelaktion: %(ok)d von %(n)d Meldung(en) geändert, %(failed)d nicht.")
            % {"ok": done, "n": len(results), "failed": len(results) - done},
        )
    return redirect(target)


def _field_errors(form: forms.Form) -> list[str]:
    return [
        f"{form.fields[name].label}: {error}"
        for name in form.fields
        for error in form.errors.get(name, [])
    ]


# --- the staff report page -----------------------------------------------------------------


def _detail_report(request: HttpRequest, pk: int) -> Report:
    return get_object_or_404(selectors.staff_report_detail(request.user), pk=pk)


def _transitions(allowed: set[str]) -> list[Transition]:
    """Allowed status changes that need no more than a note, in the table's order."""
    return [t for t in TRANSITIONS if t.action in allowed and t.action not in SPECIAL_ACTIONS]


def _forms_for(request: HttpRequest, report: Report, allowed: set[str]) -> dict[str, forms.Form]:
    user: Any = request.user
    result: dict[str, forms.Form] = {}
    if _transitions(allowed):
        result["status"] = TransitionForm()
    if "assign" in allowed:
        result["assign"] = AssignForm(report=report)
    if "priority" in allowed:
        result["priority"] = PriorityForm(initial={"priority": report.priority})
    if "forward" in allowed:
        result["forward"] = ForwardForm(report=report)
    if "duplicate" in allowed:
        result["duplicate"] = DuplicateForm(user=user)
    if "reject" in allowed:
        result["reject"] = RejectForm()
    if "note" in allowed:
        result["note"] = NoteForm(may_comment="comment" in allowed)
    if "photo" in allowed:
        result["photo"] = PhotoForm()
    if "take" in allowed:
        result["take"] = forms.Form(prefix="take")
    if "privacy" in allowed:
        result["privacy"] = PrivacyForm(initial={"description_clean": report.description_is_clean})
    return result


def _photos(report: Report) -> dict[str, Any]:
    photos = list(report.photos.all())
    after_photos = [p for p in photos if p.kind == Photo.Kind.AFTER]
    return {
        "photos_before": [p for p in photos if p.kind != Photo.Kind.AFTER],
        "photos_after": after_photos,
        "needs_after_photo": report.category.requires_after_photo and not after_photos,
    }


def _relations(report: Report, user: Any) -> dict[str, Any]:
    """The history as the user may read it, and the duplicates and original the user may see
    (the same staff selectors as the API's detail)."""
    own = selectors.staff_scope(user)
    original = report.duplicate_of
    return {
        "history": [
            {"event": event, "show_actor": own is None or event.authority_id in own}
            for event in selectors.staff_history(report, user)
        ],
        "duplicates": list(selectors.staff_duplicates(report, user)),
        "original": original,
        "original_visible": original is not None and permissions.can_view(user, original),
    }


def _render_detail(
    request: HttpRequest,
    report: Report,
    *,
    bound: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    allowed = permissions.allowed_actions(user, report)
    page_forms = _forms_for(request, report, allowed)
    error_form: forms.Form | None = None
    if bound is not None:
        name, form = bound
        if name in page_forms:
            page_forms[name] = form
        error_form = form
    for form in page_forms.values():
        describe_errors(form)
    transitions = _transitions(allowed)
    templates = selectors.templates_by_status(report, {t.target for t in transitions})
    context = {
        "report": report,
        "category_label": report.category.localized_name(),
        "routing_reason": ROUTING_REASONS.get(report.routing_reason, report.routing_reason),
        "allowed": allowed,
        "unavailable": explain.unavailable(user, report, allowed),
        "triage_statuses": TRIAGE,
        "forms": page_forms,
        "error_form": error_form,
        "transitions": [
            {"transition": t, "templates": templates.get(t.target, [])} for t in transitions
        ],
        **_photos(report),
        **_relations(report, user),
        **moderation_context(request, report, allowed, bound),
        "show_contact": permissions.can_view(user, report),
        "assigned_to_label": person_label(report.assigned_to) if report.assigned_to else "",
        "navigation": _navigation(report),
        "map_extra": staff_map_config(
            report={
                "lat": report.location.y,
                "lon": report.location.x,
                "status": report.status,
            }
        ),
    }
    log_contact_view(user, report, "page")  # the page shows the contact data: logged
    return render(request, "tracker/staff/report_detail.html", context, status=status)


@staff_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _detail_report(request, pk))


def _perform(
    request: HttpRequest,
    report: Report,
    name: str,
    form: forms.Form,
    action: str | None = None,
    **extra: Any,
) -> HttpResponse:
    """Validate the form and run the staff action (the form's cleaned data, plus `extra`, are
    its parameters), then redirect with the success message; or show the page again with the
    service's reason next to the form, 400 or 403."""
    code = 400
    if form.is_valid():
        params = {**form.cleaned_data, **extra}
        try:
            message = actions.perform(action or name, report, by=request.user, **params)  # type: ignore[arg-type]
        except NotPermitted as exc:
            add_errors_to_form(form, exc)
            code = 403
        except PhotoRejected as exc:
            add_errors_to_form(form, exc, field="photo")
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, message)
            if permissions.can_view(request.user, report):
                return redirect("staff:report", pk=report.pk)
            # Forwarded: the report now belongs to another authority.
            return redirect("staff:queue")
    # The service may have changed nothing, but read the report fresh all the same.
    report = _detail_report(request, report.pk)
    return _render_detail(request, report, bound=(name, form), status=code)


def _status_template(report: Report, raw: str) -> tuple[str, ResponseTemplate | None]:
    """The transition and response template a template button names ("accept:12")."""
    action, _sep, template_id = raw.partition(":")
    transition = TRANSITIONS_BY_ACTION.get(action)
    if transition is None or not params.is_int(template_id):
        return action, None
    template = ResponseTemplate.objects.filter(
        pk=int(template_id), authority_id=report.authority_id, status__in=["", transition.target]
    ).first()
    return action, template


def _status_action(request: HttpRequest, report: Report) -> HttpResponse:
    """One button per allowed transition (or per response template, whose text becomes the
    public note); close and reopen have their own actions (their own checks and messages)."""
    form = TransitionForm(request.POST)
    action = request.POST.get("transition", "")
    template: ResponseTemplate | None = None
    if "template" in request.POST:
        action, template = _status_template(report, request.POST["template"])
        if template is None:
            form.is_valid()
            form.add_error(None, _("Diesen Textbaustein gibt es für diese Meldung nicht."))
            return _render_detail(request, report, bound=("status", form), status=400)
    transition = TRANSITIONS_BY_ACTION.get(action)
    if transition is None or transition.action in SPECIAL_ACTIONS:
        form.is_valid()
        form.add_error(None, _("Bitte wählen Sie den neuen Status."))
        return _render_detail(request, report, bound=("status", form), status=400)
    extra: dict[str, Any] = {}
    if template is not None:
        extra = {"note": template.text, "public_note": True}
    if transition.action in ("close", "reopen"):
        return _perform(request, report, "status", form, transition.action, **extra)
    extra["status"] = transition.target
    return _perform(request, report, "status", form, "transition", **extra)


def _note_form(request: HttpRequest, report: Report) -> forms.Form:
    may_comment = "comment" in permissions.allowed_actions(request.user, report)
    return NoteForm(request.POST, may_comment=may_comment)


# URL segment → the action's form (its cleaned data are the action's parameters).
PAGE_ACTIONS: dict[str, Callable[[HttpRequest, Report], forms.Form]] = {
    "take": lambda request, report: forms.Form(request.POST, prefix="take"),
    "assign": lambda request, report: AssignForm(request.POST, report=report),
    "priority": lambda request, report: PriorityForm(request.POST),
    "forward": lambda request, report: ForwardForm(request.POST, report=report),
    "duplicate": lambda request, report: DuplicateForm(request.POST, user=request.user),
    "reject": lambda request, report: RejectForm(request.POST),
    "note": _note_form,
    "photo": lambda request, report: PhotoForm(request.POST, request.FILES),
    **MODERATION_PAGE_ACTIONS,
    "privacy": lambda request, report: PrivacyForm(request.POST),
}


@staff_required
@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action == "status":
        return _status_action(request, _detail_report(request, pk))
    make_form = PAGE_ACTIONS.get(action)
    if make_form is None:
        raise Http404
    report = _detail_report(request, pk)
    return _perform(request, report, action, make_form(request, report))
