"""Online forms as data: a flat JSON Schema object (draft 2020-12) with German titles.

Supported per property: `type` string (with `format: date` or `email`, `maxLength`,
`minLength`, `pattern`, `oneOf` of `{const, title}` for a choice, `x-widget: textarea`),
integer, number (`minimum`, `maximum`) and boolean; `title` is the label, `description` the
hint. `required` lists mandatory fields. The non-standard `x-uploads` list names documents
(`name`, `title`, `required`, `hint`) that are uploaded as files next to the JSON data.

The form is rendered from the schema (fields_of), posted values are turned into JSON values
(coerce), and the result is validated server-side with the `jsonschema` package (validate);
its English messages are replaced by German ones per validation keyword.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

_FORMAT_CHECKER = FormatChecker()


@dataclass
class FormField:
    """One field of a rendered form, with the citizen's value and error messages."""

    name: str
    title: str
    kind: str  # text, textarea, email, date, integer, number, boolean, select, file
    required: bool
    description: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    value: Any = None
    errors: list[str] = field(default_factory=list)

    @property
    def described_by(self) -> str:
        """ids of the hint and error texts, for aria-describedby."""
        ids = []
        if self.description or self.kind == "file":
            ids.append(f"{self.name}-hint")
        if self.errors:
            ids.append(f"{self.name}-error")
        return " ".join(ids)


def check_schema(schema: dict[str, Any]) -> None:
    """Raise jsonschema's SchemaError when the schema itself is broken (used by the admin and
    the tests; a broken form must never reach a citizen)."""
    Draft202012Validator.check_schema(schema)
    if schema.get("type") != "object":
        raise SchemaError("the form schema must describe an object")


def uploads_of(schema: dict[str, Any]) -> list[dict[str, Any]]:
    uploads = schema.get("x-uploads", [])
    return [u for u in uploads if isinstance(u, dict) and u.get("name")]


def _kind(spec: dict[str, Any]) -> str:
    kind = spec.get("type", "string")
    if kind == "string":
        if "oneOf" in spec:
            return "select"
        if spec.get("format") in ("date", "email"):
            return str(spec["format"])
        return "textarea" if spec.get("x-widget") == "textarea" else "text"
    return str(kind)


def fields_of(
    schema: dict[str, Any],
    values: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> list[FormField]:
    """The fields to render, in schema order, uploads last."""
    values = values or {}
    errors = errors or {}
    required = set(schema.get("required", []))
    fields: list[FormField] = []
    for name, spec in schema.get("properties", {}).items():
        kind = _kind(spec)
        fields.append(
            FormField(
                name=name,
                title=str(spec.get("title", name)),
                kind=kind,
                required=name in required,
                description=str(spec.get("description", "")),
                options=[
                    (str(o.get("const")), str(o.get("title", o.get("const"))))
                    for o in spec.get("oneOf", [])
                ],
                max_length=spec.get("maxLength"),
                minimum=spec.get("minimum"),
                maximum=spec.get("maximum"),
                value=values.get(name, spec.get("default")),
                errors=errors.get(name, []),
            )
        )
    fields.extend(
        FormField(
            name=upload["name"],
            title=str(upload.get("title", upload["name"])),
            kind="file",
            required=bool(upload.get("required")),
            description=str(upload.get("hint", "")),
            errors=errors.get(upload["name"], []),
        )
        for upload in uploads_of(schema)
    )
    return fields


def _typed(kind: str, value: str) -> Any:
    """A non-empty posted string as the schema's type; ValueError with the German message."""
    if kind == "integer":
        try:
            return int(value)
        except ValueError:
            raise ValueError(_("Bitte geben Sie eine ganze Zahl ein.")) from None
    if kind == "number":
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise ValueError(_("Bitte geben Sie eine Zahl ein (z. B. 450,50)."))
        return float(number)
    return value


def coerce(
    schema: dict[str, Any], posted: QueryDict | dict[str, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Turn posted strings into JSON values by the schema's types. Empty fields are left out
    (the `required` check then names them). Returns (data, type errors per field)."""
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, spec in schema.get("properties", {}).items():
        kind = spec.get("type", "string")
        raw = posted.get(name)
        if kind == "boolean":
            # A checkbox sends a value only when ticked; JSON clients may send true/false.
            if raw is not None:
                data[name] = raw is True or str(raw).lower() in ("on", "true", "1", "ja")
            continue
        if raw is None:
            continue
        if not isinstance(raw, str):
            data[name] = raw  # already JSON (API clients); the validator checks the type
            continue
        value = raw.strip()
        if not value:
            continue
        try:
            data[name] = _typed(kind, value)
        except ValueError as exc:
            errors[name] = [str(exc)]
    return data, errors


# jsonschema keyword → German message (with the keyword's value as %(value)s / %(count)s).
_MESSAGES: dict[str, Any] = {
    "maxLength": _lazy("Bitte höchstens %(count)d Zeichen eingeben."),
    "minLength": _lazy("Bitte mindestens %(count)d Zeichen eingeben."),
    "minimum": _lazy("Der Wert muss mindestens %(value)s sein."),
    "maximum": _lazy("Der Wert darf höchstens %(value)s sein."),
    "oneOf": _lazy("Bitte wählen Sie einen der angebotenen Werte."),
    "enum": _lazy("Bitte wählen Sie einen der angebotenen Werte."),
    "const": _lazy("Bitte wählen Sie einen der angebotenen Werte."),
    "type": _lazy("Der Wert hat nicht die erwartete Art."),
}
_FORMAT_MESSAGES: dict[str, Any] = {
    "date": _lazy("Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ)."),
    "email": _lazy("Bitte geben Sie eine gültige E-Mail-Adresse ein."),
}


def _message(error: Any, schema: dict[str, Any]) -> tuple[str, str]:
    """(field name, German message) for one jsonschema ValidationError."""
    path = list(error.absolute_path)
    name = str(path[0]) if path else ""
    keyword, value = error.validator, error.validator_value
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        return missing, _("Bitte füllen Sie dieses Feld aus.")
    if keyword == "additionalProperties":
        return "", _("Das Formular enthält unbekannte Felder.")
    if keyword == "pattern":
        spec = schema.get("properties", {}).get(name, {}) if name else {}
        hint = spec.get("description")
        if hint:
            return name, _("Das Format stimmt nicht: %(hint)s") % {"hint": hint}
        return name, _("Das Format stimmt nicht.")
    if keyword == "format" and value in _FORMAT_MESSAGES:
        return name, str(_FORMAT_MESSAGES[value])
    if keyword in _MESSAGES:
        return name, str(_MESSAGES[keyword]) % {"count": value, "value": value}
    return name, _("Die Angabe ist ungültig.")


def _parse_german_date(value: str) -> str:
    """Accept 24.12.2026 as well as the ISO date a date input sends; return ISO or the input."""
    try:
        return dt.datetime.strptime(value, "%d.%m.%Y").date().isoformat()  # noqa: DTZ007
    except ValueError:
        return value


def validate(schema: dict[str, Any], data: dict[str, Any]) -> dict[str, list[str]]:
    """Validate JSON data against the form schema; German messages per field ("" = form)."""
    for name, spec in schema.get("properties", {}).items():
        if spec.get("format") == "date" and isinstance(data.get(name), str):
            data[name] = _parse_german_date(data[name])
    errors: dict[str, list[str]] = {}
    validator = Draft202012Validator(schema, format_checker=_FORMAT_CHECKER)
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        name, message = _message(error, schema)
        if message not in errors.setdefault(name, []):
            errors[name].append(message)
    return errors
