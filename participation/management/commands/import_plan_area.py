"""Import a plan's area (Geltungsbereich) from a GeoJSON, zipped Shapefile, GeoPackage or
XPlanung GML file. Dry run unless --commit."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from participation.area import AreaRejected, read_area
from participation.models import Plan, PlanStatus


class Command(BaseCommand):
    help = "Set a plan's area from a vector file (checked, repaired). Dry run unless --commit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", type=int, help="id of the plan")
        parser.add_argument("path", help="GeoJSON, .zip (Shapefile), .gpkg or XPlanung .gml")
        parser.add_argument("--layer", default=None, help="layer name when the file has several")
        parser.add_argument("--commit", action="store_true", help="store the area")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(f"No plan with id {options['plan']}.")
        if plan.status == PlanStatus.RESULT:
            raise CommandError("The plan's result is published; its area no longer changes.")
        try:
            result = read_area(options["path"], layer=options["layer"])
        except AreaRejected as exc:
            raise CommandError(f"{exc.message} Nothing was stored.") from exc
        self.stdout.write(
            f"layer {result.layer}: {result.features} feature(s), {result.hectares:.2f} ha"
        )
        for line in result.repaired:
            self.stdout.write(line)
        if not options["commit"]:
            self.stdout.write("dry run: nothing stored (--commit stores)")
            return
        with transaction.atomic():
            Plan.objects.filter(pk=plan.pk).update(area=result.geom)
        self.stdout.write(f"stored as the area of plan {plan.pk} ({plan})")
