"""The demo region "Landkreis Heideland (Demo)", generated in code (contents: `demo_spec`).

The project cannot ship real boundaries or road data, so `make run` builds a fictional Kreis
on real ground in the Lüneburger Heide (about 9.92-10.29 E, 53.17-53.38 N), where the OSM
base map looks plausible. Every name carries "(Demo)" and every official code uses the Land
code 99, which no real Land has, so nothing here can clash with imported AGS/ARS.

How it is built:
* Geometry is designed in ETRS89 / UTM 32N metres relative to one origin and converted to
  WGS84 for storage. The Gemeinden are cells of a 3 x 3 grid whose shared edges are computed
  once and reused by both neighbours, so they tile the Kreis exactly; Kreis, Samtgemeinde and
  multi-cell Gemeinden are unions of cells.
* All irregularity comes from a hash of a name (`_noise`), not from random state, so every run
  produces identical coordinates and a re-run finds nothing to change.
* Rows are matched by natural keys (Authority.slug or (level, ags), BoundarySet.name,
  RoadSegment.external_id, Asset (asset_type, external_id), Category.slug, Team (authority,
  name)) and written only when they differ, in bulk. A re-run is a few dozen SELECTs.
* Boundaries go through `boundaries.sets.store_boundary`; a demo set is activated with
  `activate_set` only while no other set of its level is active, so the demo never pushes a
  real import aside.
* Road owners come from `boundaries.services.road_owner_at` at each segment's midpoint, so the
  stored owner follows the same rules as `route()`.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping

from django.db import connection, transaction
from django.db.models import Q

from boundaries import identity
from boundaries.models import Authority, Boundary, BoundarySet, Level, RoadAuthority
from boundaries.services import authorities_at, road_owner_at, route_many
from boundaries.sets import activate_set, store_boundary
from geo.models import AddressPoint, Asset, RoadSegment
from privacy.models import RetentionPolicy
from tracker.models import Category, Team
from tracker.open311.models import ServiceAttribute

from .demo_geometry import demo_addresses, demo_assets, demo_roads, demo_territories
from .demo_inspections import remove_demo_inspections, sync_demo_inspections
from .demo_spec import (
    AUTHORITIES,
    BOUNDARY_SETS,
    CATEGORIES,
    DEMO_SOURCE,
    LAND,
    OPEN311_ATTRIBUTES,
    RETENTION,
    ROAD_AUTHORITY_CLASSES,
    ROAD_OPERATOR,
    TEAMS,
    AuthoritySpec,
    CategorySpec,
)
from .demo_summary import DemoSummary, SetState
from .demo_sync import same as _same
from .demo_sync import sync as _sync

# Serialises concurrent runs (two `make run` at once) without a table of our own.
_ADVISORY_LOCK_KEY = 0x4D4D_4445_4D4F  # "MMDEMO"


# --------------------------------------------------------------------------- writing


def _sync_authorities(summary: DemoSummary) -> dict[str, Authority]:
    """Upsert the demo authorities, parents before children (parent and delegate are FKs)."""
    specs = {spec.slug: spec for spec in AUTHORITIES}
    by_ags = {(spec.level, spec.ags): spec.slug for spec in AUTHORITIES if spec.ags}
    candidates = Authority.objects.filter(
        Q(slug__in=specs)
        | Q(ags__in=[ags for _, ags in by_ags], level__in=[lvl for lvl, _ in by_ags])
    )

    def key_of(row: Authority) -> str:
        # A real import may already hold the code under another slug: adopt that row.
        return row.slug if row.slug in specs else by_ags.get((row.level, row.ags), row.slug)

    def depth(spec: AuthoritySpec) -> int:
        return 0 if spec.parent is None else 1 + depth(specs[spec.parent])

    done: dict[str, Authority] = {}
    tally = summary.tally("authorities")
    for level_depth in sorted({depth(spec) for spec in AUTHORITIES}):
        wanted = {
            spec.slug: {
                "slug": spec.slug,
                "name": spec.name,
                "level": spec.level,
                "ags": spec.ags,
                "ars": spec.ars,
                "parent_id": done[spec.parent].pk if spec.parent else None,
                "delegates_to_id": done[spec.delegates_to].pk if spec.delegates_to else None,
                "handles_ortsdurchfahrten": spec.handles_ortsdurchfahrten,
                "email": spec.email,
                "website": spec.website,
                "colour": spec.colour,
                "portal_name": spec.portal_name,
                "secondary_colour": spec.secondary_colour,
                "logo_static": spec.logo_static,
                "own_identity": spec.own_identity,
                "phone": spec.phone,
                "address": spec.address,
                "opening_hours": spec.opening_hours,
                "is_active": True,
            }
            for spec in AUTHORITIES
            if depth(spec) == level_depth
        }
        # Candidates are re-read per depth: cheap (ten rows) and sees rows created just before.
        done.update(_sync(candidates.all(), key_of, wanted, tally))
    summary.contents["authorities"] = Counter(spec.level for spec in AUTHORITIES)
    # Bulk writes send no post_save: drop the cached portal identities ourselves.
    identity.forget()
    return done


def _sync_road_authorities(authorities: Mapping[str, Authority], summary: DemoSummary) -> None:
    land, operator = authorities[LAND], authorities[ROAD_OPERATOR]
    wanted = {
        road_class.value: {
            "road_class": road_class.value,
            "territory_id": land.pk,
            "authority_id": operator.pk,
        }
        for road_class in ROAD_AUTHORITY_CLASSES
    }
    _sync(
        RoadAuthority.objects.filter(territory=land),
        lambda rule: rule.road_class,
        wanted,
        summary.tally("road authorities"),
    )


def _sync_boundaries(authorities: Mapping[str, Authority], summary: DemoSummary) -> None:
    """Store each territory in its level's demo set (only where it differs), then activate the
    demo sets whose level has no active set yet. A level that already has an active set (say, a
    real import) keeps it: the demo boundaries are stored but stay inactive."""
    sets = _sync(
        BoundarySet.objects.filter(name__in=BOUNDARY_SETS.values()),
        lambda boundary_set: boundary_set.name,
        {
            name: {"name": name, "level": level, "source": DEMO_SOURCE}
            for level, name in BOUNDARY_SETS.items()
        },
        summary.tally("boundary sets"),
    )
    stored = {
        (boundary.boundary_set_id, boundary.authority_id): boundary.geom
        for boundary in Boundary.objects.filter(boundary_set__in=sets.values())
    }
    tally = summary.tally("boundaries")
    for slug, geom in demo_territories().items():
        authority = authorities[slug]
        boundary_set = sets[BOUNDARY_SETS[authority.level]]
        current = stored.get((boundary_set.pk, authority.pk))
        if current is not None and _same(current, geom):
            tally.unchanged += 1
            continue
        _, repaired = store_boundary(boundary_set, authority, geom)
        summary.boundaries_repaired += int(repaired)
        if current is None:
            tally.created += 1
        else:
            tally.updated += 1

    active_elsewhere = dict(
        BoundarySet.objects.filter(level__in=BOUNDARY_SETS, is_active=True).values_list(
            "level", "name"
        )
    )
    for level, name in BOUNDARY_SETS.items():
        boundary_set = sets[name]
        if boundary_set.is_active:
            summary.set_states[name] = (SetState.ACTIVE, "")
        elif level in active_elsewhere:
            summary.set_states[name] = (SetState.SHADOWED, active_elsewhere[level])
        else:
            activate_set(boundary_set)
            summary.set_states[name] = (SetState.ACTIVATED, "")


def _sync_roads(summary: DemoSummary, *, live: bool) -> dict[str, RoadSegment]:
    """Upsert the road network; each owner is the Straßenbaulastträger at the midpoint,
    decided by the same rule (`road_owner_at`) that routing uses for unowned roads. When the
    demo is not `live`, its roads are removed instead (see `build_demo_region`)."""
    plans = demo_roads() if live else []
    wanted: dict[str, dict[str, object]] = {}
    for plan in plans:
        owner_id, _ = road_owner_at(
            plan.road_class, plan.ortsdurchfahrt, authorities_at(plan.midpoint())
        )
        wanted[plan.external_id] = {
            "external_id": plan.external_id,
            "geom": plan.geom(),
            "road_class": plan.road_class,
            "ref": plan.ref,
            "name": plan.name,
            "owner_id": owner_id,
            "ortsdurchfahrt": plan.ortsdurchfahrt,
            "source": DEMO_SOURCE,
        }
    tally = summary.tally("road segments")
    roads = _sync(
        RoadSegment.objects.filter(external_id__in=wanted),
        lambda road: road.external_id or "",
        wanted,
        tally,
    )
    # Segments an earlier version of the generator made, or all of them when withdrawn. A
    # report that pointed at one keeps its stored decision; only its road link becomes empty.
    stale = RoadSegment.objects.filter(source=DEMO_SOURCE).exclude(external_id__in=wanted)
    tally.deleted += stale.delete()[1].get(RoadSegment._meta.label, 0)
    if plans:
        summary.contents["road segments"] = Counter(plan.road_class for plan in plans)
    return roads


def _sync_assets(roads: Mapping[str, RoadSegment], summary: DemoSummary, *, live: bool) -> None:
    """Upsert the assets. Town assets belong to the covering Gemeinde after delegation, i.e.
    the Samtgemeinde for its members: `route()` sends asset reports straight to the owner
    without applying delegation, and the Samtgemeinde's Bauhof does that work. Signs belong to
    the owner of the road they stand on (the Kreis on rural Kreisstraßen). When the demo is not
    `live`, its assets are removed instead."""
    plans = demo_assets() if live else []
    geoms = [plan.geom() for plan in plans]
    town_owner_ids = route_many([g.x for g in geoms], [g.y for g in geoms], Level.GEMEINDE)
    wanted: dict[tuple[str, str], dict[str, object]] = {}
    for plan, geom, town_owner_id in zip(plans, geoms, town_owner_ids, strict=True):
        owner_id = town_owner_id if plan.owner == "gemeinde" else roads[plan.owner].owner_id
        wanted[(plan.asset_type, plan.external_id)] = {
            "asset_type": plan.asset_type,
            "external_id": plan.external_id,
            "geom": geom,
            "name": plan.name,
            "owner_id": owner_id,
            "source": DEMO_SOURCE,
        }
    tally = summary.tally("assets")
    _sync(
        Asset.objects.filter(external_id__in=[external_id for _, external_id in wanted]),
        lambda asset: (asset.asset_type, asset.external_id),
        wanted,
        tally,
    )
    stale_ids = [
        pk
        for pk, asset_type, external_id in Asset.objects.filter(source=DEMO_SOURCE).values_list(
            "pk", "asset_type", "external_id"
        )
        if (asset_type, external_id) not in wanted
    ]
    if stale_ids:
        tally.deleted += (
            Asset.objects.filter(pk__in=stale_ids).delete()[1].get(Asset._meta.label, 0)
        )
    if plans:
        summary.contents["assets"] = Counter(plan.asset_type for plan in plans)


def _sync_addresses(summary: DemoSummary, *, live: bool) -> None:
    """Upsert the demo's house numbers (keyed by their address); removed when not `live`."""
    wanted: dict[tuple[str, str, str, str], dict[str, object]] = {
        (plan.street, plan.house_number, plan.postcode, plan.town): {
            "street": plan.street,
            "house_number": plan.house_number,
            "postcode": plan.postcode,
            "town": plan.town,
            "geom": plan.geom(),
            "source": DEMO_SOURCE,
        }
        for plan in (demo_addresses() if live else [])
    }
    tally = summary.tally("address points")
    _sync(
        AddressPoint.objects.filter(source=DEMO_SOURCE),
        lambda a: (a.street, a.house_number, a.postcode, a.town),
        wanted,
        tally,
    )
    stale = [
        a.pk
        for a in AddressPoint.objects.filter(source=DEMO_SOURCE)
        if (a.street, a.house_number, a.postcode, a.town) not in wanted
    ]
    if stale:
        deleted = AddressPoint.objects.filter(pk__in=stale).delete()[1]
        tally.deleted += deleted.get(AddressPoint._meta.label, 0)
    if wanted:
        summary.contents["address points"] = Counter(key[3] for key in wanted)


