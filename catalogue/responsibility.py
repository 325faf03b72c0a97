"""Zuständigkeitsfinder: which office handles a service at a place.

Built on the same routing layer as reports: `boundaries.services.authorities_at(point)` gives
the authorities covering the point (one per level, in PostGIS on subdivided pieces). Then:

1. an override of a covering authority that names who handles the service wins, the most local
   authority first (a large town with its own building supervision: Bauantrag → the town);
1b. then an imported Zuständigkeit (XZuFi, catalogue.xzufi) for the area of a covering
   authority, the most local first: its Organisationseinheit's authority (or, when the unit
   maps onto none of ours, the area's) handles it, with the unit's contact;
2. otherwise the authority of the service's level, with the same fallbacks as route(): a
   Samtgemeinde task in a verbandsfreie Gemeinde goes to that Gemeinde, a Gemeinde task where
   no Gemeinde boundary exists goes to the Samtgemeinde;
3. then the authority's delegation (`Authority.delegates_to`: a member of a Samtgemeinde hands
   its tasks to the Samtgemeinde), unless its own override keeps the service (handled_by=self);
4. the override of the picked or the handling authority adds online availability, contact and
   fee text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.gis.geos import Point
from django.db import models
from django.utils.translation import gettext as _

from boundaries.models import TERRITORIAL_LEVELS, Authority, Level
from boundaries.services import CoveringAuthority, OutsideServiceArea, authorities_at

from .models import Service, ServiceOverride, ServiceResponsibility

_LEVEL_FALLBACK: dict[str, list[str]] = {
    Level.GEMEINDE: [Level.GEMEINDE, Level.SAMTGEMEINDE],
    Level.SAMTGEMEINDE: [Level.SAMTGEMEINDE, Level.GEMEINDE],
    Level.KREIS: [Level.KREIS],
}
_LEVEL_RANK = {level.value: rank for rank, level in enumerate(TERRITORIAL_LEVELS)}


@dataclass(frozen=True)
class Responsibility:
    """Who handles a service at a place, and how to reach them."""

    service: Service
    authority: Authority
    detail: str
    offered_online: bool
    email: str
    phone: str
    website: str
    contact_note: str
    fees: str


def _pick_level(covering: list[CoveringAuthority], level: str) -> CoveringAuthority | None:
    by_level = {a.level: a for a in covering}
    for candidate in _LEVEL_FALLBACK.get(level, [level]):
        if candidate in by_level:
            return by_level[candidate]
    return None


def _overrides_for(
    services: Iterable[Service], authority_ids: set[int]
) -> dict[tuple[int, int], ServiceOverride]:
    return {
        (o.service_id, o.authority_id): o
        for o in ServiceOverride.objects.filter(
            service__in=list(services), authority_id__in=authority_ids
        )
    }


def responsibilities(
    services: Iterable[Service], covering: list[CoveringAuthority]
) -> dict[int, Responsibility]:
    """The responsible office for each service at the place described by `covering`
    (authorities_at's answer), keyed by service id. Services no covering level can serve
    are left out. A fixed number of queries, whatever the number of services."""
    services = list(services)
    if not covering or not services:
        return {}
    covering_ids = {a.id for a in covering}
    delegate_ids = {a.delegates_to_id for a in covering if a.delegates_to_id}
    overrides = _overrides_for(services, covering_ids)
    handler_ids = {o.handled_by_id for o in overrides.values() if o.handled_by_id}
    authorities = Authority.objects.in_bulk(covering_ids | delegate_ids | handler_ids)
    # Overrides of handling authorities (e.g. the Samtgemeinde's own contact for a service).
    extra_ids = (delegate_ids | handler_ids) - covering_ids
    if extra_ids:
        overrides.update(_overrides_for(services, extra_ids))
    most_local_first = sorted(covering, key=lambda a: -_LEVEL_RANK.get(a.level, 0))

    imported = _imported_for(services, most_local_first)
    authorities.update(
        {r.unit.authority.pk: r.unit.authority for r in imported.values() if r.unit.authority}
    )

    result: dict[int, Responsibility] = {}
    for service in services:
        picked = _pick_level(covering, service.level)
        handler_id, notes = _override_handler(service, most_local_first, overrides, authorities)
        if handler_id is None and service.id in imported:
            result[service.id] = _from_import(
                service, imported[service.id], authorities, overrides, picked
            )
            continue
        if handler_id is None:
            if picked is None:
                continue
            handler_id, notes = _level_handler(picked, authorities)
        result[service.id] = _responsibility(
            service, authorities[handler_id], picked, overrides, notes
        )
    return result


def _imported_for(
    services: list[Service], most_local_first: list[CoveringAuthority]
) -> dict[int, ServiceResponsibility]:
    """Per service, the imported Zuständigkeit of the most local covering area that has one."""
    rank = {a.id: position for position, a in enumerate(most_local_first)}
    found: dict[int, ServiceResponsibility] = {}
    rows = ServiceResponsibility.objects.filter(
        service__in=services, area_id__in=list(rank)
    ).select_related("unit", "unit__authority")
    for row in sorted(rows, key=lambda r: (rank[r.area_id or 0], r.pk)):
        found.setdefault(row.service_id, row)
    return found


def _from_import(
    service: Service,
    row: ServiceResponsibility,
    authorities: dict[int, Authority],
    overrides: dict[tuple[int, int], Any],
    picked: CoveringAuthority | None,
) -> Responsibility:
    """The answer of an imported Zuständigkeit; the handler's own override (online, contact,
    fee) still applies, otherwise the unit's contact details."""
    unit = row.unit
    area = authorities[row.area_id or 0]
    handler = unit.authority or area
    notes = []
    if handler.pk != area.pk:
        notes.append(
            _("für %(own)s zuständig: %(delegate)s") % {"own": area.name, "delegate": handler.name}
        )
    found = _responsibility(service, handler, picked, overrides, notes)
    if (service.id, handler.pk) in overrides:
        return found
    return replace(
        found,
        email=unit.email or found.email,
        phone=unit.phone or found.phone,
        website=unit.website or found.website,
        contact_note=found.contact_note or (unit.name if unit.authority is None else ""),
    )


