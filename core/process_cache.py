"""A value read from the database and kept per process, dropped when it changes anywhere.

For small, rarely changed data asked on every request (the Open311 endpoints and the
categories at intake): `get()` answers from this process's copy. `changed()` (from
post_save/post_delete receivers) drops the copy at once and bumps a version in Redis, again at
the commit (so no process keeps the state of an uncommitted transaction); every process
compares its version with Redis at most once per `check_seconds`, so the others see a change
within about a second. Should Redis be unreachable, a copy older than `max_age_seconds` is
dropped anyway.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")


class ProcessCached(Generic[T]):
    def __init__(
        self,
        version_key: str,
        load: Callable[[], T],
        *,
        check_seconds: float = 1.0,
        max_age_seconds: float = 60.0,
    ) -> None:
        self.version_key = version_key
        self.load = load
        self.check_seconds = check_seconds
        self.max_age_seconds = max_age_seconds
        self._value: tuple[T] | None = None
        self._loaded = 0.0
        self._version: Any = None
        self._checked = -1e9

    def get(self) -> T:
        now = time.monotonic()
        if now - self._checked >= self.check_seconds:
            self._checked = now
            version = cache.get(self.version_key)
            if version is None:  # Redis unreachable (or never bumped): a bounded age instead
                if now - self._loaded > self.max_age_seconds:
                    self._value = None
            elif version != self._version:
                self._value, self._version = None, version
        value = self._value
        if value is None:
            value = self._value = (self.load(),)
            self._loaded = now
        return value[0]

    def forget(self) -> None:
        """Drop this process's copy (tests: the database was rolled back underneath)."""
        self._value = None

    def _bump(self) -> None:
        self._value = None
        cache.set(self.version_key, uuid.uuid4().hex, timeout=None)

    def changed(self, **kwargs: Any) -> None:
        """Signal receiver: the data changed (now, and again at the commit)."""
        self._bump()
        transaction.on_commit(self._bump)
