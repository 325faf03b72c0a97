"""The forms of the Streckenkontrolle pages (a crew's phone, a legal department's desk)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.models import Category, Priority

from .measures import MEASURES

POSITION_ATTRS = {"inputmode": "decimal", "autocomplete": "off"}


class DefectForm(forms.Form):
    """One tap per Befund: category, priority, Sofortmaßnahme; photo and note optional.
    The position comes from the phone (hidden fields) or, without GPS, the last track point."""

    category = forms.ModelChoiceField(
        label=_("Befund"),
        queryset=Category.objects.filter(is_active=True).order_by(
            "-snap_to_roads", "sort_order", "name"
        ),
        empty_label=None,
    )
    priority = forms.TypedChoiceField(
        label=_("Priorität"), choices=Priority.choices, coerce=int, initial=Priority.HIGH
    )
    measure = forms.ChoiceField(
        label=_("Sofortmaßnahme"),
        choices=[("", _("— keine —")), *MEASURES.items()],
        required=False,
    )
    photo = forms.ImageField(label=_("Foto"), required=False)
    note = forms.CharField(
        label=_("Bemerkung"), required=False, max_length=2000, widget=forms.TextInput()
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput())
    lon = forms.FloatField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget.attrs.update({"accept": "image/*", "capture": "environment"})


class PointForm(forms.Form):
    """Without GPS in the browser: the position typed in (e.g. read off the car's navigation)."""

    lat = forms.FloatField(
        label=_("Breitengrad"), min_value=-90, max_value=90, widget=forms.TextInput(POSITION_ATTRS)
    )
    lon = forms.FloatField(
        label=_("Längengrad"),
        min_value=-180,
        max_value=180,
        widget=forms.TextInput(POSITION_ATTRS),
    )


class EndForm(forms.Form):
    segments = forms.TypedMultipleChoiceField(
        label=_("Befahrene Abschnitte"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Vorausgewählt: laut GPS-Spur befahren. Ergänzen Sie, was Sie ohne GPS befahren haben."
        ),
    )
    note = forms.CharField(
        label=_("Bemerkung zur Fahrt"), required=False, max_length=2000, widget=forms.TextInput()
    )


class PeriodForm(forms.Form):
    von = forms.DateField(label=_("von"), widget=forms.DateInput(attrs={"type": "date"}))
    bis = forms.DateField(label=_("bis"), widget=forms.DateInput(attrs={"type": "date"}))

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        today = timezone.localdate()
        return {"von": today - timedelta(days=365), "bis": today}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("von") and data.get("bis") and data["von"] > data["bis"]:
            raise forms.ValidationError(_("Der Beginn liegt nach dem Ende des Zeitraums."))
        return data
