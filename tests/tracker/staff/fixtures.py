"""A small two-authority world for the staff workflow tests: a Landkreis and a Gemeinde covering
the same box, a dispatcher, a crew member in a team, a planner and an admin for the Kreis, a
dispatcher for the Gemeinde, and a helper to file reports through the real intake service."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.geos import Point
from django.utils import timezone
from PIL import Image

from accounts.models import Role, User
from boundaries.models import Authority, Level
from tests.factories import CategoryFactory, TeamFactory, box, staff, territory
from tracker import services
from tracker.models import Category, Report, Team


@dataclass
class World:
    kreis: Authority
    gemeinde: Authority
    category: Category
    team: Team
    other_team: Team
    gemeinde_team: Team
    dispatcher: User
    crew: User
    other_crew: User
    planner: User
    admin: User
    gemeinde_dispatcher: User

    def report(self, **fields: Any) -> Report:
        """A confirmed guest report, routed to the Kreis by the real intake service."""
        confirmed = fields.pop("confirmed", True)
        description = fields.pop("description", "Schlagloch vor Hausnummer 3")
        report = services.report_create(
            category=fields.pop("category", self.category),
            point=Point(10.1, 53.05, srid=4326),
            description=description,
            contact=services.Contact(
                email=fields.pop("email", "buerger@example.org"),
                name="Erika Mustermann",
                phone="0171 1234567",
            ),
        )
        updates: dict[str, Any] = dict(fields)
        if confirmed:
            updates["confirmed_at"] = timezone.now()
        if updates:
            Report.objects.filter(pk=report.pk).update(**updates)
            report.refresh_from_db()
        return report


def make_world() -> World:
    kreis = territory(
        "Landkreis Heide", Level.KREIS, box(10.0, 53.0, 10.2, 53.1), email="kreis@example.org"
    )
    gemeinde = territory(
        "Gemeinde Moor",
        Level.GEMEINDE,
        box(10.0, 53.0, 10.2, 53.1),
        parent=kreis,
        email="gemeinde@example.org",
    )
    category = CategoryFactory.create(
        slug="schlagloch", name="Schlagloch", level=Level.KREIS, target_days=14
    )
    team = TeamFactory.create(authority=kreis, name="Straßenmeisterei Nord")
    other_team = TeamFactory.create(authority=kreis, name="Straßenmeisterei Süd")
    gemeinde_team = TeamFactory.create(authority=gemeinde, name="Bauhof Moor")
    crew = staff(kreis, Role.CREW, email="kolonne@example.org")
    other_crew = staff(kreis, Role.CREW, email="kolonne-sued@example.org")
    team.members.add(crew)
    other_team.members.add(other_crew)
    return World(
        kreis=kreis,
        gemeinde=gemeinde,
        category=category,
        team=team,
        other_team=other_team,
        gemeinde_team=gemeinde_team,
        dispatcher=staff(kreis, Role.DISPATCHER, email="dispo@example.org"),
        crew=crew,
        other_crew=other_crew,
        planner=staff(kreis, Role.PLANNER, email="planung@example.org"),
        admin=staff(kreis, Role.ADMIN, email="admin@example.org", is_staff=True),
        gemeinde_dispatcher=staff(gemeinde, Role.DISPATCHER, email="dispo@moor.example.org"),
    )


def jpeg(size: tuple[int, int] = (64, 48), name: str = "nachher.jpg") -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 200)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = name
    return buffer
