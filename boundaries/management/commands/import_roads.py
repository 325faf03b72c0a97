"""`manage.py import_roads PATH`: road segments with class and Straßenbaulastträger."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from boundaries.network_import import import_roads
from geo.readers import run_import


class Command(BaseCommand):
    help = (
        "Import road segments (e.g. GeoJSON exported from OSM with ref/highway/name). The class "
        "comes from the ref ('K 45' → K, 'B 37;B 38' → B) or the highway tag; the owner from "
        "the active boundaries. Dry run with a summary unless --commit is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--ref-field", default="ref")
        parser.add_argument("--highway-field", default="highway")
        parser.add_argument("--name-field", default="name")
        parser.add_argument("--id-field", help="stable id (default: osm_id or id when present)")
        parser.add_argument(
            "--ortsdurchfahrt-field", help="field that is true/yes/1 inside an Ortsdurchfahrt"
        )
        parser.add_argument("--layer")
        parser.add_argument("--source", default="", help="source note stored with each segment")
        parser.add_argument("--commit", action="store_true", help="write to the database")

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(
            self,
            options["verbosity"],
            lambda: import_roads(
                options["path"],
                ref_field=options["ref_field"],
                highway_field=options["highway_field"],
                name_field=options["name_field"],
                id_field=options["id_field"],
                ortsdurchfahrt_field=options["ortsdurchfahrt_field"],
                layer=options["layer"],
                source=options["source"],
                commit=options["commit"],
            ),
        )
