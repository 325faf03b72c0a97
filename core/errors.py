"""The one mapping of service errors to messages, shared by the API and the HTML forms.

Services raise Django's `ValidationError` (field-level where a field is to blame) and
`PermissionDenied`; the DRF exception handler (config/exceptions.py) and the page handlers
both turn them into messages with these functions, so a refusal reads the same everywhere.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

NON_FIELD = "non_field_errors"


def error_dict(exc: ValidationError) -> dict[str, list[str]]:
    """`{field: [messages]}`; messages without a field under "non_field_errors"."""
    if hasattr(exc, "error_dict"):
        return {
            field: [str(message) for error in errors for message in error.messages]
            for field, errors in exc.error_dict.items()
        }
    return {NON_FIELD: [str(message) for message in exc.messages]}


def error_text(exc: Exception) -> str:
    """All messages of an error as one line (bulk results, flash messages)."""
    if isinstance(exc, ValidationError):
        return " ".join(str(message) for message in exc.messages)
    return str(exc)


def add_errors_to_form(form: forms.Form, exc: Exception, *, field: str | None = None) -> None:
    """Show a service's error next to the field it names, else next to `field` (when the form
    has it), else above the form."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, texts in error_dict(exc).items():
            form.add_error(name if name in form.fields else None, texts)
        return
    plain: Any = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    form.add_error(field if field in form.fields else None, plain)


def describe_errors(form: forms.Form) -> None:
    """Link error texts and hints to their inputs for screen readers."""
    for name, field in form.fields.items():
        bound = form[name]
        described = []
        if field.help_text:
            described.append(f"{bound.auto_id}-hint")
        if bound.errors:
            described.append(f"{bound.auto_id}-error")
            field.widget.attrs["aria-invalid"] = "true"
        if described:
            field.widget.attrs["aria-describedby"] = " ".join(described)
