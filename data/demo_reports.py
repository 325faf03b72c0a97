"""Demo reports: a few dozen citizens' reports in the demo region, filed and worked through the
same service functions as real ones (routing, events, outbox), so the map, the crews' queues,
the planners' statistics and the tracking pages show something after `make run`.

Idempotent: each demo report carries a fixed reporter address (demo-meldung-NN@example.org);
a report that exists already is left alone. The staff steps are done by an inactive demo
account without a password ("Demo-Leitstelle"), which holds a dispatcher membership at the
demo authorities and cannot log in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.geos import LineString, Point
from django.db import transaction

from accounts.models import Role, User
from accounts.services import membership_grant
from boundaries.models import Authority
from geo.models import Asset, AssetType, RoadSegment
from tracker.models import Category, Report, Team
from tracker.services import (
    Contact,
    report_add_note,
    report_assign,
    report_close,
    report_confirm,
    report_create,
    report_reject,
    report_transition,
)
from tracker.statuses import Status

from .demo_spec import REGION_NAME

LEITSTELLE = "demo-leitstelle@example.invalid"
REPORTER = "demo-meldung-{n:02d}@example.org"


@dataclass(frozen=True)
class DemoReport:
    n: int
    category: str
    where: str  # a road ref or street name; "light:N" = the N-th demo streetlight
    at: float  # position along the road (0..1)
    description: str
    status: str = Status.NEW
    team: str = ""  # assign to this team of the responsible authority
    note: str = ""  # public note with the last step


_POTHOLE = "schlagloch"
REPORTS: tuple[DemoReport, ...] = (
    DemoReport(
        1,
        _POTHOLE,
        "K 12",
        0.15,
        "Tiefes Schlagloch am Fahrbahnrand, ca. 40 cm breit.",
        Status.PLANNED,
        "Straßenmeisterei Heideland (Demo)",
    ),
    DemoReport(
        2,
        _POTHOLE,
        "K 12",
        0.55,
        "Mehrere Schlaglöcher hintereinander in der Kurve.",
        Status.IN_PROGRESS,
        "Straßenmeisterei Heideland (Demo)",
        "Die Straßenmeisterei ist vor Ort.",
    ),
    DemoReport(
        3,
        _POTHOLE,
        "K 37",
        0.3,
        "Fahrbahnrand abgebrochen, Radfahrer müssen ausweichen.",
        Status.PLANNED,
        "Straßenmeisterei Heideland (Demo)",
    ),
    DemoReport(4, _POTHOLE, "K 41", 0.6, "Asphalt aufgeplatzt nach dem Frost."),
    DemoReport(
        5,
        _POTHOLE,
        "K 37",
        0.75,
        "Schlagloch vor der Bushaltestelle.",
        Status.DONE,
        "Straßenmeisterei Heideland (Demo)",
        "Mit Kaltasphalt verfüllt.",
    ),
    DemoReport(
        6, "radweg", "K 12", 0.8, "Wurzelaufbrüche auf dem Radweg neben der K 12.", Status.IN_REVIEW
    ),
    DemoReport(
        7,
        _POTHOLE,
        "L 216",
        0.4,
        "Spurrinnen und Schlaglöcher auf der L 216.",
        Status.PLANNED,
        "Straßenmeisterei Heidestadt (Land, Demo)",
    ),
    DemoReport(8, _POTHOLE, "B 209", 0.25, "Gullydeckel klappert und liegt zu tief."),
    DemoReport(
        9,
        _POTHOLE,
        "Lindenweg",
        0.4,
        "Pflastersteine lose vor Hausnummer 5.",
        Status.PLANNED,
        "Bauhof Heidestadt",
    ),
    DemoReport(
        10,
        _POTHOLE,
        "Bahnhofstraße",
        0.5,
        "Loch in der Fahrbahn an der Einmündung.",
        Status.DONE,
        "Bauhof Heidestadt",
        "Ausgebessert. Danke für den Hinweis!",
    ),
    DemoReport(
        11,
        _POTHOLE,
        "Am Markt",
        0.5,
        "Abgesackter Bereich auf dem Marktplatz.",
        Status.REJECTED,
        note="Privatgrund des Marktbetreibers; wir haben ihn informiert.",
    ),
    DemoReport(12, "gully", "Kirchstraße", 0.3, "Gully verstopft, bei Regen steht das Wasser."),
    DemoReport(
        13,
        "gully",
        "Dorfstraße",
        0.6,
        "Straßenablauf voller Laub.",
        Status.PLANNED,
        "Bauhof Birkenhain",
    ),
    DemoReport(
        14,
        _POTHOLE,
        "Schulstraße",
        0.5,
        "Schlagloch direkt am Schulweg.",
        Status.IN_PROGRESS,
        "Bauhof Birkenhain",
    ),
    DemoReport(15, _POTHOLE, "Zum Moor", 0.5, "Fahrbahn an der Brücke ausgewaschen."),
    DemoReport(
        16,
        _POTHOLE,
        "Wiesenstraße",
        0.3,
        "Risse quer über die ganze Fahrbahn.",
        Status.DONE,
        "Bauhof Moorwiesen",
        "Risse vergossen.",
    ),
    DemoReport(
        17,
        _POTHOLE,
        "Auestraße",
        0.5,
        "Schlagloch an der Bushaltestelle.",
        Status.PLANNED,
        "Bauhof Auetal",
    ),
    DemoReport(18, _POTHOLE, "Talstraße", 0.6, "Bankett abgesackt, Kante gefährlich."),
    DemoReport(19, "strassenbeleuchtung", "light:3", 0, "Laterne bleibt seit Tagen dunkel."),
    DemoReport(
        20,
        "strassenbeleuchtung",
        "light:12",
        0,
        "Leuchte flackert die ganze Nacht.",
        Status.PLANNED,
        "Bauhof Heidestadt",
    ),
    DemoReport(
        21,
        "strassenbeleuchtung",
        "light:25",
        0,
        "Lampe brennt auch tagsüber.",
        Status.DONE,
        "Bauhof Heidestadt",
        "Dämmerungsschalter getauscht.",
    ),
    DemoReport(22, "baum-gruenschnitt", "Heideweg", 0.5, "Ast hängt tief über den Gehweg."),
    DemoReport(
        23,
        "baum-gruenschnitt",
        "Birkenweg",
        0.4,
        "Hecke verdeckt die Sicht an der Kreuzung.",
        Status.PLANNED,
        "Bauhof Birkenhain",
    ),
    DemoReport(
        24, "sonstiges", "Lindenallee", 0.5, "Sperrmüll liegt seit einer Woche am Straßenrand."
    ),
)


def _leitstelle(authorities: list[Authority]) -> User:
    user = User.objects.filter(email=LEITSTELLE).first()
    if user is None:
        user = User.objects.create_user(LEITSTELLE, None)  # unusable password
        user.is_active = False
        user.save(update_fields=["is_active"])
    for authority in authorities:
        membership_grant(user, authority, Role.DISPATCHER)
    return user


def _point(spec: DemoReport) -> Point | None:
    if spec.where.startswith("light:"):
        index = int(spec.where.split(":", 1)[1])
        lights = Asset.objects.filter(asset_type=AssetType.STREETLIGHT).order_by("external_id")
        light = lights[index : index + 1].first()
        return Point(light.geom.x, light.geom.y, srid=4326) if light else None
    segments = list(
        RoadSegment.objects.filter(ref=spec.where).order_by("external_id")
        or RoadSegment.objects.filter(name=spec.where).order_by("external_id")
    )
    if not segments:
        return None
    segment = segments[min(int(spec.at * len(segments)), len(segments) - 1)]
    line: LineString = segment.geom
    located = line.interpolate_normalized((spec.at * len(segments)) % 1 or 0.5)
    return Point(located.x, located.y, srid=4326)


def _work(report: Report, spec: DemoReport, by: User) -> None:
    """Take the report through the staff steps to the wanted status."""
    if spec.status == Status.REJECTED:
        report_reject(report, reason=spec.note, by=by)
        return
    if spec.status == Status.IN_REVIEW:
        report_transition(report, Status.IN_REVIEW, by=by)
        return
    if spec.team:
        # The named team, or (where routing chose another authority) one of its teams that
        # handles the category.
        teams = Team.objects.filter(authority=report.authority_id).order_by("name")
        team = (
            teams.filter(name=spec.team).first()
            or teams.filter(categories=report.category_id).first()
        )
        if team is not None:
            report = report_assign(report, team=team, by=by)
    if report.status != Status.PLANNED and spec.status != Status.NEW:
        report = report_transition(report, Status.PLANNED, by=by)
    if spec.status in (Status.IN_PROGRESS, Status.DONE):
        report = report_transition(report, Status.IN_PROGRESS, by=by)
    if spec.status == Status.IN_PROGRESS and spec.note:
        report_add_note(report, by=by, text=spec.note, public=True)
    if spec.status == Status.DONE:
        report_close(report, by=by, note=spec.note)


def load_demo_reports(*, commit: bool) -> dict[str, int]:
    """File the demo reports that are missing; returns counts for the command's summary.
    Without `commit` everything is rolled back afterwards (a dry run)."""
    with transaction.atomic():
        counts = _file_missing()
        if not commit:
            transaction.set_rollback(True)
    return counts


def _file_missing() -> dict[str, int]:
    counts = {"created": 0, "existing": 0, "skipped": 0}
    authorities = list(Authority.objects.filter(slug__startswith="demo-"))
    if not authorities:
        raise LookupError(f"{REGION_NAME} fehlt: zuerst `manage.py load_demo --commit`.")
    by = _leitstelle(authorities)
    for spec in REPORTS:
        email = REPORTER.format(n=spec.n)
        if Report.objects.filter(reporter_email=email).exists():
            counts["existing"] += 1
            continue
        category = Category.objects.filter(slug=spec.category).first()
        point = _point(spec)
        if category is None or point is None:
            counts["skipped"] += 1
            continue
        with transaction.atomic():
            report = report_create(
                category=category,
                point=point,
                description=spec.description,
                contact=Contact(email=email, name="Demo"),
            )
            report = report_confirm(report)
            if spec.status != Status.NEW:
                _work(report, spec, by)
        counts["created"] += 1
    return counts
