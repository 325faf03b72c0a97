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
from typing import Any

import psycopg
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import QuerySet

_KEY = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class Style:
    item: str  # between items and members
    colon: str  # between a key and its value


COMPACT = Style(",", ":")  # DRF's JSONRenderer
DUMPS = Style(", ", ": ")  # json.dumps() with its defaults


def reference(alias: str) -> str:
    """SQL text (not JSON) of `Report.reference` ("2026-000123") for the report row `alias`."""
    return (
        f"(date_part('year', {alias}.created_at AT TIME ZONE 'UTC')::int || '-' || CASE WHEN "
        f"{alias}.id < 1000000 THEN lpad({alias}.id::text, 6, '0') ELSE {alias}.id::text END)"
    )


# SQL text (not JSON) of a category's name in the request's language (`%(english)s`).
CATEGORY_NAME = "CASE WHEN %(english)s AND c.name_en <> '' THEN c.name_en ELSE c.name END"


def _literal(text: str) -> str:
    """A constant as an SQL string literal that survives psycopg's %-formatting."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def obj(style: Style, *members: tuple[str, str] | tuple[str, str, str]) -> str:
    """An object from (key, JSON expression) pairs, in their order; a member with a third
    element, an SQL condition, is left out where the condition is not true (not the first)."""
    parts: list[str] = []
    for index, (key, value, *condition) in enumerate(members):
        if not _KEY.fullmatch(key):
            raise ValueError(key)
        opening = "{" if index == 0 else style.item
        member = _literal(f"{opening}{json.dumps(key)}{style.colon}")
        if condition and index:
            parts.append(f"(CASE WHEN {condition[0]} THEN {member} || {value} ELSE '' END)")
        else:
            parts += [member, value]
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


_PLACEHOLDER = re.compile(r"%(%|s)")


def named_params(sql: str, params: tuple[Any, ...], prefix: str) -> tuple[str, dict[str, Any]]:
    """Django's compiled SQL (positional %s) with named placeholders, to be embedded in a
    statement with named parameters."""
    values: dict[str, Any] = {}
    counter = iter(range(len(params)))

    def name(match: re.Match[str]) -> str:
        if match.group(1) == "%":
            return "%%"
        key = f"{prefix}{next(counter)}"
        values[key] = params[int(key.removeprefix(prefix))]
        return f"%({key})s"

    return _PLACEHOLDER.sub(name, sql), values


def compiled(queryset: QuerySet[Any], prefix: str) -> tuple[str, dict[str, Any]] | None:
    """A queryset's SQL with named parameters, or None when it can match nothing (Django
    refuses to compile `.none()` and `pk__in=[]`)."""
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return None
    return named_params(sql, tuple(params), prefix)


# Short reads run without parallel workers: starting them costs more than they save on a page
# of 50 and on a viewport's count, and far more on a busy server (bench/queue_read.py).
SERIAL = "SET LOCAL max_parallel_workers_per_gather = 0"


def fetch_serial(alias: str, sql: str, params: dict[str, Any]) -> tuple[Any, ...]:
    """The statement's one row, planned without parallel workers (for this statement only).
    With client-side binding (Django's default) the setting and the statement go in one round
    trip, one implicit transaction; else in a transaction of their own."""
    with connections[alias].cursor() as cursor:
        if isinstance(cursor.cursor, psycopg.ClientCursor):
            cursor.execute(f"{SERIAL}; {sql}", params)
            cursor.nextset()
            row = cursor.fetchone()
        else:
            with transaction.atomic(using=alias):
                cursor.execute(SERIAL)
                cursor.execute(sql, params)
                row = cursor.fetchone()
    assert row is not None  # noqa: S101 - an aggregate always has a row
    return tuple(row)
