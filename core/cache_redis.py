"""The default cache's Redis client, for the few callers that need Redis itself (a Lua
script, a pipeline) rather than the cache API: one per process, from django-redis's pool.
None where the default cache is not django-redis (another backend: callers fall back to
the cache API or to what they do without Redis)."""

from __future__ import annotations

from typing import Any

_clients: dict[str, Any] = {}


def cache_redis() -> Any | None:
    if "default" not in _clients:
        try:
            from django_redis import get_redis_connection  # type: ignore[import-untyped]

            _clients["default"] = get_redis_connection("default")
        except (ImportError, NotImplementedError):
            _clients["default"] = None
    return _clients["default"]
