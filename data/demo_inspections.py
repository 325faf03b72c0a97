"""The demo's Streckenkontrolle: two inspection plans — the Kreis's Kreisstraßen every two
weeks (Straßenmeisterei Heideland) with one finished round, the Land's Landesstraßen weekly
(Straßenmeisterei Heidestadt) never driven, so due — deterministic (fixed dates) and
idempotent. The demo round has no history rows on purpose: withdrawing the demo deletes it,
and deleting chained history would (rightly) break the liability hash chain."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from boundaries.models import Authority
from geo.models import RoadClass, RoadSegment
from tracker.inspections import tiles
from tracker.inspections.models import InspectionPlan, InspectionRound, SegmentInspection
from tracker.models import Team

from .demo_spec import KREIS, ROAD_OPERATOR
from .demo_summary import DemoSummary

BERLIN = ZoneInfo("Europe/Berlin")
STARTS_ON = date(2026, 1, 5)
ROUND_START = datetime(2026, 1, 12, 8, 30, tzinfo=BERLIN)
ROUND_END = datetime(2026, 1, 12, 11, 45, tzinfo=BERLIN)
ROUND_NOTE = "Demo-Kontrollfahrt: kontrolliert, ohne Befund"
PLANS = (
    (KREIS, RoadClass.KREISSTRASSE, "Straßenmeisterei Heideland (Demo)", "Kreisstraßen (Demo)", 14),
    (
        ROAD_OPERATOR,
        RoadClass.LANDESSTRASSE,
        "Straßenmeisterei Heidestadt (Land, Demo)",
        "Landesstraßen Heidestadt (Demo)",
        7,
    ),
)


def remove_demo_inspections() -> int:
    """Before the demo roads go: the demo round and what it inspected."""
    rounds = InspectionRound.objects.filter(note=ROUND_NOTE)
    SegmentInspection.objects.filter(round__in=rounds).delete()
    return rounds.delete()[0]


def _plans(authorities: Mapping[str, Authority], summary: DemoSummary) -> list[InspectionPlan]:
    tally = summary.tally("inspection plans")
    plans = []
    for key, road_class, team_name, name, interval in PLANS:
        authority = authorities[key]
        team = Team.objects.filter(authority=authority, name=team_name).first()
        plan, created = InspectionPlan.objects.get_or_create(
            authority=authority,
            road_class=road_class,
            defaults={
                "team": team,
                "name": name,
                "interval_days": interval,
                "starts_on": STARTS_ON,
            },
        )
        tally.created += int(created)
        tally.unchanged += int(not created)
        plans.append(plan)
    return plans


def sync_demo_inspections(authorities: Mapping[str, Authority], summary: DemoSummary) -> None:
    plans = _plans(authorities, summary)
    tally = summary.tally("inspection rounds")
    kreis = plans[0]
    if InspectionRound.objects.filter(plan=kreis, note=ROUND_NOTE).exists():
        tally.unchanged += 1
        return
    segments = list(
        RoadSegment.objects.filter(owner=kreis.authority, road_class=kreis.road_class).order_by(
            "external_id"
        )
    )
    if not segments:
        return
    round_ = InspectionRound.objects.create(
        plan=kreis,
        team=kreis.team,
        state=InspectionRound.State.FINISHED,
        started_at=ROUND_START,
        ended_at=ROUND_END,
        track=segments[0].geom,
        note=ROUND_NOTE,
    )
    SegmentInspection.objects.bulk_create(
        SegmentInspection(segment=s, round=round_, inspected_at=ROUND_END, by_track=i == 0)
        for i, s in enumerate(segments)
    )
    tiles.bump_version()
    tally.created += 1
