"""A small mapped region for the map layer and place search tests (tests/geo/test_api.py,
tests/boundaries/test_api.py, tests/boundaries/test_places.py)."""

from __future__ import annotations

from django.contrib.gis.geos import LineString, Point

from boundaries.models import Level
from geo.models import AssetType, RoadClass
from tests.factories import AssetFactory, RoadFactory, box, territory

BBOX = "10.0,53.0,10.2,53.1"


def make_map_region() -> dict:
    """A Kreis with two Gemeinden, named streets, two Kreisstraßen and three assets."""
    kreis = territory("Landkreis Heideland", Level.KREIS, box(10.0, 53.0, 10.2, 53.1), ags="99001")
    heidestadt = territory(
        "Stadt Heidestadt", Level.GEMEINDE, box(10.0, 53.0, 10.1, 53.1), ags="99001001"
    )
    moordorf = territory("Moordorf", Level.GEMEINDE, box(10.1, 53.0, 10.2, 53.1), ags="99001002")
    # Lindenweg exists in both towns; in Heidestadt it has a short and a long segment.
    RoadFactory.create(name="Lindenweg", geom=LineString((10.02, 53.02), (10.021, 53.02)))
    RoadFactory.create(name="Lindenweg", geom=LineString((10.03, 53.03), (10.05, 53.03)))
    RoadFactory.create(name="Lindenweg", geom=LineString((10.15, 53.05), (10.16, 53.05)))
    RoadFactory.create(name="Lindenstraße", geom=LineString((10.06, 53.06), (10.07, 53.06)))
    RoadFactory.create(name="Am Lindenhof", geom=LineString((10.08, 53.08), (10.09, 53.08)))
    RoadFactory.create(
        ref="K 12",
        road_class=RoadClass.KREISSTRASSE,
        owner=kreis,
        geom=LineString((10.05, 53.05), (10.15, 53.05)),
    )
    RoadFactory.create(
        ref="K 120",
        road_class=RoadClass.KREISSTRASSE,
        geom=LineString((10.05, 53.07), (10.06, 53.07)),
    )
    AssetFactory.create(geom=Point(10.031, 53.0301), external_id="L-1", name="Laterne am Weg")
    AssetFactory.create(geom=Point(10.032, 53.0301), external_id="L-2")
    AssetFactory.create(geom=Point(10.033, 53.0301), asset_type=AssetType.BENCH, external_id="B-1")
    return {"kreis": kreis, "heidestadt": heidestadt, "moordorf": moordorf}
