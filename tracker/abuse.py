""" "Missbrauch melden": anyone may tell the authority that a public report shows something it
should not (personal data, insults, spam). A page with a small form (no account, no
JavaScript, a honeypot like the report form, rate-limited per address) and the same as an API
endpoint (POST /api/v1/reports/<id>/abuse, throttled like `support`). The flag lands in the
staff queue ("Missbrauch gemeldet"); tracker.services.moderation stores and resolves it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.errors import add_errors_to_form

from . import selectors
from .models import AbuseFlag
from .services.moderation import MAX_ABUSE_TEXT, report_flag_abuse
from .views import friendly_when_limited

HONEYPOT_MESSAGE = _lazy("Ihre Meldung konnte nicht verarbeitet werden.")


class AbuseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_lazy("Was ist das Problem?"),
        choices=AbuseFlag.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _lazy("Bitte wählen Sie einen Grund.")},
    )
    text = forms.CharField(
        label=_lazy("Hinweis für die Verwaltung"),
        required=False,
        max_length=MAX_ABUSE_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Honeypot: off-screen and hidden from assistive technology; people leave it empty.
    website = forms.CharField(
        label=_lazy("Bitte dieses Feld leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean(self) -> dict[str, Any]:
        if self.data.get("website"):
            raise ValidationError(HONEYPOT_MESSAGE, code="honeypot")
        return super().clean() or {}


def _abuse_rate(group: str, request: HttpRequest) -> str:
    return str(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["abuse"])


@friendly_when_limited
@ratelimit(key="ip", rate=_abuse_rate, method="POST", block=True)
@require_http_methods(["GET", "POST"])
def report_abuse(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Missbrauch melden" page of a public report."""
    report = get_object_or_404(selectors.public_reports(), pk=pk)
    form = AbuseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                report_flag_abuse(
                    report, reason=form.cleaned_data["reason"], text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                add_errors_to_form(form, exc)
            else:
                messages.success(
                    request,
                    _("Danke. Die zuständige Stelle prüft Ihren Hinweis zu dieser Meldung."),
                )
                return redirect("tracker:report", pk=report.pk)
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs["aria-invalid"] = "true"
    return render(
        request,
        "tracker/report_abuse.html",
        {"report": report, "category_label": report.category.localized_name(), "form": form},
        status=status,
    )


class AbuseSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.ChoiceField(choices=AbuseFlag.Reason.choices)
    text = serializers.CharField(required=False, allow_blank=True, max_length=MAX_ABUSE_TEXT)
    website = serializers.CharField(
        required=False, allow_blank=True, write_only=True, help_text="leer lassen (Spamschutz)"
    )

    def validate_website(self, value: str) -> str:
        if value:
            raise serializers.ValidationError(str(HONEYPOT_MESSAGE))
        return value


class ReportAbuseView(APIView):
    """ "Missbrauch melden" for a public report: the authority's staff see it in their queue."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "abuse"

    @extend_schema(
        request=AbuseSerializer,
        responses={
            201: inline_serializer("AbuseReceived", {"detail": serializers.CharField()}),
            400: dict,
            404: dict,
            429: dict,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        report = get_object_or_404(selectors.public_reports(), pk=pk)
        serializer = AbuseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report_flag_abuse(report, reason=data["reason"], text=data.get("text", ""))
        return Response(
            {"detail": _("Danke. Die zuständige Stelle prüft Ihren Hinweis zu dieser Meldung.")},
            status=201,
        )
