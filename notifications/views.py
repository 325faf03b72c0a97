"""Pages: area alerts in the Bürgerkonto, one-click unsubscribe (RFC 8058), follow a report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.gis.geos import Point
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from tracker.models import Report

from . import alerts, services, tokens
from .forms import AreaAlertForm
from .models import AreaAlert


class AuthenticatedHttpRequest(HttpRequest):
    user: User


@login_required
@require_http_methods(["GET", "POST"])
def alert_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Benachrichtigungen: the user's area alerts, and a form for a new one."""
    form = AreaAlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        has_point = data.get("lat") is not None and data.get("lon") is not None
        point = Point(data["lon"], data["lat"], srid=4326) if has_point else None
        try:
            drawn = alerts.drawn_area(data["area"]) if data.get("area") else None
            alerts.alert_create(
                user=request.user,
                name=data.get("name") or (data.get("place") if point is not None else "") or "",
                authority=data.get("authority"),
                point=point,
                radius_m=data.get("radius_m") if point is not None else None,
                drawn=drawn,
                category=data.get("category"),
                frequency=data["frequency"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Die Benachrichtigung ist eingerichtet."))
            return redirect("notifications:alerts")
    return render(
        request,
        "notifications/alerts.html",
        {
            "form": form,
            "alerts": alerts.alerts_of_user(request.user),
            "draw_strings": {
                "drawn": _("Gebiet gezeichnet. Es wird beim Einrichten verwendet."),
                "cleared": _("Gezeichnetes Gebiet entfernt."),
                "searching": _("Suche läuft …"),
                "found": _("%(count)s Orte gefunden. Bitte einen auswählen."),
                "none": _("Keinen Ort gefunden. Versuchen Sie Straße und Ort."),
                "failed": _("Die Suche ist gerade nicht möglich."),
                "centre": _("Mittelpunkt: %(place)s"),
                "mapPoint": _("Punkt auf der Karte"),
            },
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def alert_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(AreaAlert, pk=pk, user=request.user)
    alerts.alert_delete(alert, user=request.user)
    messages.success(request, _("Die Benachrichtigung wurde gelöscht."))
    return redirect("notifications:alerts")


@login_required
@require_POST
def follow(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Follow (or with `unfollow` in the form, stop following) a public report's updates."""
    report = get_object_or_404(Report, pk=pk, confirmed_at__isnull=False)
    if request.POST.get("unfollow"):
        services.report_unfollow(report, user=request.user)
        messages.success(request, _("Sie erhalten keine Neuigkeiten zu dieser Meldung mehr."))
    else:
        services.report_follow(report, user=request.user)
        messages.success(request, _("Sie erhalten Neuigkeiten zu dieser Meldung per E-Mail."))
    return redirect("tracker:report", pk=report.pk)


@csrf_exempt  # RFC 8058 one-click POSTs come from mail providers; the signed token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what will be unsubscribed and a button (link scanners must not unsubscribe
    anyone); POST (the button, or the mail client's List-Unsubscribe-Post) unsubscribes."""
    try:
        email, scope = tokens.read(token)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    context = {"email": email, "scope_label": scope_label(scope), "token": token}
    if request.method == "POST":
        services.unsubscribe(token)
        return render(request, "notifications/unsubscribe.html", {**context, "done": True})
    return render(request, "notifications/unsubscribe.html", context)


def scope_label(scope: str) -> str:
    kind, _sep, ident = scope.partition(":")
    if kind == "report":
        report = Report.objects.filter(pk=ident).only("created_at").first()
        if report is not None:
            return _("Neuigkeiten zur Meldung %(ref)s") % {"ref": report.reference}
        return _("Neuigkeiten zu einer Meldung")
    if kind == "alert":
        return _("Ihre Gebietsbenachrichtigung")
    if kind == "authority-new":
        return _("E-Mails über neue Meldungen an diese Adresse")
    if kind == "application":
        return _("Neuigkeiten zu Ihrem Antrag")
    if kind == "waste":
        return _("die Erinnerungen an Abfuhrtermine")
    if kind == "digest":
        return _("die tägliche Übersicht überfälliger Meldungen")
    return _("alle Benachrichtigungen des Mängelmelders")
