"""`manage.py import_addresses PATH`: house coordinates (street, number, postcode, town)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from geo.addresses import AddressFields, import_addresses
from geo.readers import run_import
from geo.srid import WGS84


class Command(BaseCommand):
    help = (
        "Import address points for the place search and the reverse lookup: the states' open "
        "Hauskoordinaten/ALKIS exports (CSV, GeoPackage) or OSM addr:* points (GeoJSON). "
        "Columns are found by their usual names unless given. Dry run unless --commit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="GeoJSON, GeoPackage, Shapefile or CSV file")
        parser.add_argument("--street-field", help="default: addr:street, street, strasse, STN")
        parser.add_argument("--number-field", help="default: addr:housenumber, hausnummer, HNR")
        parser.add_argument("--suffix-field", help="house number suffix (default: ADZ, zusatz)")
        parser.add_argument("--postcode-field", help="default: addr:postcode, postcode, PLZ")
        parser.add_argument("--town-field", help="default: addr:city, city, ort, ONM")
        parser.add_argument("--layer", help="layer of a file with several (GeoPackage)")
        parser.add_argument("--x-field", help="CSV: column of x/longitude/east")
        parser.add_argument("--y-field", help="CSV: column of y/latitude/north")
        parser.add_argument(
            "--srid",
            type=int,
            default=WGS84,
            help="CSV: coordinate system of the columns (4326 degrees; 25832 UTM 32N)",
        )
        parser.add_argument("--source", default="", help="source note stored with each point")
        parser.add_argument("--commit", action="store_true", help="write to the database")

    def handle(self, *args: Any, **options: Any) -> None:
        fields = AddressFields(
            street=options["street_field"],
            number=options["number_field"],
            suffix=options["suffix_field"],
            postcode=options["postcode_field"],
            town=options["town_field"],
        )
        csv_options = {
            "x_field": options["x_field"],
            "y_field": options["y_field"],
            "srid": options["srid"],
        }
        run_import(
            self,
            options["verbosity"],
            lambda: import_addresses(
                options["path"],
                fields,
                layer=options["layer"],
                csv_options=csv_options,
                source=options["source"],
                commit=options["commit"],
            ),
        )
