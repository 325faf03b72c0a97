"""GET /healthz: is the portal able to serve? Database, PostGIS and Redis, as JSON.

The status is for everyone (load balancers, monitoring); software versions only for staff, since
they tell an attacker which known vulnerabilities to try."""

from __future__ import annotations

from typing import Any

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version()")
            (postgis_version,) = cursor.fetchone() or (None,)
    except Exception as exc:  # any driver error means "down"; the message says why
        return {"ok": False, "error": exc.__class__.__name__, "postgis": None}
    return {"ok": True, "postgis": postgis_version}


def _check_redis() -> dict[str, Any]:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    finally:
        client.close()
    return {"ok": True}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = _check_database()
    redis_status = _check_redis()
    healthy = database["ok"] and redis_status["ok"]
    body = {
        "status": "ok" if healthy else "error",
        "database": "ok" if database["ok"] else "down",
        "redis": "ok" if redis_status["ok"] else "down",
    }
    user = request.user
    if user.is_authenticated and (user.is_staff or user.is_superuser):
        body["postgis"] = database["postgis"]
    return JsonResponse(body, status=200 if healthy else 503)
