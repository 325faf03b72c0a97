"""Conditional GETs: one reading of `If-None-Match` for every answer with an ETag.

`etag_matches` is what the tile views use (their ETag is a data version, known before the
tile is built). `json_with_etag` serves small JSON answers to polling clients (the live
status, tracker.live): the ETag is a hash of the body, so a client that sends it back gets
`304 Not Modified` with no body while nothing has changed. Those answers are private (they
may depend on the session) and must be revalidated every time."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


def etag_matches(request: HttpRequest, etag: str) -> bool:
    """Does the client's `If-None-Match` name this (strong, quoted) ETag? Weak tags compare
    weakly, as RFC 9110 asks for `If-None-Match`; `*` matches any current answer."""
    sent = request.headers.get("If-None-Match", "")
    tags = {tag.strip().removeprefix("W/") for tag in sent.split(",")}
    return etag in tags or "*" in tags


def json_with_etag(request: HttpRequest, payload: Any) -> HttpResponse:
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:24] + '"'
    if etag_matches(request, etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response
