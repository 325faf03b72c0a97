"""The area alert form: a Gemeinde, a circle around a point (latitude, longitude, radius), or an
area drawn on the map."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from boundaries.models import Authority, Level
from tracker.models import Category

from .alerts import MAX_RADIUS_M
from .models import AreaAlert


class AreaAlertForm(forms.Form):
    name = forms.CharField(label=_("Bezeichnung"), max_length=100, required=False)
    authority = forms.ModelChoiceField(
        label=_("Gemeinde"),
        queryset=Authority.objects.none(),
        required=False,
        empty_label=_("– keine, stattdessen Umkreis –"),
    )
    lat = forms.FloatField(
        label=_("Breitengrad des Mittelpunkts"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_("z. B. 53.25"),
    )
    lon = forms.FloatField(
        label=_("Längengrad des Mittelpunkts"),
        required=False,
        min_value=-180,
        max_value=180,
        help_text=_("z. B. 10.41"),
    )
    radius_m = forms.IntegerField(
        label=_("Radius in Metern"),
        required=False,
        min_value=10,
        max_value=MAX_RADIUS_M,
        initial=500,
    )
    # Filled by the map (static/js/alert-draw.js): a drawn polygon as GeoJSON. Without a
    # mouse or JavaScript, the Gemeinde or the circle are the ways to choose an area.
    area = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100_000)
    category = forms.ModelChoiceField(
        label=_("Kategorie"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("alle Kategorien"),
    )
    frequency = forms.ChoiceField(
        label=_("Häufigkeit"),
        choices=AreaAlert.Frequency.choices,
        initial=AreaAlert.Frequency.INSTANT,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Authority.objects.filter(  # type: ignore[attr-defined]
            is_active=True,
            level__in=[Level.GEMEINDE, Level.SAMTGEMEINDE],
            boundaries__boundary_set__is_active=True,
        ).distinct()
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_point = data.get("lat") is not None and data.get("lon") is not None
        chosen = [data.get("authority") is not None, has_point, bool(data.get("area"))]
        if not any(chosen):
            raise forms.ValidationError(
                _(
                    "Bitte wählen Sie eine Gemeinde, geben Sie einen Mittelpunkt an oder "
                    "zeichnen Sie ein Gebiet in die Karte."
                )
            )
        if chosen.count(True) > 1:
            raise forms.ValidationError(
                _(
                    "Bitte wählen Sie nur eines: eine Gemeinde, einen Mittelpunkt oder ein "
                    "gezeichnetes Gebiet."
                )
            )
        if has_point and data.get("radius_m") is None:
            self.add_error("radius_m", _("Bitte geben Sie einen Radius an."))
        return data
