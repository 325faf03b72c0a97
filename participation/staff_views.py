"""Staff pages under /beteiligung/arbeit/ (planning staff of the plan's authority): the plans,
a new plan, and one page per plan with its area upload, documents, display/result actions and
the statements (tag, answer), plus the CSV and PDF exports for the consideration."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from boundaries.models import Authority
from core.errors import error_text

from . import area, export, selectors, services
from .forms import AnswerForm, AreaForm, DocumentForm, PlanForm, ResultForm
from .models import Plan, PlanStatus, Statement, StatementStatus
from .permissions import staff_authority_ids


def _authorities(request: HttpRequest) -> Any:
    ids = staff_authority_ids(request.user)
    if ids == []:
        raise PermissionDenied(_("Sie bearbeiten keine Bebauungspläne."))
    authorities = Authority.objects.filter(is_active=True).order_by("name")
    return authorities if ids is None else authorities.filter(pk__in=ids)


def _plan(request: HttpRequest, pk: int) -> Plan:
    _authorities(request)
    return get_object_or_404(selectors.staff_plans(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def plans(request: HttpRequest) -> HttpResponse:
    authorities = _authorities(request)
    form = PlanForm(request.POST or None, authorities=authorities)
    if request.method == "POST" and form.is_valid():
        plan = form.save()
        messages.success(request, _("Der Plan wurde als Entwurf angelegt."))
        return redirect("participation:staff-plan", pk=plan.pk)
    return render(
        request,
        "participation/staff/plans.html",
        {"plans": selectors.staff_plans(request.user).order_by("-created_at"), "form": form},
        status=400 if form.errors else 200,
    )


def _area(request: HttpRequest, plan: Plan) -> str:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError(_("Bitte eine Datei auswählen."))
    try:
        with area.uploaded_file(upload, upload.name or "") as path:
            result = area.read_area(path, layer=request.POST.get("layer", "").strip() or None)
    except area.AreaRejected as exc:
        raise ValidationError(exc.message) from None
    services.plan_set_area(plan, geom=result.geom, by=request.user)  # type: ignore[arg-type]
    text = _("Geltungsbereich gespeichert: %(ha).2f ha aus Ebene „%(layer)s“.") % {
        "ha": result.hectares,
        "layer": result.layer,
    }
    return " ".join([text, *result.repaired])


def _document(request: HttpRequest, plan: Plan) -> str:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError(_("Bitte eine PDF-Datei auswählen."))
    services.plan_add_document(
        plan,
        fileobj=upload,
        filename=upload.name or "",
        title=request.POST.get("title", ""),
        by=request.user,  # type: ignore[arg-type]
    )
    return _("Die Unterlage wurde hochgeladen.")


def _open(request: HttpRequest, plan: Plan) -> str:
    services.plan_open_display(plan, by=request.user)  # type: ignore[arg-type]
    return _("Der Plan ist jetzt öffentlich ausgelegt.")


def _close(request: HttpRequest, plan: Plan) -> str:
    services.plan_close(plan, by=request.user)  # type: ignore[arg-type]
    return _("Die Auslegung ist beendet.")


def _result(request: HttpRequest, plan: Plan) -> str:
    upload = request.FILES.get("document")
    services.plan_publish_result(
        plan,
        by=request.user,  # type: ignore[arg-type]
        text=request.POST.get("text", ""),
        document=services.Upload(upload, upload.name or "") if upload else None,
    )
    return _("Das Ergebnis ist veröffentlicht; die Einsendenden werden benachrichtigt.")


def _answer(request: HttpRequest, plan: Plan) -> str:
    statement = get_object_or_404(
        Statement, pk=request.POST.get("statement") or 0, plan=plan, confirmed_at__isnull=False
    )
    services.statement_review(
        statement,
        tags=services.parse_tags(request.POST.get("tags", "")),
        answer=request.POST.get("answer", ""),
        status=request.POST.get("status", ""),
        by=request.user,  # type: ignore[arg-type]
    )
    return _("Stellungnahme %(receipt)s gespeichert.") % {"receipt": statement.receipt}


# What the public relies on once a plan is on display.
FIXED = {"authority", "display_start", "display_end", "access_level"}

ACTIONS: dict[str, Callable[[HttpRequest, Plan], str]] = {
    "area": _area,
    "document": _document,
    "open": _open,
    "close": _close,
    "result": _result,
    "answer": _answer,
}


def _page(request: HttpRequest, plan: Plan, status: int = 200, **forms: Any) -> HttpResponse:
    tag = request.GET.get("schlagwort", "")[:40]
    state = request.GET.get("stand", "")
    statements = selectors.staff_statements(
        plan, tag=tag, status=state if state in StatementStatus.values else ""
    )
    context = {
        "plan": plan,
        "documents": list(plan.documents.all()),
        "statements": [
            (
                s,
                AnswerForm(
                    initial={"tags": ", ".join(s.tags), "status": s.status, "answer": s.answer},
                    auto_id=f"s{s.pk}-%s",
                ),
            )
            for s in statements
        ],
        "tags": selectors.plan_tags(plan),
        "tag": tag,
        "state": state,
        "statuses": StatementStatus.choices,
        "edit_form": forms.get("edit_form")
        or PlanForm(instance=plan, authorities=_authorities(request)),
        "area_form": AreaForm(),
        "document_form": DocumentForm(),
        "result_form": ResultForm(initial={"text": plan.result_text}),
        "error": forms.get("error", ""),
        "map_extra": {"planArea": json.loads(plan.area.geojson)} if plan.area else {},
    }
    return render(request, "participation/staff/plan.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    found = _plan(request, pk)
    if request.method != "POST":
        return _page(request, found)
    if request.POST.get("action") == "edit":
        form = PlanForm(request.POST, instance=found, authorities=_authorities(request))
        if form.is_valid() and found.status != PlanStatus.DRAFT and set(form.changed_data) & FIXED:
            form.add_error(
                None, _("Nach Beginn der Auslegung ändern sich Stelle, Frist und Zugang nicht.")
            )
        if not form.is_valid():
            return _page(request, found, 400, edit_form=form)
        form.save()
        messages.success(request, _("Die Angaben wurden gespeichert."))
        return redirect("participation:staff-plan", pk=found.pk)
    handler = ACTIONS.get(request.POST.get("action", ""))
    if handler is None:
        return _page(request, found, 400, error=_("Unbekannte Aktion."))
    try:
        message = handler(request, found)
    except PermissionDenied as exc:
        return _page(request, found, 403, error=error_text(exc))
    except ValidationError as exc:
        return _page(request, found, 400, error=error_text(exc))
    messages.success(request, message)
    return redirect("participation:staff-plan", pk=found.pk)


@login_required
@require_GET
def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    found = _plan(request, pk)
    response = HttpResponse(export.csv_text(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="stellungnahmen-{found.pk}.csv"'
    return response


@login_required
@require_GET
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found = _plan(request, pk)
    response = HttpResponse(export.pdf_bytes(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="stellungnahmen-{found.pk}.pdf"'
    return response
