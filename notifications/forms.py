"""The area alert form: a circle around a place (found by name with the report form's place
search, boundaries.places, or tapped on the map, which fills the hidden lat/lon), a Gemeinde,
or an area drawn on the map. Without JavaScript the place is searched by name on submit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from boundaries.models import Authority, Level
from boundaries.places import search_places
from tracker.models import Category

from .alerts import MAX_RADIUS_M
from .models import AreaAlert


class AreaAlertForm(forms.Form):
    name = forms.CharField(label=_("Bezeichnung"), max_length=100, required=False)
    place = forms.CharField(
        label=_("Ort als Mittelpunkt"),
        required=False,
        max_length=200,
        help_text=_("Straße und Ort, z. B. „Lindenweg, Heidestadt“, oder ein Ortsname."),
    )
    # Set by the map or a chosen search hit (static/js/alert-draw.js); else found from `place`.
    lat = forms.FloatField(widget=forms.HiddenInput, required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(widget=forms.HiddenInput, required=False, min_value=-180, max_value=180)
    radius_m = forms.IntegerField(
        label=_("Umkreis in Metern"),
        required=False,
        min_value=10,
        max_value=MAX_RADIUS_M,
        initial=500,
    )
    authority = forms.ModelChoiceField(
        label=_("oder eine ganze Gemeinde"),
        queryset=Authority.objects.none(),
        required=False,
        empty_label=_("– keine, stattdessen Ort und Umkreis –"),
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

    def _locate(self, data: dict[str, Any]) -> None:
        """Without a point from the map, the typed place is searched like on the report form;
        the first hit is the centre (the alert is named after it)."""
        text = " ".join((data.get("place") or "").split())
        if not text or (data.get("lat") is not None and data.get("lon") is not None):
            return
        hits = search_places(text, limit=1)
        if not hits:
            self.add_error(
                "place",
                _(
                    "Zu „%(text)s“ haben wir keinen Ort gefunden. Versuchen Sie Straße und Ort, "
                    "z. B. „Lindenweg, Heidestadt“, oder nur den Ortsnamen."
                )
                % {"text": text},
            )
            return
        data["lat"], data["lon"], data["place"] = hits[0].lat, hits[0].lon, hits[0].label

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._locate(data)
        if self.has_error("place"):
            return data
        has_point = data.get("lat") is not None and data.get("lon") is not None
        chosen = [data.get("authority") is not None, has_point, bool(data.get("area"))]
        if not any(chosen):
            raise forms.ValidationError(
                _(
                    "Bitte geben Sie einen Ort als Mittelpunkt an, wählen Sie eine Gemeinde "
                    "oder zeichnen Sie ein Gebiet in die Karte."
                )
            )
        if chosen.count(True) > 1:
            raise forms.ValidationError(
                _(
                    "Bitte wählen Sie nur eines: einen Ort als Mittelpunkt, eine Gemeinde oder "
                    "ein gezeichnetes Gebiet."
                )
            )
        if has_point and data.get("radius_m") is None:
            self.add_error("radius_m", _("Bitte geben Sie einen Radius an."))
        return data
