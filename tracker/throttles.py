"""The report rate limits in one Redis round trip each (docs/performance.md, "Intake").

DRF's SimpleRateThrottle keeps a pickled list of timestamps per client in the cache and
needs a GET and a SET per request (and two clients can race between them). Here the same
sliding window (at most N requests in any period of the rate's duration) is a sorted set per
client, checked and updated by one Lua script: atomic, exact, one round trip. Without a Redis
cache (another cache backend) DRF's implementation runs; with Redis unreachable the limit
fails open like the rest of the site's rate limits (RATELIMIT_FAIL_OPEN), and says so in the
log.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from core.cache_redis import cache_redis

logger = logging.getLogger(__name__)

_SCRIPT = """
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, math.ceil(window * 1000))
  return {1, '0'}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {0, tostring(tonumber(oldest[2]) + window - now)}
"""
_scripts: dict[str, Any] = {}


def _script() -> Any | None:
    """The registered script on the default cache's Redis, or None without a Redis cache."""
    if "script" not in _scripts:
        client = cache_redis()
        _scripts["script"] = client.register_script(_SCRIPT) if client is not None else None
    return _scripts["script"]


class SlidingWindowThrottle(SimpleRateThrottle):
    """A SimpleRateThrottle (same rates, scopes and keys) checked by one Redis script."""

    _wait: float | None = None

    def allow_request(self, request: Request, view: APIView) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        script = _script()
        if script is None:
            return super().allow_request(request, view)
        limit, duration = self.parse_rate(self.rate)
        args = [time.time(), duration, limit, uuid.uuid4().hex]
        try:
            allowed, wait = script(keys=[f"mm:{self.key}"], args=args)
        except Exception:  # Redis unreachable: fail open, as the site's other limits do
            logger.warning("rate limit %s not checked: Redis unreachable", self.scope)
            return True
        self._wait = None if allowed else max(0.0, float(wait))
        return bool(allowed)

    def wait(self) -> float | None:
        if self._wait is not None:
            return self._wait
        return super().wait() if getattr(self, "history", None) else None
