"""Forms of the participation pages: the statement (citizens) and the staff's forms. Their
cleaned data are the services' parameters; the services decide (core.errors shows refusals)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.gis.geos import Point
from django.utils.translation import gettext_lazy as _

from core.errors import describe_errors
from geo.srid import InvalidCoordinates, wgs84_point

from .models import AccessLevel, Plan, StatementStatus


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each (core.attachments)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Ihre Stellungnahme"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20_000,
    )
    name = forms.CharField(label=_("Ihr Name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Ihre E-Mail-Adresse"), required=False)
    attachments = MultipleFileField(
        label=_("Anlagen (PDF oder Fotos, höchstens 5)"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}
        ),
    )
    # Filled by the map (participation/plan-map.js); without JavaScript there is no pin.
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lon = forms.CharField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(
        label=_("Bitte leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, guest: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guest = guest
        if guest:
            self.fields["email"].required = True
        else:
            del self.fields["email"]
            del self.fields["name"]
        describe_errors(self)

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Bitte lassen Sie dieses Feld leer."))
        return ""

    def pin(self) -> Point | None:
        lat, lon = self.cleaned_data.get("lat"), self.cleaned_data.get("lon")
        if not lat and not lon:
            return None
        try:
            return wgs84_point(lon, lat)
        except InvalidCoordinates as exc:
            raise forms.ValidationError({"lat": str(exc)}) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            try:
                cleaned["pin"] = self.pin()
            except forms.ValidationError as exc:
                self.add_error(None, exc.messages)
        return cleaned


class PlanForm(forms.ModelForm[Plan]):
    class Meta:
        model = Plan
        fields = [
            "authority",
            "number",
            "title",
            "description",
            "display_start",
            "display_end",
            "access_level",
        ]
        widgets = {
            "display_start": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "display_end": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args: Any, authorities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities  # type: ignore[attr-defined]
        self.fields["access_level"].choices = AccessLevel.choices  # type: ignore[attr-defined]
        describe_errors(self)  # type: ignore[arg-type]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("display_start"), cleaned.get("display_end")
        if start and end and end <= start:
            self.add_error("display_end", _("Das Ende der Auslegung muss nach dem Beginn liegen."))
        return cleaned


class AreaForm(forms.Form):
    file = forms.FileField(
        label=_("Geltungsbereich (GeoJSON, Shapefile als ZIP, GeoPackage, XPlanung-GML)")
    )
    layer = forms.CharField(label=_("Ebene (nur bei mehreren)"), max_length=100, required=False)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titel der Unterlage"), max_length=200)
    file = forms.FileField(label=_("Datei (PDF)"))


class ResultForm(forms.Form):
    text = forms.CharField(
        label=_("Ergebnis der Abwägung"), widget=forms.Textarea(attrs={"rows": 6})
    )
    document = forms.FileField(label=_("Beschluss oder Abwägungstabelle (PDF)"), required=False)


class AnswerForm(forms.Form):
    tags = forms.CharField(
        label=_("Schlagworte (durch Komma getrennt)"), max_length=400, required=False
    )
    status = forms.ChoiceField(label=_("Stand"), choices=StatementStatus.choices)
    answer = forms.CharField(
        label=_("Antwort / Abwägung"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
