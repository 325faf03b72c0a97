"""JSON text written by PostgreSQL exactly as Python's json module writes it.

`json_build_object` writes `{"a" : 1}` and `json_agg` puts newlines between items: valid JSON,
but not the bytes our serializers send. For the list endpoints whose pages PostgreSQL builds
(the staff work queue, the Open311 request list), the objects are concatenated from their
parts here instead, so the output is byte for byte what DRF's JSONRenderer (compact) or
`json.dumps` (default separators) makes of the same data: key order, separators, string
escapes (`to_json(text)` escapes the same characters as Python), floats (the shortest
representation in both, with Python's ".0" on whole numbers) and dates.

Every helper returns an SQL expression that yields JSON text and is never NULL.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_KEY = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class Style:
    item: str  # between items and members
    colon: str  # between a key and its value


COMPACT = Style(",", ":")  # DRF's JSONRenderer
DUMPS = Style(", ", ": ")  # json.dumps() with its defaults


def _literal(text: str) -> str:
    """A constant as an SQL string literal that survives psycopg's %-formatting."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def obj(style: Style, *members: tuple[str, str]) -> str:
    """An object from (key, JSON expression) pairs, in their order."""
    parts: list[str] = []
    for index, (key, value) in enumerate(members):
        if not _KEY.fullmatch(key):
            raise ValueError(key)
        opening = "{" if index == 0 else style.item
        parts.append(_literal(f"{opening}{json.dumps(key)}{style.colon}"))
        parts.append(value)
    parts.append(_literal("}" if members else "{}"))
    return "(" + " || ".join(parts) + ")"


def array_agg(style: Style, item: str, order_by: str, where: str = "") -> str:
    """An aggregate: the items as a JSON array (`[]` for none)."""
    condition = f" FILTER (WHERE {where})" if where else ""
    return (
        f"('[' || coalesce(string_agg({item}, {_literal(style.item)} ORDER BY {order_by})"
        f"{condition}, '') || ']')"
    )


def nullable(column: str, value: str) -> str:
    """`value`, or null where `column` is NULL."""
    return f"(CASE WHEN {column} IS NULL THEN 'null' ELSE {value} END)"


def text(expr: str) -> str:
    return f"coalesce(to_json(({expr})::text)::text, 'null')"


def integer(expr: str) -> str:
    return f"coalesce(({expr})::bigint::text, 'null')"


def boolean(condition: str) -> str:
    return f"(CASE WHEN {condition} THEN 'true' ELSE 'false' END)"


def number(expr: str) -> str:
    """A float8 as Python's repr() writes it: shortest round trip, "53.0" for whole numbers."""
    return (
        f"coalesce(({expr})::float8::text"
        f" || CASE WHEN ({expr}) = trunc(({expr})::float8) THEN '.0' ELSE '' END, 'null')"
    )


def local_iso(expr: str, tz: str, *, micro: bool, utc_z: bool) -> str:
    """A timestamptz as Python's isoformat() of its local time in the time zone `tz` (an SQL
    expression): microseconds only when there are any (`micro`, else whole seconds, as
    isoformat(timespec="seconds")), the offset as "+01:00", or "Z" for UTC with `utc_z`
    (what DRF writes)."""
    local = f"(({expr}) AT TIME ZONE {tz})"
    offset = f"({local} - (({expr}) AT TIME ZONE 'UTC'))"
    fraction = (
        f" || CASE WHEN date_trunc('second', {local}) = {local} THEN ''"
        f" ELSE to_char({local}, '.US') END"
        if micro
        else ""
    )
    negative = f"{offset} < interval '0'"
    sign = f"CASE WHEN {negative} THEN '-' ELSE '+' END"
    zone = f"{sign} || to_char(CASE WHEN {negative} THEN -{offset} ELSE {offset} END, 'HH24:MI')"
    if utc_z:
        zone = f"CASE WHEN {offset} = interval '0' THEN 'Z' ELSE {zone} END"
    return nullable(
        expr,
        f"""('"' || to_char({local}, 'YYYY-MM-DD"T"HH24:MI:SS'){fraction} || {zone} || '"')""",
    )


def js_safe(expr: str) -> str:
    """As DRF's JSONRenderer: U+2028 and U+2029 escaped (JavaScript cannot have them raw)."""
    return f"replace(replace({expr}, U&'\\2028', '\\u2028'), U&'\\2029', '\\u2029')"
