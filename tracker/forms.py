"""The report form for browsers without JavaScript (or without the map).

The same form is rendered on /melden/ for everybody; with JavaScript the map fills in lat/lon
and the page posts to the REST API instead. Without it, the citizen types a place and the
server resolves it with the same offline place search as /api/v1/places.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from boundaries.places import Place, search_places
from geo.srid import InvalidCoordinates, wgs84_point
from tracker.models import Category
from tracker.services import MAX_DESCRIPTION, MAX_PHOTOS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to MAX_PHOTOS files from one `<input type=file multiple>`. The photo pipeline
    (core.images) decides what is an acceptable image."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("Höchstens %(max)d Fotos pro Meldung.") % {"max": MAX_PHOTOS}
            )
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


class CategoryChoiceField(forms.ModelChoiceField[Category]):
    def label_from_instance(self, obj: Category) -> str:
        return obj.localized_name()


def place_choice_value(place: Place) -> str:
    return f"{place.lat:.6f},{place.lon:.6f}"


def place_choice_label(place: Place) -> str:
    return f"{place.label} ({place.detail})" if place.detail else place.label


class ReportForm(forms.Form):
    place = forms.CharField(
        label=_("Ort oder Adresse"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    # Offered when a typed place is ambiguous; validated against a fresh search on submit.
    place_choice = forms.CharField(
        label=_("Ort auswählen"),
        required=False,
        max_length=40,
        widget=forms.RadioSelect,
    )
    # Filled by the map (JavaScript); a typed place is used when they are empty.
    lat = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)
    lon = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)
    category = CategoryChoiceField(
        label=_("Kategorie"),
        queryset=Category.objects.filter(is_active=True).order_by("sort_order", "name"),
        to_field_name="slug",
        empty_label=_("Bitte wählen …"),
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    photos = MultiplePhotoField(
        label=_("Fotos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic"}),
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Telefon"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    # Honeypot: off-screen and hidden from assistive technology; people leave it empty.
    website = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    # Hints shown under the labels (and linked with aria-describedby).
    hints = {
        "place": _(
            "Straße und Ort, z. B. „Lindenweg 5, Heidestadt“, eine Straßennummer wie „K 12“ "
            "oder der Name der Gemeinde."
        ),
        "description": _(
            "Was ist wo kaputt? Die Beschreibung wird veröffentlicht, bitte keine "
            "persönlichen Daten (Namen, Kennzeichen, Telefonnummern)."
        ),
        "photos": _(
            "Bis zu %(max)d Fotos (JPEG, PNG, WebP oder HEIC). Wir entfernen alle Metadaten, "
            "auch den Aufnahmeort. Fotos werden erst nach Prüfung veröffentlicht."
        )
        % {"max": MAX_PHOTOS},
        "email": _(
            "Für die Bestätigung Ihrer Meldung und Nachrichten zum Bearbeitungsstand. "
            "Wird nicht veröffentlicht."
        ),
        "name": _("Für Rückfragen der Behörde. Wird nicht veröffentlicht."),
        "phone": _("Für Rückfragen der Behörde. Wird nicht veröffentlicht."),
    }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        self.place_matches: list[Place] = []
        self.point: Point | None = None
        if self.user is None:
            self.fields["email"].required = True
        else:
            # Logged-in citizens report with their verified account address.
            del self.fields["email"]
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.HiddenInput | forms.RadioSelect):
                continue
            described = [f"id_{name}-error"]
            if name in self.hints:
                described.insert(0, f"id_{name}-hint")
            field.widget.attrs["aria-describedby"] = " ".join(described)
        if self.is_bound and self.data.get("place_choice"):
            # Rebuild the candidate list the citizen chose from.
            self._offer(search_places(str(self.data.get("place", ""))))

    def _offer(self, matches: list[Place]) -> None:
        self.place_matches = matches
        widget = cast(forms.RadioSelect, self.fields["place_choice"].widget)
        widget.choices = [(place_choice_value(p), place_choice_label(p)) for p in matches]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.data.get("website"):
            # The honeypot: only bots fill it in. Tell them nothing useful.
            raise forms.ValidationError(
                _("Ihre Meldung konnte nicht verarbeitet werden."), code="honeypot"
            )
        self.point = self._resolve_point(cleaned)
        return cleaned

    def _resolve_point(self, cleaned: dict[str, Any]) -> Point | None:
        lat, lon = cleaned.get("lat", ""), cleaned.get("lon", "")
        if lat and lon:
            try:
                return wgs84_point(lon, lat)
            except InvalidCoordinates as exc:
                self.add_error("place", str(exc))
                return None
        query = cleaned.get("place", "").strip()
        if not query:
            self.add_error("place", _("Bitte geben Sie an, wo das Problem ist (Straße und Ort)."))
            return None
        choice = cleaned.get("place_choice", "")
        if choice:
            chosen = [p for p in self.place_matches if place_choice_value(p) == choice]
            if chosen:
                return Point(chosen[0].lon, chosen[0].lat, srid=4326)
        matches = search_places(query)
        best = self._unambiguous(matches)
        if best is not None:
            return Point(best.lon, best.lat, srid=4326)
        if not matches:
            self.add_error(
                "place",
                _(
                    "Diesen Ort haben wir nicht gefunden. Bitte prüfen Sie die Schreibweise "
                    "oder geben Sie nur die Straße und den Ort an."
                ),
            )
            return None
        self._offer(matches)
        self.add_error(
            "place_choice",
            _("Mehrere Orte passen zu „%(query)s“. Bitte wählen Sie den richtigen aus.")
            % {"query": query},
        )
        return None

    @staticmethod
    def _unambiguous(matches: Sequence[Place]) -> Place | None:
        """One match, or one match clearly better (exact vs. prefix) than all others."""
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1 and matches[0].rank < matches[1].rank:
            return matches[0]
        return None

    def report_data(self) -> dict[str, Any]:
        """Validated data in the shape tracker.api.create_report_from expects."""
        data = self.cleaned_data
        return {
            "category": data["category"],
            "point": self.point,
            "description": data["description"],
            "email": data.get("email", ""),
            "name": data.get("name", ""),
            "phone": data.get("phone", ""),
            "address": data.get("place", "")[:300],
            "photos": data.get("photos", []),
        }

    def focus_first_error(self) -> None:
        """Without JavaScript, autofocus takes the citizen to the first field to correct."""
        for name, field in self.fields.items():
            if name in self.errors:
                field.widget.attrs["autofocus"] = True
                return
