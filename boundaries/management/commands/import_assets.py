"""`manage.py import_assets PATH --type streetlight`: point assets with their owner."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from boundaries.network_import import import_assets
from geo.models import AssetType
from geo.readers import run_import


class Command(BaseCommand):
    help = (
        "Import point assets (streetlights, benches, bins …). The owner is --owner (an "
        "authority slug) or the Gemeinde covering each asset. Dry run unless --commit is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        kind = parser.add_mutually_exclusive_group(required=True)
        kind.add_argument("--type", dest="asset_type", choices=AssetType.values)
        kind.add_argument("--type-field", help="field holding the asset type per feature")
        parser.add_argument("--id-field", default="id", help="the asset's own number")
        parser.add_argument("--name-field", default="name")
        parser.add_argument("--owner", help="slug of the owning authority (e.g. a utility)")
        parser.add_argument("--layer")
        parser.add_argument("--source", default="")
        parser.add_argument("--commit", action="store_true", help="write to the database")

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(
            self,
            options["verbosity"],
            lambda: import_assets(
                options["path"],
                asset_type=options["asset_type"],
                type_field=options["type_field"],
                id_field=options["id_field"],
                name_field=options["name_field"],
                owner=options["owner"],
                layer=options["layer"],
                source=options["source"],
                commit=options["commit"],
            ),
        )
