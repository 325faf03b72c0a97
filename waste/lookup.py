"""Which collection district an address belongs to: the place search of the reporting form
(boundaries.places.search_places) finds the street and its Gemeinde; a district listing the
street wins, else the district whose area covers the street's point."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.gis.geos import Point

from boundaries.places import Place, search_places
from boundaries.services import authorities_at

from .models import CollectionDistrict, normalise_street

CANDIDATES = 8


@dataclass(frozen=True)
class Lookup:
    query: str
    place: Place | None = None
    district: CollectionDistrict | None = None
    # Other readings of the query to choose from ("Lindenweg" in two towns).
    alternatives: list[Place] = field(default_factory=list)


def district_at(point: Point, town_id: int | None = None) -> CollectionDistrict | None:
    districts = CollectionDistrict.objects.select_related("town").filter(area__covers=point)
    if town_id is not None:
        districts = districts.filter(town_id=town_id)
    return districts.order_by("pk").first()


def district_for_place(place: Place) -> CollectionDistrict | None:
    point = Point(place.lon, place.lat, srid=4326)
    if place.kind == "address":
        # A house found by its number: its street decides among the districts of the town
        # that covers it (street lists win over areas, as for streets).
        key = normalise_street(str(place.properties.get("street", "")))
        town_ids = [a.id for a in authorities_at(point)]
        for district in CollectionDistrict.objects.filter(town_id__in=town_ids).order_by("pk"):
            if key in district.street_keys():
                return district
        return district_at(point)
    if place.kind == "street":
        key = normalise_street(str(place.properties.get("name", "")))
        town = str(place.properties.get("town", ""))
        for district in CollectionDistrict.objects.select_related("town").filter(town__name=town):
            if key in district.street_keys():
                return district
        return district_at(point)
    if place.kind == "authority":
        # A town with a single district needs no street.
        districts = list(
            CollectionDistrict.objects.select_related("town").filter(town__name=place.label)[:2]
        )
        return districts[0] if len(districts) == 1 else None
    return district_at(point)


def lookup(query: str) -> Lookup:
    """The district of an address typed by a citizen; the best reading first."""
    query = " ".join(query.split())
    places = [p for p in search_places(query, limit=CANDIDATES) if p.kind != "road"]
    if not places:
        return Lookup(query)
    best = places[0]
    return Lookup(query, best, district_for_place(best), places[1:])
