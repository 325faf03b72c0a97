"""Parts that apps above legal add to a legal page, without legal importing them: the privacy
statement lists the record of processing activities from privacy.record, so the page and
docs/privacy.md cannot drift apart. A part is a template and a function giving its context;
apps register them in their AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Extra:
    key: str
    kind: str  # LegalPage.Kind value
    template: str
    context: Callable[[], dict[str, Any]]
    order: int = 100


_EXTRAS: dict[str, Extra] = {}


def register(extra: Extra) -> None:
    _EXTRAS[extra.key] = extra


def render(kind: str, request: HttpRequest) -> list[SafeString]:
    found = sorted((e for e in _EXTRAS.values() if e.kind == kind), key=lambda e: (e.order, e.key))
    return [render_to_string(e.template, e.context(), request) for e in found]
