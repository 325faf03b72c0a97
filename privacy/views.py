"""Pages of subject access (Art. 15/20 DSGVO): "Meine Daten herunterladen" in the Bürgerkonto,
the guest's confirmation and download page behind the mailed link, and the staff form that
starts the guest procedure. The work is privacy.exports; the archive privacy.export."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Membership, User
from boundaries.models import Authority
from core.errors import add_errors_to_form

from . import exports
from .admin import PRIVACY_ROLES
from .models import DataExport


def _refused(request: HttpRequest, exc: Exception, status: int) -> HttpResponse:
    message = str(exc.args[0]) if exc.args else _("Dieser Download ist nicht verfügbar.")
    return render(request, "privacy/refused.html", {"message": message}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """Meine Daten herunterladen: ask for the archive, see its state, download it."""
    user = cast(User, request.user)
    if request.method == "POST":
        exports.request_for_user(user)
        messages.success(
            request,
            _(
                "Ihre Daten werden zusammengestellt. Sie erhalten eine E-Mail, sobald der "
                "Download bereitsteht."
            ),
        )
        return redirect("privacy:my-data")
    item = (
        DataExport.objects.filter(user=user, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    return render(request, "privacy/my_data.html", {"export": item, "days": exports.days_valid()})


@require_GET
def download(request: HttpRequest, token: str) -> HttpResponseBase:
    """The archive itself: a guest's for whoever holds its link, an account's for that
    account only (others: 403; unknown or expired: 404, each with a message)."""
    item = DataExport.objects.filter(token=token).first()
    if item is not None and item.user_id is not None and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        item = exports.for_download(token, request.user)
    except Http404 as exc:
        return _refused(request, exc, 404)
    except PermissionDenied as exc:
        return _refused(request, exc, 403)
    if item.status != DataExport.Status.READY or not item.file:
        return _refused(request, Http404(_("Das Archiv wird noch erstellt.")), 404)
    day = timezone.localtime(item.ready_at).date().isoformat() if item.ready_at else ""
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=f"maengelmelder-meine-daten-{day}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def guest(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed link of the guest procedure: GET shows the button (mail scanners open
    links), POST confirms and starts the build; later the same page offers the download."""
    try:
        item = exports.for_download(token, None)
    except Http404 as exc:
        return _refused(request, exc, 404)
    except PermissionDenied as exc:  # an account's export: not through this page
        return _refused(request, exc, 403)
    if request.method == "POST":
        try:
            exports.confirm(item)
        except ValidationError as exc:
            return _refused(request, Http404(exc.messages[0]), 404)
        return redirect("privacy:guest", token=token)
    return render(request, "privacy/guest.html", {"export": item, "days": exports.days_valid()})


def _staff_authorities(request: HttpRequest) -> list[Authority]:
    if request.user.is_superuser:
        return list(Authority.objects.order_by("name"))
    ids = Membership.objects.filter(
        user=cast(User, request.user), role__in=PRIVACY_ROLES
    ).values_list("authority_id", flat=True)
    return list(Authority.objects.filter(pk__in=ids).order_by("name"))


class GuestRequestForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-Mail-Adresse der Person"),
        error_messages={
            "invalid": gettext_lazy("Bitte geben Sie eine gültige E-Mail-Adresse ein.")
        },
        help_text=gettext_lazy(
            "An diese Adresse geht ein Bestätigungslink. Erst nach der Bestätigung wird das "
            "Archiv erstellt, und nur die Person selbst kann es über den Link herunterladen."
        ),
    )
    authority = forms.ModelChoiceField(
        label=gettext_lazy("Für die Stelle"), queryset=Authority.objects.none()
    )
    reason = forms.CharField(
        label=gettext_lazy("Anlass (für das Zugriffsprotokoll)"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("z. B. „Antrag per Brief vom 3. März“"),
    )

    def __init__(self, *args: object, authorities: list[Authority], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["authority"]
        field.queryset = Authority.objects.filter(pk__in=[a.pk for a in authorities])  # type: ignore[attr-defined]
        if len(authorities) == 1:
            field.initial = authorities[0].pk


@login_required
@require_http_methods(["GET", "POST"])
def staff_guest_request(request: HttpRequest) -> HttpResponse:
    """Authority admins and data protection officers start the guest procedure."""
    authorities = _staff_authorities(request)
    if not authorities:
        raise PermissionDenied(
            _("Nur die Verwaltung einer Stelle und Datenschutzbeauftragte können das.")
        )
    form = GuestRequestForm(request.POST or None, authorities=authorities)
    if request.method == "POST" and form.is_valid():
        try:
            item = exports.request_for_guest(
                form.cleaned_data["email"],
                by=request.user,  # type: ignore[arg-type]
                authority_id=form.cleaned_data["authority"].pk,
                reason=form.cleaned_data["reason"],
                language=(get_language() or "de")[:2],
            )
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Wir haben einen Bestätigungslink an {email} gesendet. Nach der Bestätigung "
                    "erhält die Person ihre Daten direkt; Sie sehen sie nicht."
                ).format(email=item.email),
            )
            return redirect("privacy:staff-guest")
    recent = DataExport.objects.filter(
        requested_by__isnull=False, authority__in=authorities
    ).order_by("-created_at")[:20]
    return render(
        request,
        "privacy/staff_guest.html",
        {"form": form, "recent": recent},
        status=400 if form.errors else 200,
    )
