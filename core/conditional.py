"""Small JSON answers with an ETag for polling clients (the live status, tracker.live).

The ETag is a hash of the body, so a client that sends it back in `If-None-Match` gets
`304 Not Modified` with no body while nothing has changed. Answers are private (they may
depend on the session) and must be revalidated every time."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


def json_with_etag(request: HttpRequest, payload: Any) -> HttpResponse:
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:24] + '"'
    sent = request.headers.get("If-None-Match", "")
    tags = {tag.strip().removeprefix("W/") for tag in sent.split(",")}
    if etag in tags:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response
