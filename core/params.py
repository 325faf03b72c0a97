"""Query and form parameters parsed into Python values, or refused with a German message.

Every filter of the REST API, the staff pages and the public pages reads its raw strings
through these functions, so that what reaches the database is well-formed:

* no NUL characters (PostgreSQL text cannot hold them: the query would fail with a 500);
* integers of ASCII digits only (`str.isdigit()` accepts "¹" and "²", which `int()` refuses)
  and within bounds, so that nothing overflows a bigint or an OFFSET;
* dates and datetimes inside a calendar window that leaves room for arithmetic (a day or a
  90-day window added to 9999-12-31 overflows Python's datetime);
* one of the allowed choices.

Errors are Django `ValidationError({param: [message]})`: the API's exception handler
(config/exceptions.py) answers 400 with them; pages either show them as form errors or call
`bad_request(exc)` for the German 400 page (config/errors.py, templates/400.html). Filters
that ignore invalid values on purpose (the staff queue keeps old bookmarks working) use the
lenient helpers `clean_text` and `is_int`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import BadRequest, ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

NUL = "\x00"
MAX_TEXT = 200
MAX_ITEMS = 100
# Up to 18 digits: every such number fits a PostgreSQL bigint.
MAX_DIGITS = 18
# Dates outside this window are refused: far enough from year 1 and 9999 that adding or
# subtracting a window of days (or a time zone offset) cannot overflow.
EARLIEST = dt.date(1000, 1, 1)
LATEST = dt.date(8999, 12, 31)

Choice = TypeVar("Choice", bound=str)


def _invalid(name: str, message: str) -> ValidationError:
    return ValidationError({name: [message]})


def clean_text(raw: object, *, max_length: int = MAX_TEXT) -> str:
    """Lenient: the value stripped, without NUL characters, cut to max_length (for filters
    that ignore what they cannot use)."""
    if raw is None:
        return ""
    return str(raw).replace(NUL, "").strip()[:max_length]


def is_int(raw: str, *, max_digits: int = MAX_DIGITS) -> bool:
    """Whether raw is a non-negative integer of ASCII digits that fits a bigint."""
    return raw.isascii() and raw.isdigit() and len(raw) <= max_digits


def text(raw: str | None, name: str, *, max_length: int = MAX_TEXT) -> str:
    """Free text (stripped); refused when it holds NUL characters or is longer than
    max_length."""
    value = (raw or "").strip()
    if NUL in value:
        raise _invalid(name, _("%(name)s: Nullzeichen sind nicht erlaubt.") % {"name": name})
    if len(value) > max_length:
        raise _invalid(
            name,
            _("%(name)s: höchstens %(max)d Zeichen.") % {"name": name, "max": max_length},
        )
    return value


def integer(
    raw: str | None,
    name: str,
    *,
    default: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    """An integer of ASCII digits (with an optional leading minus) within bounds; `default`
    when empty."""
    value = (raw or "").strip()
    if not value:
        return default
    digits = value[1:] if value.startswith("-") else value
    if not (digits.isascii() and digits.isdigit()):
        raise _invalid(name, _("%(name)s: ganze Zahl erwartet.") % {"name": name})
    if len(digits) > MAX_DIGITS:
        too_large = _("%(name)s: die Zahl ist zu groß.") % {"name": name}
        raise _invalid(
            name, too_large if maximum is None else _bounds_message(name, minimum, maximum)
        )
    number = int(value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise _invalid(name, _bounds_message(name, minimum, maximum))
    return number


def _bounds_message(name: str, minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return _("%(name)s: erlaubt sind %(low)d bis %(high)d.") % {
            "name": name,
            "low": minimum,
            "high": maximum,
        }
    if minimum is not None:
        return _("%(name)s: mindestens %(low)d.") % {"name": name, "low": minimum}
    return _("%(name)s: höchstens %(high)d.") % {"name": name, "high": maximum}


def text_list(
    raw: str | None, name: str, *, max_items: int = MAX_ITEMS, max_length: int = MAX_TEXT
) -> list[str]:
    """A comma-separated list of texts (empty parts dropped)."""
    parts = [part.strip() for part in (raw or "").split(",") if part.strip()]
    if len(parts) > max_items:
        raise _invalid(
            name, _("%(name)s: höchstens %(max)d Werte.") % {"name": name, "max": max_items}
        )
    return [text(part, name, max_length=max_length) for part in parts]


def integer_list(
    raw: str | None,
    name: str,
    *,
    minimum: int | None = 1,
    maximum: int | None = None,
    max_items: int = MAX_ITEMS,
) -> list[int]:
    """A comma-separated list of integers (ids by default: at least 1)."""
    values = text_list(raw, name, max_items=max_items, max_length=MAX_DIGITS + 1)
    result = []
    for value in values:
        number = integer(value, name, minimum=minimum, maximum=maximum)
        assert number is not None  # noqa: S101 - empty parts were dropped
        result.append(number)
    return result


def choice(raw: str | None, name: str, choices: Iterable[Choice], *, default: str = "") -> str:
    """One of `choices` (`default` when empty)."""
    value = text(raw, name)
    if not value:
        return default
    allowed = [str(c) for c in choices]
    if value not in allowed:
        raise _invalid(name, _unknown_message(name, value, allowed))
    return value


def choice_list(raw: str | None, name: str, choices: Iterable[Choice]) -> list[str]:
    """A comma-separated list of `choices`."""
    allowed = [str(c) for c in choices]
    values = text_list(raw, name)
    for value in values:
        if value not in allowed:
            raise _invalid(name, _unknown_message(name, value, allowed))
    return values


def _unknown_message(name: str, value: str, allowed: list[str]) -> str:
    shown = value if len(value) <= 40 else value[:40] + "…"
    if len(allowed) <= 12:
        return _("%(name)s: unbekannter Wert „%(value)s“ (erlaubt: %(allowed)s).") % {
            "name": name,
            "value": shown,
            "allowed": ", ".join(allowed),
        }
    return _("%(name)s: unbekannter Wert „%(value)s“.") % {"name": name, "value": shown}


def check_date(value: dt.date, name: str) -> dt.date:
    """`value` if it lies in the accepted calendar window (for dates parsed elsewhere, such as
    a form's DateField)."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise _invalid(
            name,
            _("%(name)s: Datum zwischen %(low)s und %(high)s erwartet.")
            % {"name": name, "low": EARLIEST.isoformat(), "high": LATEST.isoformat()},
        )
    return value


