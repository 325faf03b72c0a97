"""Upsert by natural key, written only where a row differs (the demo's idempotent writes)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TypeVar

from django.contrib.gis.geos import GEOSGeometry
from django.db import models
from django.db.models import QuerySet

from .demo_summary import Tally

_M = TypeVar("_M", bound=models.Model)
_K = TypeVar("_K", bound=Hashable)


def same(current: object, wanted: object) -> bool:
    if isinstance(current, GEOSGeometry) and isinstance(wanted, GEOSGeometry):
        # 1e-9° is a tenth of a millimetre: survives a float round trip through PostGIS.
        return current.srid == wanted.srid and current.equals_exact(wanted, 1e-9)
    return current == wanted


def sync(
    queryset: QuerySet[_M],
    key_of: Callable[[_M], _K],
    wanted: Mapping[_K, Mapping[str, object]],
    tally: Tally,
) -> dict[_K, _M]:
    """Create missing rows and update differing ones, in bulk. `queryset` selects the existing
    candidates, `key_of` maps a row to its natural key, `wanted` holds the field values (by
    attname, e.g. "owner_id") per key. Rows that already match are not written at all."""
    model = queryset.model
    by_key: dict[_K, _M] = {}
    for candidate in queryset:
        by_key.setdefault(key_of(candidate), candidate)
    to_create: list[_M] = []
    to_update: list[_M] = []
    changed_fields: set[str] = set()
    for key, values in wanted.items():
        existing = by_key.get(key)
        if existing is None:
            new = model(**values)
            to_create.append(new)
            by_key[key] = new
            continue
        diff = [name for name, value in values.items() if not same(getattr(existing, name), value)]
        if not diff:
            tally.unchanged += 1
            continue
        for name in diff:
            setattr(existing, name, values[name])
        to_update.append(existing)
        changed_fields.update(diff)
    if to_create:
        model._default_manager.bulk_create(to_create)
        tally.created += len(to_create)
    if to_update:
        names = sorted({model._meta.get_field(attname).name for attname in changed_fields})
        model._default_manager.bulk_update(to_update, names)
        tally.updated += len(to_update)
    return {key: by_key[key] for key in wanted}
