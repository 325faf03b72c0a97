"""Write a parsed XZuFi catalogue in one transaction (rolled back on a dry run) and count what
changed: services, organisational units, Zuständigkeiten and the authorities they map onto.

- Services are found by their XZuFi id, else (first import over a hand-made catalogue) by
  their LeiKa key; new ones get a slug from their name and a level from the area of their
  first Zuständigkeit (Kreis when unknown). The portal's own fields (slug, level, form, the
  required account level, online availability) are never touched on update.
- A service that an earlier import brought and the file no longer has is deactivated, not
  deleted (applications keep pointing at it). The file is taken as a full export.
- Organisationseinheiten with an official key (ARS/AGS) we know update that authority's
  address, contact and opening hours.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.text import slugify

from boundaries.models import Authority, Level

from ..models import OrganisationalUnit, ResponsibleLevel, Service, ServiceResponsibility
from .keys import AuthorityIndex
from .parse import ParsedCatalogue, ParsedService, ParsedUnit

KINDS = ("services", "units", "responsibilities", "authorities")
OUTCOMES = ("created", "updated", "unchanged", "removed")
_LEVELS = {Level.KREIS.value, Level.SAMTGEMEINDE.value, Level.GEMEINDE.value}


@dataclass
class Summary:
    """What an import changed (or, on a dry run, would change)."""

    counts: dict[str, Counter[str]] = field(default_factory=lambda: {k: Counter() for k in KINDS})
    warnings: list[str] = field(default_factory=list)
    unknown_objects: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, outcome: str, number: int = 1) -> None:
        self.counts[kind][outcome] += number

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] or c["removed"] for c in self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": {
                kind: {outcome: counter[outcome] for outcome in OUTCOMES}
                for kind, counter in self.counts.items()
            },
            "warnings": self.warnings,
            "unknown_objects": self.unknown_objects,
        }

    def lines(self) -> list[str]:
        found = []
        for kind in KINDS:
            c = self.counts[kind]
            found.append(
                f"{kind}: {c['created']} created, {c['updated']} updated, "
                f"{c['unchanged']} unchanged, {c['removed']} removed"
            )
        found += [
            f"unknown object <{name}>: {n} (kept out)" for name, n in self.unknown_objects.items()
        ]
        found += [f"warning: {warning}" for warning in self.warnings]
        return found


def apply_catalogue(parsed: ParsedCatalogue, *, commit: bool) -> Summary:
    """Bring the database in line with `parsed`; without `commit` everything is rolled back."""
    summary = Summary(warnings=list(parsed.warnings), unknown_objects=dict(parsed.unknown_objects))
    with transaction.atomic():
        index = AuthorityIndex()
        units = _apply_units(parsed.units, index, summary)
        services = _apply_services(parsed, index, summary)
        _apply_responsibilities(parsed, services, units, index, summary)
        if not commit:
            transaction.set_rollback(True)
    return summary


# ------------------------------------------------------------------ organisational units


def _unit_values(unit: ParsedUnit, authority: Authority | None) -> dict[str, Any]:
    return {
        "name": unit.name[:300],
        "official_key": unit.official_key,
        "authority": authority,
        "address": unit.address,
        "email": unit.email[:254],
        "phone": unit.phone[:50],
        "website": unit.website[:500],
        "opening_hours": unit.opening_hours,
        "extra": unit.extra,
    }


def _apply_units(
    parsed: list[ParsedUnit], index: AuthorityIndex, summary: Summary
) -> dict[str, OrganisationalUnit]:
    existing = {u.xzufi_id: u for u in OrganisationalUnit.objects.all()}
    result: dict[str, OrganisationalUnit] = {}
    for unit in parsed:
        authority = index.find(unit.official_key)
        values = _unit_values(unit, authority)
        row = existing.pop(unit.xzufi_id, None)
        if row is None:
            row = OrganisationalUnit.objects.create(xzufi_id=unit.xzufi_id, **values)
            summary.count("units", "created")
        else:
            _update(row, values, "units", summary)
        result[unit.xzufi_id] = row
        if authority is not None:
            _update_authority(authority, unit, summary)
    if existing:
        OrganisationalUnit.objects.filter(pk__in=[u.pk for u in existing.values()]).delete()
        summary.count("units", "removed", len(existing))
    return result


def _valid(value: str, validator: Any) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _update_authority(authority: Authority, unit: ParsedUnit, summary: Summary) -> None:
    """The unit's address, contact and hours on the authority it maps onto (non-empty, valid
    values only; an authority keeps what the file does not say)."""
    values: dict[str, str] = {}
    if unit.address:
        values["address"] = unit.address
    if unit.opening_hours:
        values["opening_hours"] = unit.opening_hours
    if unit.phone:
        values["phone"] = unit.phone[:50]
    if unit.email and _valid(unit.email, validate_email):
        values["email"] = unit.email
    elif unit.email:
        summary.warnings.append(f"{unit.path}: E-Mail-Adresse „{unit.email}“ ungültig")
    if unit.website and _valid(unit.website, URLValidator()):
        values["website"] = unit.website
    _update(authority, values, "authorities", summary)


def _update(row: Any, values: dict[str, Any], kind: str, summary: Summary) -> None:
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        summary.count(kind, "unchanged")
        return
    for name in changed:
        setattr(row, name, values[name])
    row.save(update_fields=changed)
    summary.count(kind, "updated")


# ------------------------------------------------------------------ services


def _service_values(parsed: ParsedService) -> dict[str, Any]:
    texts = parsed.texts
    summary = " ".join(texts.get("summary", "").split())
    return {
        "leika_key": parsed.leika_key,
        "name": texts["name"][:200],
        "summary": summary[:300],
        "description": texts.get("description", ""),
        "keywords": ", ".join(dict.fromkeys(parsed.keywords)),
        "required_documents": texts.get("required_documents", ""),
        "prerequisites": texts.get("prerequisites", ""),
        "fees": texts.get("fees", ""),
        "deadlines": texts.get("deadlines", ""),
        "legal_basis": texts.get("legal_basis", ""),
        "processing_time": " ".join(texts.get("processing_time", "").split())[:200],
        "links": parsed.links,
        "xzufi_extra": parsed.extra,
        "is_active": True,
    }


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:90].strip("-") or "leistung"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def _levels(parsed: ParsedCatalogue, index: AuthorityIndex) -> dict[str, str]:
    """The level of each new service: that of the area of its first Zuständigkeit."""
    levels: dict[str, str] = {}
    for responsibility in parsed.responsibilities:
        if responsibility.service_id in levels:
            continue
        area = index.find(responsibility.area_key)
        if area is not None and area.level in _LEVELS:
            levels[responsibility.service_id] = area.level
    return levels


def _apply_services(
    parsed: ParsedCatalogue, index: AuthorityIndex, summary: Summary
) -> dict[str, Service]:
    by_id = {s.xzufi_id: s for s in Service.objects.exclude(xzufi_id="")}
    by_leika = {s.leika_key: s for s in Service.objects.filter(xzufi_id="").order_by("-id")}
    taken = set(Service.objects.values_list("slug", flat=True))
    levels = _levels(parsed, index)
    result: dict[str, Service] = {}
    new: list[Service] = []
    for item in parsed.services:
        values = _service_values(item)
        row = by_id.get(item.xzufi_id) or by_leika.pop(item.leika_key, None)
        if row is None:
            level = levels.get(item.xzufi_id, ResponsibleLevel.KREIS)
            slug = _unique_slug(values["name"], taken)
            row = Service(xzufi_id=item.xzufi_id, slug=slug, level=level, **values)
            new.append(row)
        else:
            values["xzufi_id"] = item.xzufi_id
            _update(row, values, "services", summary)
        result[item.xzufi_id] = row
    Service.objects.bulk_create(new, batch_size=500)
    summary.count("services", "created", len(new))
    gone = Service.objects.filter(is_active=True).exclude(xzufi_id="").exclude(xzufi_id__in=result)
    summary.count("services", "removed", gone.update(is_active=False))
    return result


# ------------------------------------------------------------------ Zuständigkeiten


def _apply_responsibilities(
    parsed: ParsedCatalogue,
    services: dict[str, Service],
    units: dict[str, OrganisationalUnit],
    index: AuthorityIndex,
    summary: Summary,
) -> None:
    existing = {
        (r.service_id, r.area_key, r.unit_id): r for r in ServiceResponsibility.objects.all()
    }
    new: list[ServiceResponsibility] = []
    seen: set[tuple[int, str, int]] = set()
    for item in parsed.responsibilities:
        service, unit = services.get(item.service_id), units.get(item.unit_id)
        if service is None or unit is None:
            missing = "Leistung" if service is None else "Organisationseinheit"
            summary.warnings.append(f"{item.path}: Zuständigkeit für unbekannte {missing}")
            continue
        key = (service.pk, item.area_key, unit.pk)
        if key in seen:
            continue
        seen.add(key)
        area = index.find(item.area_key)
        row = existing.pop(key, None)
        if row is None:
            new.append(
                ServiceResponsibility(
                    service=service, area_key=item.area_key, unit=unit, area=area, extra=item.extra
                )
            )
        else:
            _update(
                row,
                {"area_id": area.pk if area else None, "extra": item.extra},
                "responsibilities",
                summary,
            )
    ServiceResponsibility.objects.bulk_create(new, batch_size=1000)
    summary.count("responsibilities", "created", len(new))
    if existing:
        ServiceResponsibility.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()
        summary.count("responsibilities", "removed", len(existing))
