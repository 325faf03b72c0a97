"""core.params: raw query values become Python values, or a ValidationError keyed by the
parameter with a German message — never an exception the database or int() would raise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core import params


def message(exc: pytest.ExceptionInfo[ValidationError], name: str) -> str:
    return " ".join(exc.value.message_dict[name])


def test_text_refuses_nul_and_overlong_text() -> None:
    assert params.text("  Lindenweg ", "q") == "Lindenweg"
    assert params.text(None, "q") == ""
    with pytest.raises(ValidationError) as exc:
        params.text("a\x00b", "q")
    assert "Nullzeichen" in message(exc, "q")
    with pytest.raises(ValidationError) as exc:
        params.text("x" * 201, "q")
    assert "höchstens 200 Zeichen" in message(exc, "q")


@pytest.mark.parametrize("raw", ["¹", "²3", "1_000", "1.5", "0x10", "zehn", "-", "1\x00"])
def test_integer_accepts_ascii_digits_only(raw: str) -> None:
    with pytest.raises(ValidationError) as exc:
        params.integer(raw, "page")
    assert "ganze Zahl erwartet" in message(exc, "page")


def test_integer_bounds_and_huge_numbers() -> None:
    assert params.integer("42", "page", minimum=1) == 42
    assert params.integer("-3", "offset") == -3
    assert params.integer("", "page", default=7) == 7
    with pytest.raises(ValidationError) as exc:
        params.integer("0", "page", minimum=1)
    assert "mindestens 1" in message(exc, "page")
    with pytest.raises(ValidationError) as exc:
        params.integer("9" * 30, "page", minimum=1)
    assert "zu groß" in message(exc, "page")
    with pytest.raises(ValidationError) as exc:
        params.integer("9" * 5000, "cell_size", minimum=25, maximum=50_000)
    assert "25 bis 50000" in message(exc, "cell_size")


def test_lists_and_choices() -> None:
    assert params.integer_list("1, 2,,3", "team") == [1, 2, 3]
    assert params.text_list("a,b", "category") == ["a", "b"]
    assert params.choice_list("new,done", "status", ["new", "done"]) == ["new", "done"]
    assert params.choice("", "shape", ["square", "hex"], default="square") == "square"
    with pytest.raises(ValidationError) as exc:
        params.integer_list("1,¹", "team")
    assert "ganze Zahl" in message(exc, "team")
    with pytest.raises(ValidationError) as exc:
        params.choice_list("new,\x00", "status", ["new"])
    assert "Nullzeichen" in message(exc, "status")
    with pytest.raises(ValidationError) as exc:
        params.choice("kreis", "shape", ["square", "hex"])
    assert "unbekannter Wert „kreis“ (erlaubt: square, hex)" in message(exc, "shape")


@pytest.mark.parametrize(
    "raw",
    ["9999-12-31", "0001-01-01", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"],
)
def test_dates_at_the_ends_of_the_calendar_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as exc:
        params.moment(raw, "since")
    assert "Datum zwischen 1000-01-01 und 8999-12-31" in message(exc, "since")


@pytest.mark.parametrize("raw", ["2026-02-30", "morgen", "¹", "2026-13-01T00:00:00"])
def test_impossible_dates_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as exc:
        params.moment(raw, "since")
    assert "Datum (JJJJ-MM-TT)" in message(exc, "since")
    with pytest.raises(ValidationError):
        params.date(raw, "until")


def test_dates_are_aware_and_leave_room_for_arithmetic() -> None:
    moment = params.moment("2026-03-01", "since")
    assert moment is not None and moment.tzinfo is not None
    assert params.date("8999-12-31", "until") == dt.date(8999, 12, 31)
    assert params.date("", "until") is None
    assert params.moment("2026-03-01T12:00:00+02:00", "since") == dt.datetime(
        2026, 3, 1, 10, tzinfo=dt.UTC
    )


def test_lenient_helpers_for_filters_that_ignore_bad_values() -> None:
    assert params.clean_text(" a\x00b ") == "ab"
    assert params.is_int("123")
    assert not params.is_int("¹")
    assert not params.is_int("9" * 19)
