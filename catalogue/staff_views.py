"""Staff pages of the Serviceportal (/dienstleistungen/bearbeitung/): the applications of the
user's authorities and one page per application with an action per form (status, postbox
reply, internal note, payment received). Changes through catalogue.services."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import schema_forms, selectors, services
from .fitconnect.handover import handover_retry
from .models import Application, ApplicationStatus, Handover
from .privacy_log import log_application_view
from .views import MAX_UPLOADS, AuthenticatedHttpRequest


@login_required
@require_GET
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # The FIT-Connect hand-over's state is shown in the list (a refused one needs staff).
    applications = selectors.staff_applications(request.user).select_related("fitconnect_handover")
    status = request.GET.get("status", "")
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    return render(
        request,
        "catalogue/staff_list.html",
        {
            "applications": applications.order_by("-created_at")[:200],
            "status": status,
            "statuses": ApplicationStatus.choices,
        },
    )


def _status(request: AuthenticatedHttpRequest, application: Application) -> str:
    services.application_transition(
        application,
        to_status=request.POST.get("status", ""),
        by=request.user,
        note=request.POST.get("note", ""),
    )
    return _("Der Status wurde geändert.")


def _message(request: AuthenticatedHttpRequest, application: Application) -> str:
    services.message_send(
        application,
        sender=request.user,
        body=request.POST.get("body", ""),
        uploads=[
            services.Upload("files", f, f.name or "datei")
            for f in request.FILES.getlist("files")[:MAX_UPLOADS]
        ],
    )
    return _("Die Nachricht wurde gesendet.")


def _note(request: AuthenticatedHttpRequest, application: Application) -> str:
    services.application_note(application, by=request.user, text=request.POST.get("text", ""))
    return _("Die Notiz wurde gespeichert.")


def _paid(request: AuthenticatedHttpRequest, application: Application) -> str:
    payment = selectors.payment_of(application)
    if payment is None:
        raise ValidationError(_("Für diesen Antrag ist keine Gebühr offen."))
    services.payment_mark_paid(
        payment, by=request.user, reference=request.POST.get("reference", "")
    )
    return _("Die Zahlung wurde verbucht.")


def _handover_retry(request: AuthenticatedHttpRequest, application: Application) -> str:
    handover = Handover.objects.filter(application=application).first()
    if handover is None:
        raise ValidationError(_("Dieser Antrag wird nicht über FIT-Connect übermittelt."))
    handover_retry(handover, by=request.user)
    return _("Die Übermittlung wird erneut versucht.")


ACTIONS: dict[str, Callable[[AuthenticatedHttpRequest, Application], str]] = {
    "status": _status,
    "message": _message,
    "note": _note,
    "paid": _paid,
    "handover_retry": _handover_retry,
}


def _perform(request: AuthenticatedHttpRequest, application: Application) -> dict[str, list[str]]:
    """Run the posted action; its refusal as errors by field ("" = the whole form)."""
    action = ACTIONS.get(request.POST.get("action", ""))
    try:
        if action is None:
            raise ValidationError(_("Unbekannte Aktion."))
        messages.success(request, action(request, application))
    except services.ApplicationInvalid as exc:
        return exc.errors
    except ValidationError as exc:
        return {"": list(exc.messages)}
    except PermissionDenied as exc:
        return {"": [str(exc)]}
    return {}


@login_required
@require_http_methods(["GET", "POST"])
def staff_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff work an application: status, postbox reply, payment received. Staff of another
    authority get a 404, as if the application did not exist."""
    try:
        application = selectors.application_for_staff(request.user, pk)
    except Application.DoesNotExist as exc:
        raise Http404 from exc
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        errors = _perform(request, application)
        if not errors:
            return redirect("catalogue:staff-application", pk=pk)
    allowed = services.APPLICATION_TRANSITIONS.get(application.status, frozenset())
    # The page shows the applicant, her form data and address: the access log notes who saw it.
    log_application_view(request.user, application, "page")
    return render(
        request,
        "catalogue/application_detail.html",
        {
            "application": application,
            "events": list(application.events.all()),
            "payment": selectors.payment_of(application),
            "errors": errors,
            "staff_view": True,
            "next_statuses": [(v, label) for v, label in ApplicationStatus.choices if v in allowed],
            "form_fields": schema_forms.fields_of(
                application.service.form_schema, application.data
            ),
        },
        status=400 if errors else 200,
    )
