"""Citizen pages of the Abfallkalender under /abfall/: lookup by address, a district's
dates, its iCal feed (also by address), and e-mail reminders with double opt-in. Every page
works without JavaScript."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import ical
from core.errors import add_errors_to_form

from . import selectors, services
from .lookup import lookup as lookup_address
from .models import CollectionDistrict

FEED_DAYS = 400


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-Mail-Adresse"),
        max_length=254,
        error_messages={
            "invalid": gettext_lazy("Bitte eine gültige E-Mail-Adresse angeben."),
            "required": gettext_lazy("Bitte Ihre E-Mail-Adresse angeben."),
        },
    )


def _district_context(request: HttpRequest, district: CollectionDistrict) -> dict[str, Any]:
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    return {
        "district": district,
        "days": selectors.upcoming_by_day(district.pk),
        "form": SubscribeForm(initial=initial),
    }


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("adresse", "").strip()[:100]
    context: dict[str, Any] = {"query": query}
    if query:
        found = lookup_address(query)
        context["result"] = found
        if found.district is not None:
            context.update(_district_context(request, found.district))
    return render(request, "waste/lookup.html", context)


@require_GET
def district_page(request: HttpRequest, pk: int) -> HttpResponse:
    district = get_object_or_404(selectors.districts(), pk=pk)
    return render(request, "waste/district.html", _district_context(request, district))


def _feed(district: CollectionDistrict) -> HttpResponse:
    today = timezone.localdate()
    entries = [
        ical.Entry(
            uid=f"waste-{pickup.pk}@maengelmelder",
            summary=pickup.waste_type.name,
            start=pickup.date,
            description=_("Abfuhr in %(district)s") % {"district": str(district)},
            categories=(pickup.waste_type.name,),
        )
        for pickup in selectors.pickups(
            district.pk, today - timedelta(days=31), today + timedelta(days=FEED_DAYS)
        )
    ]
    name = _("Abfuhrtermine %(district)s") % {"district": str(district)}
    return ical.response(name, entries, f"abfuhr-{district.pk}.ics")


@require_GET
def district_ical(request: HttpRequest, pk: int) -> HttpResponse:
    return _feed(get_object_or_404(selectors.districts(), pk=pk))


@require_GET
def address_ical(request: HttpRequest) -> HttpResponse:
    """The feed of the district an address belongs to (a URL that stays right when a street
    moves to another district)."""
    found = lookup_address(request.GET.get("adresse", "")[:100])
    if found.district is None:
        raise Http404(_("Zu dieser Anschrift kennen wir keinen Abfuhrbezirk."))
    return _feed(found.district)


@require_POST
def subscribe(request: HttpRequest, pk: int) -> HttpResponse:
    district = get_object_or_404(selectors.districts(), pk=pk)
    form = SubscribeForm(request.POST)
    if form.is_valid():
        try:
            subscription = services.subscribe(
                district,
                email=form.cleaned_data["email"],
                user=request.user if request.user.is_authenticated else None,
                language=translation.get_language() or "de",
            )
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            return render(
                request,
                "waste/subscribed.html",
                {"district": district, "subscription": subscription},
            )
    context = {**_district_context(request, district), "form": form}
    return render(request, "waste/district.html", context, status=400)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners open links), POST confirms."""
    if request.method == "GET":
        return render(
            request,
            "waste/confirm.html",
            {"token": token, "action": reverse("waste:confirm", args=[token])},
        )
    try:
        subscription = services.confirm(token)
    except ValidationError as error:
        return render(request, "waste/confirm.html", {"invalid": error.messages[0]}, status=400)
    return render(request, "waste/confirm.html", {"done": True, "district": subscription.district})
