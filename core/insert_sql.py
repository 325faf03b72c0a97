"""A model instance as one `INSERT`'s row, for fixed SQL that writes several rows at once.

For a path that writes several rows in one statement (data-modifying CTEs: one round trip
instead of one per row, tracker.services.intake_sql). The row is what the ORM's own `INSERT`
would write: every concrete field but the auto primary key, after the field's `pre_save`
(auto_now/auto_now_add) and `get_db_prep_save`. It travels as ONE jsonb parameter and becomes
a typed row in PostgreSQL (`jsonb_populate_record`, each column's own input function: a
geometry from its hex EWKB, a timestamp with its microseconds): psycopg caches the
conversion of a query only up to 50 parameters, and quoting each of 35 values into the query
string cost more than the insert. The column list is built once per model from its
metadata, so a field added later is written here too. No signals are sent: the caller does
what receivers would do.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.db.models import Field, Model
from django.db.models.expressions import DatabaseDefault

_PLANS: dict[type[Model], InsertPlan] = {}


def _default(value: Any) -> Any:
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"insert_sql: no JSON form for {type(value).__name__}")


@dataclass(frozen=True)
class InsertPlan:
    table: str
    fields: tuple[Field[Any, Any], ...]
    columns: str  # quoted, comma-separated, in the order of `fields`

    @functools.lru_cache(maxsize=64)  # noqa: B019 - plans live as long as the process
    def insert(self, param: str = "%s", **instead: str) -> str:
        """`INSERT … SELECT` of the row passed as jsonb in `param` (see `row()`); `instead`
        gives SQL expressions for some columns (by column name) in place of the row's values,
        e.g. a foreign key to a row written earlier in the same statement."""
        quote = connection.ops.quote_name
        exprs = ", ".join(instead.get(f.column, quote(f.column)) for f in self.fields)
        # Names from the model's metadata and SQL from the caller; the values are parameters.
        sql = f"INSERT INTO {self.table} ({self.columns}) SELECT {exprs} FROM "  # noqa: S608
        return sql + f"jsonb_populate_record(NULL::{self.table}, {param}::jsonb)"

    def row(self, obj: Model) -> str:
        """`obj`'s row as the jsonb parameter of `insert()`."""
        values: dict[str, Any] = {}
        for field in self.fields:
            raw = field.pre_save(obj, True)
            if isinstance(raw, DatabaseDefault):
                raise ValueError(f"insert_sql: {field.name} has a database default")
            if raw is None:
                value = None
            elif isinstance(field, GeometryField):
                geom: GEOSGeometry = raw
                if geom.srid is None:  # as the ORM does: the field's SRID
                    geom = geom.clone()
                    geom.srid = field.srid
                elif geom.srid != field.srid:
                    geom = geom.transform(field.srid, clone=True)
                value = geom.hexewkb.decode()
            else:
                value = field.get_db_prep_save(raw, connection=connection)
            values[field.column] = value
        return orjson.dumps(values, default=_default).decode()


def plan(model: type[Model]) -> InsertPlan:
    """The insert plan of `model` (kept per process)."""
    found = _PLANS.get(model)
    if found is None:
        meta = model._meta
        fields = tuple(
            f
            for f in meta.concrete_fields
            if not (f.primary_key and getattr(f, "db_returning", False))
        )
        quote = connection.ops.quote_name
        found = _PLANS[model] = InsertPlan(
            quote(meta.db_table), fields, ", ".join(quote(f.column) for f in fields)
        )
    return found
