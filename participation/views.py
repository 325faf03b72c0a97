"""Citizen pages under /beteiligung/: the plans on display, a plan's page with its area on the
map, its documents and the statement form (works without JavaScript: then without a pin),
the receipt page and the guests' confirmation link."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from core.errors import add_errors_to_form

from . import selectors, services
from .forms import StatementForm
from .models import Plan, PlanStatus


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "participation/list.html",
        {
            "on_display": list(selectors.plans_on_display()),
            "finished": list(selectors.plans_finished()[:20]),
        },
    )


def _map_extra(plan: Plan) -> dict[str, Any]:
    if plan.area is None:
        return {}
    return {
        "planArea": json.loads(plan.area.geojson),
        "pinInput": plan.is_open(),
        "strings": {
            "pinOutside": _(
                "Dieser Ort liegt außerhalb des Plangebiets. Bitte in die umrandete Fläche tippen."
            ),
            "pinSet": _("Markierter Ort: %(lat)s N, %(lon)s O"),
            "pinNone": _("Kein Ort markiert."),
            "pinTitle": _("Ort Ihrer Stellungnahme"),
            "mapLabel": _("Karte des Plangebiets"),
        },
    }


def _context(request: HttpRequest, plan: Plan, form: StatementForm | None) -> dict[str, Any]:
    user = request.user if request.user.is_authenticated else None
    return {
        "plan": plan,
        "documents": list(plan.documents.all()),
        "is_open": plan.is_open(),
        "not_started": plan.status == PlanStatus.DISPLAY and timezone.now() < plan.display_start,
        "may_submit": services.may_submit(user, plan),
        "level_hint": services.level_hint(plan),
        "form": form,
        "map_extra": _map_extra(plan),
    }


def _statement_rate(group: str, request: HttpRequest) -> str:
    return str(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["statement"])


@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(selectors.public_plans(), pk=pk)
    guest = not request.user.is_authenticated
    if request.method != "POST":
        form = StatementForm(guest=guest) if plan.is_open() else None
        return render(request, "participation/plan.html", _context(request, plan, form))
    form = StatementForm(request.POST, request.FILES, guest=guest)
    limited = is_ratelimited(
        request, group="participation.statement", key="ip", rate=_statement_rate, increment=True
    )
    status = 400
    if limited:
        form.is_valid()
        form.add_error(None, services.rate_message())
        status = 429
    elif form.is_valid():
        try:
            statement = services.statement_submit(
                plan,
                user=request.user if not guest else None,  # type: ignore[arg-type]
                text=form.cleaned_data["text"],
                email=form.cleaned_data.get("email", ""),
                name=form.cleaned_data.get("name", ""),
                pin=form.cleaned_data.get("pin"),
                uploads=[
                    services.Upload(f, f.name or "anlage")
                    for f in request.FILES.getlist("attachments")
                ],
                language=(get_language() or "de")[:2],
            )
        except PermissionDenied as exc:
            add_errors_to_form(form, exc)
            status = 403
        except ValidationError as exc:
            add_errors_to_form(form, exc, field="text")
        else:
            return redirect("participation:receipt", token=statement.token)
    plan.refresh_from_db()
    return render(request, "participation/plan.html", _context(request, plan, form), status=status)


@require_GET
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    statement = selectors.statement_by_token(token)
    if statement is None:
        raise Http404
    return render(
        request, "participation/receipt.html", {"statement": statement, "plan": statement.plan}
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners open links), POST confirms."""
    action = reverse("participation:confirm", args=[token])
    if request.method != "POST":
        return render(request, "participation/confirm.html", {"action": action})
    try:
        statement = services.statement_confirm(token)
    except ValidationError as error:
        return render(
            request, "participation/confirm.html", {"invalid": error.messages[0]}, status=400
        )
    return redirect("participation:receipt", token=statement.token)
