"""Pages of the Streckenkontrolle under /arbeit/kontrollen/: the routes due per team, a
route's segments, a round on the phone (track, findings, end), the liability record."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django import forms as forms_module
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import add_errors_to_form
from core.images import PhotoRejected
from geo.models import RoadSegment
from tracker.staff.views import staff_required

from . import coverage, map_views, record, record_pdf, selectors, services
from .forms import DefectForm, EndForm, PeriodForm, PointForm
from .models import InspectionPlan, InspectionRound, SegmentInspection


@staff_required
@require_GET
def routes(request: HttpRequest) -> HttpResponse:
    groups = selectors.routes_by_team(request.user)
    map_extra: dict[str, Any] = {
        "inspectionTiles": map_views.tile_url(),
        "recordUrl": map_views.record_url_template(),
        "strings": map_views.MAP_STRINGS,
    }
    bounds = map_views.plans_bounds(route.plan for _team, routes in groups for route in routes)
    if bounds:
        map_extra["bounds"] = bounds
    context = {
        "groups": groups,
        "running": selectors.running_rounds(request.user),
        "map_extra": map_extra,
    }
    return render(request, "inspections/routes.html", context)


def _plan(request: HttpRequest, pk: int) -> InspectionPlan:
    plan = selectors.visible_plans(request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


@staff_required
@require_GET
def route_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    context = {
        "route": selectors.route_due(plan),
        "may_drive": services.may_drive(request.user, plan),
        "rounds": plan.rounds.select_related("started_by")[:10],
    }
    return render(request, "inspections/route_detail.html", context)


@staff_required
@require_POST
def round_start(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    try:
        round_ = services.round_start(plan, by=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("inspections:route", pk=plan.pk)
    messages.success(request, _("Kontrollfahrt begonnen. Gute Fahrt!"))
    return redirect("inspections:round", pk=round_.pk)


def _round(request: HttpRequest, pk: int) -> InspectionRound:
    round_ = get_object_or_404(InspectionRound.objects.select_related("plan", "team"), pk=pk)
    if not selectors.visible_plans(request.user).filter(pk=round_.plan_id).exists():
        raise Http404
    return round_


def _render_round(
    request: HttpRequest, round_: InspectionRound, status: int = 200, **forms: Any
) -> HttpResponse:
    route = coverage.route_segments(round_.plan).order_by("ref", "name", "id")
    track = services.current_track(round_)
    driven = coverage.driven_segment_ids(track, [s.pk for s in route]) if track else set()
    end_form = forms.get("end_form") or EndForm(initial={"segments": sorted(driven)})
    _choices(end_form, [(s.pk, f"{s.ref} {s.name}".strip()) for s in route])
    context = {
        "round": round_,
        "running": round_.state == InspectionRound.State.RUNNING,
        "points": round_.points.count(),
        "findings": round_.findings.select_related("report", "report__category"),
        "defect_form": forms.get("defect_form") or DefectForm(),
        "point_form": forms.get("point_form") or PointForm(),
        "end_form": end_form,
        "inspected": SegmentInspection.objects.filter(round=round_).select_related("segment"),
        "map_extra": {
            "round": map_views.round_map(round_, track, driven),
            "recordUrl": map_views.record_url_template(),
            "strings": map_views.MAP_STRINGS,
        },
    }
    return render(request, "inspections/round.html", context, status=status)


def _choices(form: EndForm, choices: list[tuple[int, str]]) -> None:
    field = form.fields["segments"]
    if isinstance(field, forms_module.TypedMultipleChoiceField):
        field.choices = choices


@staff_required
@require_GET
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_round(request, _round(request, pk))


def _fixes(payload: Any) -> list[services.Fix]:
    try:
        return [
            services.Fix(
                float(p["lon"]),
                float(p["lat"]),
                datetime.fromtimestamp(float(p["t"]) / 1000).astimezone() if p.get("t") else None,
                float(p["acc"]) if p.get("acc") is not None else None,
            )
            for p in payload["points"]
        ]
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise ValidationError(_("Ungültige Punkte.")) from exc


@staff_required
@require_POST
def round_points(request: HttpRequest, pk: int) -> HttpResponse:
    """JSON from the phone's watchPosition ({"points": [{lat, lon, t, acc}]}), or the form."""
    round_ = _round(request, pk)
    if request.content_type == "application/json":
        try:
            fixes = _fixes(json.loads(request.body or b"{}"))
            stored = services.round_add_points(round_, fixes, by=request.user)  # type: ignore[arg-type]
        except (ValidationError, ValueError) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            return JsonResponse({"error": text}, status=400)
        except PermissionDenied as exc:
            return JsonResponse({"error": str(exc)}, status=403)
        return JsonResponse({"stored": stored, "total": round_.points.count()})
    form = PointForm(request.POST)
    if form.is_valid():
        try:
            fix = services.Fix(form.cleaned_data["lon"], form.cleaned_data["lat"])
            services.round_add_points(round_, [fix], by=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, _("Position gespeichert."))
            return redirect("inspections:round", pk=round_.pk)
    return _render_round(request, round_, 400, point_form=form)