def _override_handler(
    service: Service,
    most_local_first: list[CoveringAuthority],
    overrides: dict[tuple[int, int], Any],
    authorities: dict[int, Authority],
) -> tuple[int | None, list[str]]:
    """The most local authority's override that names who handles the service, if any."""
    for candidate in most_local_first:
        override = overrides.get((service.id, candidate.id))
        if override is not None and override.handled_by_id:
            handler_id: int = override.handled_by_id
            if handler_id != candidate.id:
                note = _("für %(own)s wahrgenommen durch %(handler)s") % {
                    "own": candidate.name,
                    "handler": authorities[handler_id].name,
                }
            else:
                note = _("%(own)s erledigt dies selbst") % {"own": candidate.name}
            return handler_id, [note]
    return None, []


def _level_handler(
    picked: CoveringAuthority, authorities: dict[int, Authority]
) -> tuple[int, list[str]]:
    """The authority of the service's level, or the one it delegates to."""
    if not picked.delegates_to_id:
        return picked.id, []
    handler_id = picked.delegates_to_id
    return handler_id, [
        _("für %(own)s zuständig: %(delegate)s")
        % {"own": picked.name, "delegate": authorities[handler_id].name}
    ]


def _responsibility(
    service: Service,
    authority: Authority,
    picked: CoveringAuthority | None,
    overrides: dict[tuple[int, int], Any],
    notes: list[str],
) -> Responsibility:
    own = overrides.get((service.id, authority.id))
    local = overrides.get((service.id, picked.id)) if picked else None
    offered_online = service.is_online
    for override in (own, local):
        if override is not None and override.offered_online is not None:
            offered_online = service.is_online and override.offered_online
            break
    contact = own or local
    return Responsibility(
        service=service,
        authority=authority,
        detail="; ".join(notes),
        offered_online=offered_online,
        email=(contact.contact_email if contact else "") or authority.email,
        phone=(contact.contact_phone if contact else "") or authority.phone,
        website=authority.website,
        contact_note=contact.contact_note if contact else "",
        fees=(contact.fees if contact else "") or service.fees,
    )


def responsibility_at(service: Service, point: Point) -> Responsibility:
    """The responsible office for one service at a point; OutsideServiceArea when no active
    boundary of ours covers the point or no level fits."""
    covering = authorities_at(point)
    found = responsibilities([service], covering).get(service.id)
    if found is None:
        raise OutsideServiceArea(point)
    return found


def services_of(authority: Authority) -> list[Service]:
    """The active services `authority` handles itself, for its page (/stelle/…): those of its
    level (a Samtgemeinde also its members' Gemeinde tasks when they delegate; a verbandsfreie
    Gemeinde also the Samtgemeinde tasks; a delegating member none), plus those it keeps or
    handles for others by override, minus those it hands to another office."""
    levels: set[str] = set()
    if authority.level == Level.KREIS:
        levels = {Level.KREIS}
    elif authority.level == Level.SAMTGEMEINDE:
        levels = {Level.SAMTGEMEINDE}
        if authority.delegating.exists():
            levels.add(Level.GEMEINDE)
    elif authority.level == Level.GEMEINDE and authority.delegates_to_id is None:
        levels = {Level.GEMEINDE, Level.SAMTGEMEINDE}
    own = ServiceOverride.objects.filter(authority=authority)
    handed_away = own.exclude(handled_by=None).exclude(handled_by=authority).values("service_id")
    taken = ServiceOverride.objects.filter(handled_by=authority).values("service_id")
    imported = ServiceResponsibility.objects.filter(unit__authority=authority).values("service_id")
    found = (
        Service.objects.filter(is_active=True)
        .filter(models.Q(level__in=levels) | models.Q(pk__in=taken) | models.Q(pk__in=imported))
        .exclude(pk__in=handed_away)
        .order_by("name")
    )
    return list(found)
