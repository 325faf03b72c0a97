"""`manage.py import_boundaries PATH --level gemeinde …`: official boundaries into a set."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from boundaries.importer import import_boundaries
from boundaries.models import TERRITORIAL_LEVELS
from geo.readers import run_import

LEVELS = [str(level) for level in TERRITORIAL_LEVELS]


class Command(BaseCommand):
    help = (
        "Import boundaries from GeoJSON, Shapefile or GeoPackage (anything GDAL reads) into a "
        "boundary set. Dry run with a summary unless --commit is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="vector file (GeoJSON, .shp, .gpkg …)")
        parser.add_argument("--level", required=True, choices=LEVELS)
        parser.add_argument("--code-field", default="ags", help="AGS or ARS field (default: ags)")
        parser.add_argument("--name-field", default="name", help="name field (default: name)")
        parser.add_argument(
            "--parent-level",
            choices=LEVELS,
            help="link each authority to its parent: by code prefix (AGS 03353xxx → Kreis "
            "03353), else by containment in that level's active boundaries",
        )
        parser.add_argument(
            "--set", dest="set_name", help="boundary set name (default: <level>-<file name>)"
        )
        parser.add_argument("--layer", help="layer name, for files with several layers")
        parser.add_argument(
            "--where",
            action="append",
            default=[],
            metavar="FIELD=VALUE",
            help="import only features with this attribute value (repeatable)",
        )
        parser.add_argument("--source", default="", help="source note stored with the set")
        parser.add_argument(
            "--activate",
            action="store_true",
            default=None,
            help="make this set the active one of its level (automatic when none is active)",
        )
        parser.add_argument("--commit", action="store_true", help="write to the database")

    def handle(self, *args: Any, **options: Any) -> None:
        where: dict[str, str] = {}
        for condition in options["where"]:
            key, sep, value = condition.partition("=")
            if not sep or not key:
                raise CommandError(f"--where needs FIELD=VALUE, got {condition!r}")
            where[key.strip()] = value.strip()
        run_import(
            self,
            options["verbosity"],
            lambda: import_boundaries(
                options["path"],
                level=options["level"],
                code_field=options["code_field"],
                name_field=options["name_field"],
                parent_level=options["parent_level"],
                set_name=options["set_name"],
                layer=options["layer"],
                where=where,
                activate=options["activate"],
                source=options["source"],
                commit=options["commit"],
            ),
        )