@staff_required
@require_POST
def round_defect(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    form = DefectForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        defect = services.Defect(
            category=data["category"],
            lon=data["lon"],
            lat=data["lat"],
            priority=data["priority"],
            measure=data["measure"],
            note=data["note"],
            photos=[data["photo"]] if data["photo"] else [],
        )
        try:
            report = services.round_log_defect(round_, defect, by=request.user)  # type: ignore[arg-type]
        except (ValidationError, PhotoRejected) as exc:
            add_errors_to_form(form, exc, field="photo")
        else:
            messages.success(request, _("Befund %(ref)s erfasst.") % {"ref": report.reference})
            return redirect("inspections:round", pk=round_.pk)
    return _render_round(request, round_, 400, defect_form=form)


@staff_required
@require_POST
def round_end(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    form = EndForm(request.POST)
    _choices(form, [(s.pk, str(s.pk)) for s in coverage.route_segments(round_.plan)])
    if form.is_valid():
        try:
            services.round_end(
                round_,
                by=request.user,  # type: ignore[arg-type]
                segments=form.cleaned_data["segments"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, _("Kontrollfahrt beendet."))
            return redirect("inspections:round", pk=round_.pk)
    return _render_round(request, round_, 400, end_form=form)


def _record(request: HttpRequest, pk: int) -> tuple[record.Record | None, PeriodForm]:
    segment = get_object_or_404(RoadSegment.objects.select_related("owner"), pk=pk)
    if not record.may_read(request.user, segment):
        raise PermissionDenied(_("Dieser Straßenabschnitt gehört nicht zu Ihrer Stelle."))
    form = PeriodForm(request.GET or PeriodForm.defaults())
    if not form.is_valid():
        return None, form
    data = form.cleaned_data
    return record.build(segment, data["von"], data["bis"], user=request.user), form


@staff_required
@require_GET
def record_page(request: HttpRequest, pk: int) -> HttpResponse:
    built, form = _record(request, pk)
    context = {"record": built, "form": form, "query": request.GET.urlencode()}
    return render(request, "inspections/record.html", context, status=200 if built else 400)


def _download(built: record.Record, body: bytes, content_type: str, ext: str) -> HttpResponse:
    name = f"nachweis-abschnitt-{built.segment.pk}-{built.start:%Y%m%d}-{built.end:%Y%m%d}.{ext}"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required
@require_GET
def record_csv(request: HttpRequest, pk: int) -> HttpResponse:
    built, form = _record(request, pk)
    if built is None:
        return HttpResponse(" ".join(str(e) for e in form.non_field_errors()) or "400", status=400)
    return _download(built, built.csv_bytes(), "text/csv; charset=utf-8", "csv")


@staff_required
@require_GET
def record_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    built, form = _record(request, pk)
    if built is None:
        return HttpResponse(" ".join(str(e) for e in form.non_field_errors()) or "400", status=400)
    return _download(built, record_pdf.render(built), "application/pdf", "pdf")