def date(raw: str | None, name: str) -> dt.date | None:
    """An ISO date (JJJJ-MM-TT) inside the accepted window; None when empty."""
    value = text(raw, name, max_length=40)
    if not value:
        return None
    try:
        day = parse_date(value)
    except ValueError:  # well-formed but impossible, such as 2026-02-30
        day = None
    if day is None:
        raise _invalid(name, _("%(name)s: Datum im Format JJJJ-MM-TT erwartet.") % {"name": name})
    return check_date(day, name)


def moment(raw: str | None, name: str) -> dt.datetime | None:
    """An ISO datetime or date (a date means its midnight in the current time zone), aware,
    inside the accepted window; None when empty."""
    value = text(raw, name, max_length=40)
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
        day = None if parsed else parse_date(value)
    except ValueError:
        parsed = day = None
    if day is not None:
        parsed = dt.datetime.combine(day, dt.time.min)
    if parsed is None:
        raise _invalid(
            name,
            _("%(name)s: Datum (JJJJ-MM-TT) oder Zeitpunkt (JJJJ-MM-TTThh:mm:ss) erwartet.")
            % {"name": name},
        )
    check_date(parsed.date(), name)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


class InvalidParameters(BadRequest):
    """A page's query parameters were refused: the German 400 page (config.errors) shows the
    message, which is ours and meant for the visitor."""

    def __init__(self, exc: ValidationError) -> None:
        super().__init__(" ".join(str(m) for m in exc.messages))


def bad_request(exc: ValidationError) -> InvalidParameters:
    """For pages: `raise params.bad_request(exc) from exc` answers with the German 400 page
    showing the messages."""
    return InvalidParameters(exc)