def _category_values(spec: CategorySpec) -> dict[str, object]:
    return {
        "slug": spec.slug,
        "name": spec.name,
        "name_en": spec.name_en,
        "description": spec.description,
        "level": spec.level,
        "snap_to_roads": spec.snap_to_roads,
        "road_classes": spec.road_classes,
        "asset_type": spec.asset_type,
        "snap_tolerance_m": spec.snap_tolerance_m,
        "duplicate_radius_m": spec.duplicate_radius_m,
        "sort_order": spec.sort_order,
        "is_active": True,
    }


def _sync_categories(summary: DemoSummary, *, overwrite: bool) -> dict[str, Category]:
    """Create the demo categories. Categories are the portal's shared catalogue, which
    administrators tune (tolerances, texts) also on a real deployment, where `make run` still
    runs this loader; so an existing category is left as it is unless `overwrite`."""
    wanted = {spec.slug: _category_values(spec) for spec in CATEGORIES}
    existing = {category.slug: category for category in Category.objects.filter(slug__in=wanted)}
    if not overwrite:
        summary.categories_kept = sorted(
            slug
            for slug, category in existing.items()
            if any(not _same(getattr(category, k), v) for k, v in wanted[slug].items())
        )
        wanted = {slug: values for slug, values in wanted.items() if slug not in existing}
        summary.tally("categories").unchanged += len(existing)
    categories = _sync(
        Category.objects.filter(slug__in=wanted),
        lambda category: category.slug,
        wanted,
        summary.tally("categories"),
    )
    summary.contents["categories"] = Counter(spec.level for spec in CATEGORIES)
    return {**existing, **categories}


