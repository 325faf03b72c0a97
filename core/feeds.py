"""A registry of the site's RSS/Atom feeds, filled by the apps that own them in
`AppConfig.ready()` (tracker: new reports, events: new events and sessions; a later app such
as participation adds its plans the same way, without anyone importing it).

The shell reads it twice: `{% feed_alternates %}` in base.html adds
`<link rel="alternate">` for the feeds whose `pages` prefix the current path, and the page
/feeds/ lists every feed with its variants (per Gemeinde, per category …).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FeedVariant:
    title: str
    rss_url: str
    atom_url: str = ""


@dataclass(frozen=True)
class FeedLink:
    key: str
    title: Any  # str or lazy translation
    rss_url: Callable[[], str]  # URLs are resolved when used, not at registration
    atom_url: Callable[[], str] | None = None
    description: Any = ""
    pages: Sequence[str] = ()  # path prefixes ("/veranstaltungen/") or exact "=/" for one path
    variants: Callable[[], list[FeedVariant]] | None = None
    order: int = 100
    extra: dict[str, Any] = field(default_factory=dict)

    def shown_on(self, path: str) -> bool:
        return any(
            path == page[1:] if page.startswith("=") else path.startswith(page)
            for page in self.pages
        )


_feeds: dict[str, FeedLink] = {}


def register(link: FeedLink) -> None:
    """Add (or replace, by key) a feed."""
    _feeds[link.key] = link


def feeds() -> list[FeedLink]:
    return sorted(_feeds.values(), key=lambda f: (f.order, f.key))


def feeds_for(path: str) -> list[FeedLink]:
    return [f for f in feeds() if f.shown_on(path)]
