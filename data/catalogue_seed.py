"""Load the demo catalogue (data.catalogue_spec) idempotently: missing rows are created, rows
that exist are left alone unless `overwrite` is given (an authority may have edited them)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict

from django.db import transaction

from boundaries.models import Authority
from catalogue.models import (
    AuthorityPage,
    FeeRule,
    LifeSituation,
    SearchSynonym,
    Service,
    ServiceOverride,
)

from . import catalogue_spec, lebenslagen_spec


def _service_values(spec: catalogue_spec.ServiceSpec) -> dict[str, object]:
    values = asdict(spec)
    for key in ("slug", "fee"):
        values.pop(key)
    values["leika_key"] = catalogue_spec.LEIKA_KEYS[spec.slug]
    values["required_documents"] = "\n".join(spec.required_documents)
    values["links"] = [{"title": title, "url": url} for title, url in spec.links]
    return values


_PORTAL_FIELDS = ("slug", "level", "min_assurance", "is_online", "form_schema")


def _service_for(
    spec: catalogue_spec.ServiceSpec, values: dict[str, object], *, overwrite: bool
) -> tuple[Service, bool]:
    service = (
        Service.objects.filter(leika_key=values["leika_key"]).order_by("id").first()
        or Service.objects.filter(slug=spec.slug).first()
    )
    if service is None:
        return Service.objects.create(slug=spec.slug, **values), True
    # A service the import created first (slug from its name, no form) gets the demo's portal
    # fields once; afterwards they are left alone unless `overwrite` is given.
    renamed = service.slug != spec.slug and not Service.objects.filter(slug=spec.slug).exists()
    first_time = renamed or (bool(spec.form_schema) and not service.form_schema)
    if overwrite or first_time:
        fields = values if overwrite else {k: values[k] for k in _PORTAL_FIELDS if k in values}
        fields = {**fields, "slug": spec.slug}
        for name, value in fields.items():
            setattr(service, name, value)
        service.save()
    return service, False


def _services(created: Counter[str], *, overwrite: bool) -> dict[str, Service]:
    services: dict[str, Service] = {}
    for spec in catalogue_spec.SERVICES:
        values = _service_values(spec)
        # Keyed by LeiKa: the XZuFi import (data/xzufi/demo-catalogue.xml) may have brought
        # the service first; then only what XZuFi cannot carry is filled in here.
        service, was_created = _service_for(spec, values, overwrite=overwrite)
        services[spec.slug] = service
        created["services"] += was_created
        if spec.fee is not None:
            _, was_created = FeeRule.objects.get_or_create(
                service=service, authority=None, defaults={"amount": spec.fee, "label": spec.name}
            )
            created["fee rules"] += was_created
    for term, expansions in catalogue_spec.SYNONYMS.items():
        _, was_created = SearchSynonym.objects.get_or_create(
            term=term, defaults={"expansions": ", ".join(expansions)}
        )
        created["synonyms"] += was_created
    return services


def _life_situations(created: Counter[str], services: dict[str, Service]) -> None:
    """Lebenslagen and their services; a service is added to its Lebenslagen, never removed
    (an authority may have regrouped it)."""
    for position, spec in enumerate(lebenslagen_spec.LEBENSLAGEN, start=1):
        situation, was_created = LifeSituation.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "name_en": spec.name_en,
                "summary": spec.summary,
                "summary_en": spec.summary_en,
                "position": position * 10,
            },
        )
        created["life situations"] += was_created
        situation.services.add(*[services[slug] for slug in spec.services if slug in services])


def _overrides(
    created: Counter[str], services: dict[str, Service], authorities: dict[str, Authority]
) -> None:
    for override in catalogue_spec.OVERRIDES:
        authority = authorities.get(override.authority)
        if authority is None:
            continue
        handled_by = authorities.get(override.handled_by) if override.handled_by else None
        _, was_created = ServiceOverride.objects.get_or_create(
            service=services[override.service],
            authority=authority,
            defaults={
                "handled_by": handled_by,
                "offered_online": override.offered_online,
                "contact_email": override.contact_email,
                "contact_phone": override.contact_phone,
                "contact_note": override.contact_note,
                "fees": override.fees,
            },
        )
        created["overrides"] += was_created
    for slug, authority_slug, amount in catalogue_spec.FEE_OVERRIDES:
        authority = authorities.get(authority_slug)
        if authority is None:
            continue
        _, was_created = FeeRule.objects.get_or_create(
            service=services[slug],
            authority=authority,
            defaults={"amount": amount, "label": services[slug].name},
        )
        created["fee rules"] += was_created


def _pages(
    created: Counter[str], services: dict[str, Service], authorities: dict[str, Authority]
) -> None:
    for authority_slug, (welcome, featured) in catalogue_spec.PAGES.items():
        authority = authorities.get(authority_slug)
        if authority is None:
            continue
        page, was_created = AuthorityPage.objects.get_or_create(
            authority=authority,
            defaults={
                "welcome": welcome,
                "imprint_url": f"{authority.website}impressum" if authority.website else "",
                "privacy_url": f"{authority.website}datenschutz" if authority.website else "",
            },
        )
        if was_created:
            page.featured.set([services[s] for s in featured])
        created["authority pages"] += was_created


def load_catalogue(*, commit: bool, overwrite: bool = False) -> Counter[str]:
    """Create (or with `overwrite`, reset) the demo services, synonyms, fees, overrides and
    authority pages. Without `commit` everything is rolled back and only counted."""
    created: Counter[str] = Counter()
    with transaction.atomic():
        authorities = {a.slug: a for a in Authority.objects.filter(slug__startswith="demo-")}
        services = _services(created, overwrite=overwrite)
        _life_situations(created, services)
        # Overrides, fees and pages need the demo authorities (load_demo runs first).
        _overrides(created, services, authorities)
        _pages(created, services, authorities)
        if not commit:
            transaction.set_rollback(True)
    return created
