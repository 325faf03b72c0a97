"""Validation of `attribute[CODE]` / `attribute[CODE][]` values against a service definition."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .models import Datatype, ServiceAttribute

AttributeValue = str | int | float | list[str]

MAX_STRING = 1000
MAX_TEXT = 5000

_ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


def raw_attributes(items: Iterable[tuple[str, Sequence[str]]]) -> dict[str, list[str]]:
    """Collect `attribute[CODE]=v` and `attribute[CODE][]=v1&…` from form fields (name →
    list of values, as QueryDict.lists() gives them) into CODE → values."""
    found: dict[str, list[str]] = {}
    for name, values in items:
        match = _ATTRIBUTE_KEY.match(name)
        if match:
            found.setdefault(match.group(1), []).extend(values)
    return found


def parse_w3_datetime(raw: str) -> datetime | None:
    """A W3C/ISO 8601 date or date-time (offset optional; local time when missing). None when
    it is not one."""
    raw = raw.strip()
    try:
        moment = parse_datetime(raw)
        day = None if moment else parse_date(raw)
    except ValueError:
        return None
    if moment is None and day is not None:
        moment = datetime.combine(day, time.min)
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _number(raw: str) -> int | float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and "." not in raw and "e" not in raw.lower() else value


class _Refused(ValueError):
    """A submitted value the attribute's datatype does not accept (the message names why)."""


def _string(value: str, label: str) -> str:
    if "\n" in value or "\r" in value:
        raise _Refused(_("%(field)s: keine Zeilenumbrüche erlaubt.") % {"field": label})
    if len(value) > MAX_STRING:
        raise _Refused(
            _("%(field)s: höchstens %(max)d Zeichen.") % {"field": label, "max": MAX_STRING}
        )
    return value


def _text(value: str, label: str) -> str:
    if len(value) > MAX_TEXT:
        raise _Refused(
            _("%(field)s: höchstens %(max)d Zeichen.") % {"field": label, "max": MAX_TEXT}
        )
    return value


def _numeric(value: str, label: str) -> int | float:
    number = _number(value)
    if number is None:
        raise _Refused(_("%(field)s: muss eine Zahl sein.") % {"field": label})
    return number


def _datetime(value: str, label: str) -> str:
    moment = parse_w3_datetime(value)
    if moment is None:
        raise _Refused(_("%(field)s: Datum/Uhrzeit im Format ISO 8601 angeben.") % {"field": label})
    return moment.isoformat()


def _keys(attribute: ServiceAttribute, submitted: list[str], label: str) -> list[str]:
    unknown = [v for v in submitted if v not in attribute.keys]
    if unknown:
        raise _Refused(
            _("%(field)s: unbekannter Wert „%(value)s“, erlaubt: %(keys)s.")
            % {"field": label, "value": unknown[0], "keys": ", ".join(attribute.keys)}
        )
    return list(dict.fromkeys(submitted))


def _value(attribute: ServiceAttribute, submitted: list[str], label: str) -> AttributeValue:
    """The checked value of one attribute (submitted: at least one non-empty value)."""
    datatype = attribute.datatype
    if datatype == Datatype.MULTIVALUELIST:
        return _keys(attribute, submitted, label)
    if len(submitted) > 1:
        raise _Refused(_("%(field)s: nur ein Wert erlaubt.") % {"field": label})
    value = submitted[0]
    if datatype == Datatype.SINGLEVALUELIST:
        return _keys(attribute, submitted, label)[0]
    checks = {
        Datatype.STRING: _string,
        Datatype.TEXT: _text,
        Datatype.NUMBER: _numeric,
        Datatype.DATETIME: _datetime,
    }
    return checks[datatype](value, label)  # type: ignore[index]


def validate_attributes(
    definition: Sequence[ServiceAttribute], raw: Mapping[str, list[str]]
) -> tuple[dict[str, AttributeValue], list[str]]:
    """Check submitted values against the definition. Returns (values by code, error
    messages). Codes that the definition does not know are ignored: clients such as
    FixMyStreet send attributes of their own (title, easting, …) to every endpoint."""
    values: dict[str, AttributeValue] = {}
    errors: list[str] = []
    for attribute in definition:
        if not attribute.variable:
            continue
        # NUL cannot be stored in PostgreSQL text or jsonb
        submitted = [v.replace("\x00", "").strip() for v in raw.get(attribute.code, [])]
        submitted = [v for v in submitted if v]
        label = f"attribute[{attribute.code}]"
        if not submitted:
            if attribute.required:
                errors.append(
                    _("%(field)s: Pflichtangabe fehlt (%(description)s).")
                    % {"field": label, "description": attribute.description}
                )
            continue
        try:
            values[attribute.code] = _value(attribute, submitted, label)
        except _Refused as exc:
            errors.append(str(exc))
    return values, errors
