"""/feeds/: every RSS/Atom feed the apps registered (core.feeds), with its variants."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.feeds import feeds


@require_GET
def feed_overview(request: HttpRequest) -> HttpResponse:
    rows = [
        {
            "key": feed.key,
            "title": feed.title,
            "description": feed.description,
            "rss": feed.rss_url(),
            "atom": feed.atom_url() if feed.atom_url else "",
            "variants": feed.variants() if feed.variants else [],
        }
        for feed in feeds()
    ]
    return render(request, "frontend/feeds.html", {"feeds": rows})