def _sync_teams(
    authorities: Mapping[str, Authority], categories: Mapping[str, Category], summary: DemoSummary
) -> None:
    """Upsert the teams of the demo authorities and set exactly their demo categories."""
    wanted = {
        (authorities[spec.authority].pk, spec.name): {
            "authority_id": authorities[spec.authority].pk,
            "name": spec.name,
            "email": spec.email,
        }
        for spec in TEAMS
    }
    tally = summary.tally("teams")
    teams = _sync(
        Team.objects.filter(authority__in=[a.pk for a in authorities.values()]).prefetch_related(
            "categories"
        ),
        lambda team: (team.authority_id, team.name),
        wanted,
        tally,
    )
    links = summary.tally("team categories")
    for spec in TEAMS:
        team = teams[(authorities[spec.authority].pk, spec.name)]
        wanted_ids = {categories[slug].pk for slug in spec.categories}
        # Prefetched for existing teams; a new team has none and costs one cheap query.
        current_ids = {category.pk for category in team.categories.all()}
        if current_ids == wanted_ids:
            links.unchanged += len(wanted_ids)
            continue
        team.categories.add(*(wanted_ids - current_ids))
        team.categories.remove(*(current_ids - wanted_ids))
        links.created += len(wanted_ids - current_ids)
        links.deleted += len(current_ids - wanted_ids)
        links.unchanged += len(wanted_ids & current_ids)
    summary.contents["teams"] = Counter(authorities[spec.authority].level for spec in TEAMS)


