"""The moderation actions' input for both doors (API serializers, page forms) and what the
staff report page shows for moderation: open abuse flags, comments waiting for review, the
citizen's original description, and which photos the user may release or hide.

The actions themselves are rows of tracker.staff.actions.ACTIONS ("photo-visibility",
"description", "comment-review", "abuse-resolve"), the rules tracker.services.moderation's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tracker import permissions, selectors
from tracker.models import Photo, Report
from tracker.services import MAX_DESCRIPTION, MAX_NOTE

DESCRIPTION_MODES = (
    ("edit", _("öffentliche Fassung speichern")),
    ("hide", _("öffentlich entfernen")),
    ("restore", _("ursprüngliche Fassung wieder zeigen")),
)

# ---- API input --------------------------------------------------------------------------------


class PhotoVisibilitySerializer(serializers.Serializer[dict[str, Any]]):
    photo = serializers.IntegerField(min_value=1, help_text="ID des Fotos (aus `photos`)")
    public = serializers.BooleanField(help_text="true: veröffentlichen, false: verbergen")


class PhotoBlurAddSerializer(serializers.Serializer[dict[str, Any]]):
    photo = serializers.IntegerField(min_value=1, help_text="ID des Fotos (aus `photos`)")
    x = serializers.IntegerField(min_value=0, help_text="linker Rand in Pixeln des Fotos")
    y = serializers.IntegerField(min_value=0, help_text="oberer Rand in Pixeln des Fotos")
    w = serializers.IntegerField(min_value=1, help_text="Breite in Pixeln")
    h = serializers.IntegerField(min_value=1, help_text="Höhe in Pixeln")


class PhotoBlurRemoveSerializer(serializers.Serializer[dict[str, Any]]):
    photo = serializers.IntegerField(min_value=1, help_text="ID des Fotos (aus `photos`)")
    box = serializers.IntegerField(min_value=1, help_text="ID des Bereichs (aus `blur_boxes`)")


class DescriptionSerializer(serializers.Serializer[dict[str, Any]]):
    mode = serializers.ChoiceField(choices=[m for m, _label in DESCRIPTION_MODES])
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_DESCRIPTION,
        help_text="edit: die öffentliche Fassung",
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_NOTE, help_text="interner Grund"
    )


class CommentReviewSerializer(serializers.Serializer[dict[str, Any]]):
    comment = serializers.IntegerField(
        min_value=1, help_text="ID des Verlaufseintrags mit review=pending"
    )
    publish = serializers.BooleanField(help_text="true: veröffentlichen, false: ablehnen")


class AbuseResolveSerializer(serializers.Serializer[dict[str, Any]]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=MAX_NOTE)


# URL segment → input, summary (read by tracker.staff.api.API_ACTIONS).
API_MODERATION_ACTIONS: dict[str, tuple[type[serializers.Serializer[Any]], str]] = {
    "photo-visibility": (PhotoVisibilitySerializer, "Foto veröffentlichen oder verbergen"),
    "photo-blur-add": (
        PhotoBlurAddSerializer,
        "Bereich eines Fotos schwärzen (öffentliche Fassung wird neu erstellt)",
    ),
    "photo-blur-remove": (PhotoBlurRemoveSerializer, "Schwärzung eines Fotos entfernen"),
    "description": (
        DescriptionSerializer,
        "Öffentliche Beschreibung bearbeiten, entfernen oder wiederherstellen",
    ),
    "comment-review": (CommentReviewSerializer, "Kommentar nach Prüfung veröffentlichen/ablehnen"),
    "abuse-resolve": (AbuseResolveSerializer, "Offene Missbrauchsmeldungen erledigen"),
}

# ---- page forms -------------------------------------------------------------------------------

_YES_NO = (("1", _("ja")), ("0", _("nein")))


def _flag(label: Any) -> forms.TypedChoiceField:
    """A yes/no chosen by the button pressed (name=…, value=1 or 0)."""
    return forms.TypedChoiceField(
        label=label, choices=_YES_NO, coerce=lambda v: v == "1", widget=forms.HiddenInput
    )


class PhotoVisibilityForm(forms.Form):
    photo = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    public = _flag(_("öffentlich"))


def _pixels(label: Any, minimum: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class PhotoBlurAddForm(forms.Form):
    """A box in the stored photo's pixels; the page's script fills it by dragging."""

    photo = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    x = _pixels(_("Links (x)"), 0)
    y = _pixels(_("Oben (y)"), 0)
    w = _pixels(_("Breite"), 1)
    h = _pixels(_("Höhe"), 1)


class PhotoBlurRemoveForm(forms.Form):
    photo = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    box = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class DescriptionForm(forms.Form):
    text = forms.CharField(
        label=_("Öffentliche Fassung"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    note = forms.CharField(
        label=_("Interner Grund (optional)"), required=False, max_length=MAX_NOTE
    )
    mode = forms.ChoiceField(
        label=_("Änderung"), choices=DESCRIPTION_MODES, widget=forms.HiddenInput
    )

    prefix = "description"


class CommentReviewForm(forms.Form):
    comment = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    publish = _flag(_("veröffentlichen"))


class AbuseResolveForm(forms.Form):
    note = forms.CharField(label=_("Interne Notiz (optional)"), required=False, max_length=MAX_NOTE)

    prefix = "abuse"


# URL segment → the action's form (tracker.staff.views.PAGE_ACTIONS).
MODERATION_PAGE_ACTIONS: dict[str, Callable[[HttpRequest, Report], forms.Form]] = {
    "photo-visibility": lambda request, report: PhotoVisibilityForm(request.POST),
    "photo-blur-add": lambda request, report: PhotoBlurAddForm(
        request.POST, auto_id=f"blur-{request.POST.get('photo', '')[:12]}-%s"
    ),
    "photo-blur-remove": lambda request, report: PhotoBlurRemoveForm(request.POST),
    "description": lambda request, report: DescriptionForm(request.POST),
    "comment-review": lambda request, report: CommentReviewForm(request.POST),
    "abuse-resolve": lambda request, report: AbuseResolveForm(request.POST),
}


def _photo_toggle_ids(user: Any, report: Report, allowed: set[str]) -> set[int]:
    if "moderate" in allowed:
        return {p.pk for p in report.photos.all()}
    if "photo_visibility" in allowed:
        return {p.pk for p in report.photos.all() if p.kind == Photo.Kind.AFTER}
    return set()


def params_photo(form: forms.Form) -> int | None:
    raw = form.data.get("photo", "")
    return int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 12 else None


def moderation_context(
    request: HttpRequest, report: Report, allowed: set[str], bound: tuple[str, forms.Form] | None
) -> dict[str, Any]:
    """What the staff report page shows for moderation (forms only where the user may act)."""
    user: Any = request.user
    may_moderate = "moderate" in allowed
    flags = list(selectors.open_abuse_flags(report)) if permissions.can_view(user, report) else []
    result: dict[str, Any] = {
        "may_moderate": may_moderate,
        "photo_toggle_ids": _photo_toggle_ids(user, report, allowed),
        "abuse_flags": flags,
        "pending_comments": list(selectors.comments_waiting(report)),
        "description_form": None,
        "abuse_form": None,
    }
    if may_moderate:
        initial = {"text": report.description if report.description_state != "hidden" else ""}
        result["description_form"] = DescriptionForm(initial=initial)
        result["abuse_form"] = AbuseResolveForm() if flags else None
    if bound is not None and bound[0] in ("photo-blur-add", "photo-blur-remove"):
        # The refused change is shown at its photo, with the values as entered.
        result["blur_bound"] = bound[1]
        result["blur_bound_photo"] = params_photo(bound[1])
    if bound is not None and bound[0] in ("description", "abuse-resolve"):
        result["description_form" if bound[0] == "description" else "abuse_form"] = bound[1]
    return result
