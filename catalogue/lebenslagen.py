"""The catalogue by Lebenslagen (life situations): the first view of /dienstleistungen/;
`?ansicht=a-z` is the alphabetical list (the second view, also used for search results)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import get_language

from core import params

from .models import LifeSituation, Service

VIEWS = ("lebenslagen", "a-z")


@dataclass(frozen=True)
class Group:
    situation: LifeSituation
    name: str
    summary: str
    services: list[Service]


def catalogue_view(request: HttpRequest) -> str:
    try:
        return params.choice(request.GET.get("ansicht"), "ansicht", VIEWS, default=VIEWS[0])
    except ValidationError as exc:
        raise params.bad_request(exc) from exc


def grouped() -> list[Group]:
    """Lebenslagen with their active services (two queries); empty ones are left out."""
    language = (get_language() or "de")[:2]
    situations = LifeSituation.objects.prefetch_related(
        Prefetch(
            "services",
            queryset=Service.objects.filter(is_active=True).order_by("name"),
            to_attr="active_services",
        )
    )
    return [
        Group(
            situation,
            situation.localized_name(language),
            situation.localized_summary(language),
            situation.active_services,
        )
        for situation in situations
        if situation.active_services
    ]