def _sync_open311_attributes(categories: Mapping[str, Category], summary: DemoSummary) -> None:
    """Give a few demo categories Open311 attributes. Like categories, attributes are the
    operator's to tune: only missing ones are created, existing ones are left as they are."""
    tally = summary.tally("open311 attrs")
    rows = ServiceAttribute.objects.filter(category__in=[c.pk for c in categories.values()])
    existing = set(rows.values_list("category_id", "code"))
    # an operator's own attribute may hold the demo's position: leave theirs alone
    taken = set(rows.values_list("category_id", "order"))
    missing = []
    for spec in OPEN311_ATTRIBUTES:
        category = categories[spec.category]
        if (category.pk, spec.code) in existing or (category.pk, spec.order) in taken:
            tally.unchanged += 1
            continue
        missing.append(
            ServiceAttribute(
                category=category,
                code=spec.code,
                datatype=spec.datatype,
                description=spec.description,
                order=spec.order,
                required=spec.required,
                datatype_description=spec.datatype_description,
                values=[{"key": key, "name": name} for key, name in spec.values],
            )
        )
    ServiceAttribute.objects.bulk_create(missing)
    tally.created += len(missing)


def _sync_retention(authorities: Mapping[str, Authority], summary: DemoSummary) -> None:
    """Upsert the demo's retention periods (the portal's and a demo authority's)."""
    wanted = {}
    for slug, record_type, months in RETENTION:
        authority_id = authorities[slug].pk if slug else None
        wanted[(authority_id, record_type)] = {
            "authority_id": authority_id,
            "record_type": record_type,
            "months": months,
        }
    scope = Q(authority__isnull=True) | Q(authority__in=[a.pk for a in authorities.values()])
    _sync(
        RetentionPolicy.objects.filter(scope),
        lambda policy: (policy.authority_id, policy.record_type),
        wanted,
        summary.tally("retention"),
    )


def build_demo_region(*, overwrite_categories: bool = False) -> DemoSummary:
    """Create or update the whole demo region in the current transaction."""
    summary = DemoSummary()
    authorities = _sync_authorities(summary)
    _sync_road_authorities(authorities, summary)
    # Boundaries (and their activation) first: road and asset owners are looked up in them.
    _sync_boundaries(authorities, summary)
    # The demo lies on real ground. Once someone's real Kreis or Gemeinde boundaries are active
    # instead of the demo's, fictional roads and streetlights there would catch real reports
    # (snapping comes before boundaries in route()), so they exist only while the demo is live.
    live = summary.is_live
    if not live:
        summary.tally("inspection rounds").deleted += remove_demo_inspections()
    roads = _sync_roads(summary, live=live)
    _sync_assets(roads, summary, live=live)
    _sync_addresses(summary, live=live)
    categories = _sync_categories(summary, overwrite=overwrite_categories)
    _sync_teams(authorities, categories, summary)
    _sync_open311_attributes(categories, summary)
    _sync_retention(authorities, summary)
    if live:
        sync_demo_inspections(authorities, summary)
    return summary


def load_demo(*, commit: bool, overwrite_categories: bool = False) -> DemoSummary:
    """Build the demo region in one transaction; without `commit`, roll it back afterwards, so
    the summary tells exactly what a real run would change and nothing is written."""
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
        summary = build_demo_region(overwrite_categories=overwrite_categories)
        if not commit:
            transaction.set_rollback(True)
    summary.committed = commit
    summary.seconds = time.perf_counter() - started
    return summary
