"""GET /healthz: is the portal able to serve? Database, PostGIS and Redis, as JSON.

The status is for everyone (load balancers, monitoring). Staff, and a monitoring system that
sends `Authorization: Bearer <HEALTHZ_TOKEN>`, also see the software versions (they tell an
attacker which known vulnerabilities to try) and the backlogs: messages in the Celery
queues, outbox deliveries that are due, photos still waiting for their redaction pass — with
a warning when the oldest waits longer than HEALTHZ_BACKLOG_WARN_MINUTES. A backlog is a
warning, not an outage: the status stays 200, since the portal still serves."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Any

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu.exceptions import ChannelError, OperationalError

from outbox.selectors import due_backlog
from tracker.selectors import redaction_backlog

from .celery import app as celery_app


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


def _may_see_details(request: HttpRequest) -> bool:
    user = request.user
    if user.is_authenticated and (user.is_staff or user.is_superuser):
        return True
    token = settings.HEALTHZ_TOKEN
    sent = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


def _queue_lengths() -> dict[str, int | None]:
    """Messages waiting in each Celery queue the Procfile's workers serve (None: unknown)."""
    names = ["celery", settings.IMAGES_QUEUE]
    lengths: dict[str, int | None] = dict.fromkeys(names)
    try:
        with celery_app.connection_for_read(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=1)
            channel = conn.default_channel
            for name in names:
                try:
                    lengths[name] = channel.queue_declare(name, passive=True).message_count
                except ChannelError:  # Redis keeps no empty list: nothing waits in it
                    lengths[name] = 0
    except (OperationalError, OSError, redis.RedisError):
        pass
    return lengths


def _backlog(
    name: str, backlog: tuple[int, datetime | None], now: datetime, warnings: list[str]
) -> dict[str, Any]:
    """{count, oldest_seconds} of a backlog (count, since when its oldest item waits)."""
    count, since = backlog
    if since is None:
        return {"count": count, "oldest_seconds": None}
    oldest = (now - since).total_seconds()
    if oldest > settings.HEALTHZ_BACKLOG_WARN_MINUTES * 60:
        warnings.append(name)
    return {"count": count, "oldest_seconds": round(oldest)}


def _details(database: dict[str, Any]) -> dict[str, Any]:
    warnings: list[str] = []
    details: dict[str, Any] = {"postgis": database["postgis"]}
    if database["ok"]:
        now = timezone.now()
        details["outbox_due"] = _backlog("outbox_due", due_backlog(), now, warnings)
        details["photos_unredacted"] = _backlog(
            "photos_unredacted", redaction_backlog(), now, warnings
        )
    details["queues"] = _queue_lengths()
    details["warnings"] = warnings
    return details


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = _check_database()
    redis_status = _check_redis()
    healthy = database["ok"] and redis_status["ok"]
    body: dict[str, Any] = {
        "status": "ok" if healthy else "error",
        "database": "ok" if database["ok"] else "down",
        "redis": "ok" if redis_status["ok"] else "down",
    }
    if _may_see_details(request):
        body.update(_details(database))
    return JsonResponse(body, status=200 if healthy else 503)
