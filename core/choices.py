"""Choice labels without Django's per-call cost.

Django's `get_FOO_display()` builds a dict of the field's choices on every call, hashing every
label — and a lazily translated label is translated to be hashed: a field with 20 choices
costs 20 `gettext` calls per badge shown. A report's page shows one per history entry
(kind, old and new status), a staff answer serialises them for the whole history; on a
report with 50 entries that was a third of the page's time (docs/performance.md, "Soak").
`ChoiceLabels` keeps each field's labels per language instead, as plain strings, and looks
the value up: the same answer, without translating the other choices.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import get_language
from rest_framework import serializers

# (field, language) → {value: label}: a few dozen fields and two languages at most.
_labels: dict[tuple[models.Field[Any, Any], str], dict[Any, str]] = {}


def _field_labels(field: models.Field[Any, Any]) -> dict[Any, str]:
    key = (field, get_language() or "")
    labels = _labels.get(key)
    if labels is None:
        labels = _labels[key] = {value: str(label) for value, label in field.flatchoices}
    return labels


class ChoiceLabels:
    """Mixin for a model (before models.Model): its get_FOO_display() from kept labels."""

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        value = getattr(self, field.attname)
        try:
            label = _field_labels(field).get(value, value)
        except TypeError:  # an unhashable value (never one of the choices): as Django does
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        return force_str(label, strings_only=True)


class ChoiceLabelField(serializers.CharField):
    """A read-only API field with a choice field's label — `get_FOO_display()` — called
    directly: DRF checks a callable source's signature (`inspect.signature`) for every value it
    reads, which cost more than the label itself in a history of 50 entries."""

    def __init__(self, choice_field: str, **kwargs: Any) -> None:
        self.choice_field = choice_field
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return str(getattr(value, f"get_{self.choice_field}_display")())
