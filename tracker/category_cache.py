"""Active categories by slug, kept per process: the intake's category lookup and its
"offered here" check without a query per report (docs/performance.md, "Intake").

Invalidation (core.process_cache): saving or deleting a category or changing where it is
offered clears this process's copy at once and bumps a version in Redis (again at the commit,
so no process caches the state of an uncommitted transaction). Every process compares its
version with Redis at most once per CHECK_SECONDS, so another worker sees a change within
about a second; should Redis be unreachable, copies older than MAX_AGE_SECONDS are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.process_cache import ProcessCached

from .models import Category

VERSION_KEY = "tracker:categories:version"
CHECK_SECONDS = 1.0
MAX_AGE_SECONDS = 60.0


@dataclass(frozen=True)
class _Entry:
    values: tuple[Any, ...]
    offered_in: frozenset[int]


_FIELDS = tuple(f.attname for f in Category._meta.concrete_fields)
# The process's copies by slug, filled as slugs are asked for; the whole dict is dropped when
# the version changes (core.process_cache).
_entries: ProcessCached[dict[str, _Entry]] = ProcessCached(
    VERSION_KEY, dict, check_seconds=CHECK_SECONDS, max_age_seconds=MAX_AGE_SECONDS
)


def forget() -> None:
    """Drop this process's copies (tests: the database was rolled back underneath)."""
    _entries.forget()


def _load(slug: str) -> _Entry | None:
    row = Category.objects.filter(slug=slug, is_active=True).values_list(*_FIELDS).first()
    if row is None:
        return None
    offered = Category.available_in.through.objects.filter(category_id=row[0])
    return _Entry(tuple(row), frozenset(offered.values_list("authority_id", flat=True)))


def _entry(slug: str) -> _Entry | None:
    entries = _entries.get()
    entry = entries.get(slug)
    if entry is None:
        entry = _load(slug)
        if entry is not None:
            entries[slug] = entry
    return entry


def active(slug: str) -> Category | None:
    """The active category with this slug (a fresh instance each time), or None."""
    entry = _entry(slug)
    if entry is None:
        return None
    return Category.from_db("default", list(_FIELDS), list(entry.values))


def offered_in(category: Category) -> frozenset[int]:
    """The authorities the category is limited to (empty: offered everywhere)."""
    entry = _entry(category.slug) if category.is_active else None
    if entry is None or entry.values[0] != category.pk:
        return frozenset(category.available_in.values_list("pk", flat=True))
    return entry.offered_in


def changed(**kwargs: Any) -> None:
    """Receiver for Category's post_save, post_delete and available_in's m2m_changed."""
    _entries.changed(**kwargs)
