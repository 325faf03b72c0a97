"""Reads: querysets with the joins they need (see docs/architecture.md, convention 2)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.contrib.gis.db.models.functions import SnapToGrid
from django.contrib.gis.geos import Point, Polygon
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    FloatField,
    Func,
    IntegerField,
    Min,
    OrderBy,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Now, Upper

from accounts.models import User
from boundaries.models import Authority
from geo.expressions import distance_metres, within_metres

from . import permissions
from .models import (
    OPEN_STATUSES,
    AbuseFlag,
    Category,
    Photo,
    Report,
    ReportEvent,
    ResponseTemplate,
    Team,
)

# Public output shows an approximate location: snapped to a ~10 m grid, so a report made
# from someone's front garden does not pinpoint the house.
PUBLIC_GRID_DEGREES = 0.0001

# What public pages and the API show. Contact data and tokens are never loaded for them, and
# neither is the exact location (public_lon/public_lat are computed in SQL instead).
_PUBLIC_COLUMNS = (
    "id",
    "category",
    "description",
    "status",
    "authority",
    "supporter_count",
    "confirmed_at",
    "created_at",
    "updated_at",
)


class _X(Func):
    function = "ST_X"
    output_field = FloatField()


class _Y(Func):
    function = "ST_Y"
    output_field = FloatField()


def public_reports() -> QuerySet[Report]:
    """Reports anyone may see: confirmed by the reporter, with their approximate location as
    `public_lon`/`public_lat` and moderated photos as `public_photos`; contact data not loaded."""
    snapped = SnapToGrid("location", PUBLIC_GRID_DEGREES)
    return (
        Report.objects.filter(confirmed_at__isnull=False)
        .select_related("category", "authority")
        .only(
            *_PUBLIC_COLUMNS,
            "category__slug",
            "category__name",
            "category__name_en",
            "authority__name",
        )
        .annotate(public_lon=_X(snapped), public_lat=_Y(snapped))
        .prefetch_related(
            Prefetch(
                "photos", queryset=Photo.objects.filter(is_public=True), to_attr="public_photos"
            )
        )
    )


PUBLIC_ROW_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "status",
    "description",
    "supporter_count",
    "public_lon",
    "public_lat",
    "category__slug",
    "category__name",
    "category__name_en",
    "authority__name",
)


def public_rows(reports: QuerySet[Report]) -> QuerySet[Any]:
    """Public reports as named tuples (PUBLIC_ROW_FIELDS): for large map pages, where building
    model instances costs more than the query. Photos: `public_photo_names`."""
    return reports.prefetch_related(None).values_list(*PUBLIC_ROW_FIELDS, named=True)


def public_photo_names(report_ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """Stored names (image, thumbnail) of the moderated photos of these reports, in order."""
    photos: dict[int, list[tuple[str, str]]] = {}
    if not report_ids:
        return photos
    rows = (
        Photo.objects.filter(is_public=True, report_id__in=report_ids)
        .order_by("created_at", "id")
        .values_list("report_id", "image", "thumbnail")
    )
    for report_id, image, thumbnail in rows:
        photos.setdefault(report_id, []).append((image, thumbnail))
    return photos


def reports_in_bbox(
    *,
    bbox: Polygon | None = None,
    categories: list[str] | None = None,
    statuses: list[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Report]:
    reports = public_reports()
    if bbox is not None:
        reports = reports.filter(location__intersects=bbox)
    if categories:
        reports = reports.filter(category__slug__in=categories)
    if statuses:
        reports = reports.filter(status__in=statuses)
    if since is not None:
        reports = reports.filter(created_at__gte=since)
    if until is not None:
        reports = reports.filter(created_at__lte=until)
    return reports


def nearby_open_reports(
    *, point: Point, category: Category, asset_id: int | None = None, limit: int = 10
) -> QuerySet[Report]:
    """Open reports of the same category within the category's duplicate radius (metres, on
    geography), or about the same asset — shown before a citizen files a new one."""
    near = Q(within_metres('"tracker_report"."location"', point, category.duplicate_radius_m))
    if asset_id is not None:
        near |= Q(asset_id=asset_id)
    return (
        public_reports()
        .filter(near, category=category, status__in=OPEN_STATUSES)
        .annotate(distance_m=distance_metres('"tracker_report"."location"', point))
        .order_by("distance_m", "-created_at")[:limit]
    )


def redaction_backlog() -> tuple[int, datetime | None]:
    """Photos still waiting for their redaction pass, and when the oldest came (None when
    none waits): a growing figure means no worker serves the queue "images"."""
    row = Photo.objects.filter(redacted_at__isnull=True).aggregate(
        count=Count("id"), oldest=Min("created_at")
    )
    return row["count"], row["oldest"]


def public_history(report: Report) -> QuerySet[ReportEvent]:
    return report.events.filter(is_public=True).order_by("created_at", "id")


def reports_of_user(user_id: int) -> QuerySet[Report]:
    return (
        Report.objects.filter(reporter_id=user_id)
        .select_related("category", "authority")
        .order_by("-created_at")
    )


# ---- Staff reads (work queue, staff detail, staff API). Permission rules: tracker.permissions.


# The one scoping rule of the staff reads: the authorities the user works for (with one of
# `roles` where a role matters), or all of them for superusers.


def staff_scope(user: Any, roles: set[str] | None = None) -> set[int] | None:
    """Authority ids the user works for (None: all, for superusers)."""
    if permissions.is_superuser(user):
        return None
    return permissions.authority_ids(user, roles)


def staff_reports(user: Any) -> QuerySet[Report]:
    """Reports the user may see as staff: those currently at one of their authorities (all for
    superusers, none for everyone else). With the joins the work queue needs."""
    reports = Report.objects.select_related(
        "category", "authority", "assigned_team", "assigned_to", "road"
    )
    ids = staff_scope(user)
    if ids is None:
        return reports
    if not ids:
        return reports.none()
    return reports.filter(authority_id__in=ids)


def overdue_q() -> Q:
    """Open and past its due date, compared with the database clock."""
    return Q(due_at__lt=Now(), status__in=OPEN_STATUSES)


def with_overdue(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Annotate `overdue` (computed in SQL, for output and sorting)."""
    return reports.annotate(overdue=ExpressionWrapper(overdue_q(), output_field=BooleanField()))


def with_moderation(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Annotate `open_flags` (unresolved abuse flags) and `comments_waiting` (citizens'
    comments waiting for review): the queue's badges and its "gemeldet" filter."""
    flags = (
        AbuseFlag.objects.filter(report=OuterRef("pk"), resolved_at__isnull=True)
        .values("report")
        .annotate(n=Count("id"))
        .values("n")
    )
    waiting = (
        ReportEvent.objects.filter(report=OuterRef("pk"), review=ReportEvent.Review.PENDING)
        .values("report")
        .annotate(n=Count("id"))
        .values("n")
    )
    return reports.annotate(
        open_flags=Coalesce(Subquery(flags, output_field=IntegerField()), 0),
        comments_waiting=Coalesce(Subquery(waiting, output_field=IntegerField()), 0),
    )


def open_abuse_flags(report: Report) -> QuerySet[AbuseFlag]:
    return AbuseFlag.objects.filter(report=report, resolved_at__isnull=True).order_by("id")


def comments_waiting(report: Report) -> QuerySet[ReportEvent]:
    """Citizens' comments on the report that wait for review (internal until published)."""
    return report.events.filter(review=ReportEvent.Review.PENDING).order_by("created_at", "id")


def staff_queue(
    user: Any,
    *,
    statuses: Sequence[str] = (),
    team_ids: Sequence[int] = (),
    unassigned: bool = False,
    assigned_to_id: int | None = None,
    categories: Sequence[str] = (),
    priorities: Sequence[int] = (),
    overdue: bool | None = None,
    road_ref: str = "",
    bbox: Polygon | None = None,
    authority_id: int | None = None,
    moderation: str = "",
    order_by: Sequence[str | OrderBy] = ("-created_at", "-id"),
) -> QuerySet[Report]:
    """The work queue: staff_reports filtered like the queue page and the staff API do.
    `moderation`: "flagged" (open abuse flags), "comments" (comments waiting for review) or
    "any" (either)."""
    reports = with_moderation(with_overdue(staff_reports(user)))
    if moderation:
        wanted = {
            "flagged": Q(open_flags__gt=0),
            "comments": Q(comments_waiting__gt=0),
            "any": Q(open_flags__gt=0) | Q(comments_waiting__gt=0),
        }
        reports = reports.filter(wanted[moderation])
    if statuses:
        reports = reports.filter(status__in=statuses)
    if team_ids or unassigned:
        team_q = Q(assigned_team_id__in=team_ids) if team_ids else Q()
        if unassigned:
            team_q = (
                (team_q | Q(assigned_team__isnull=True))
                if team_ids
                else Q(assigned_team__isnull=True)
            )
        reports = reports.filter(team_q)
    if assigned_to_id is not None:
        reports = reports.filter(assigned_to_id=assigned_to_id)
    if categories:
        reports = reports.filter(category__slug__in=categories)
    if priorities:
        reports = reports.filter(priority__in=priorities)
    if overdue is not None:
        reports = reports.filter(overdue_q() if overdue else ~overdue_q())
    if road_ref:
        # "K12", "K 12" and "k 12" all mean the same road.
        normalised = road_ref.replace(" ", "").upper()
        reports = reports.annotate(
            _road_ref=Func(Upper("road__ref"), Value(" "), Value(""), function="replace")
        ).filter(_road_ref=normalised)
    if bbox is not None:
        reports = reports.filter(location__intersects=bbox)
    if authority_id is not None:
        reports = reports.filter(authority_id=authority_id)
    return reports.order_by(*order_by)


def staff_history(report: Report, user: Any) -> QuerySet[ReportEvent]:
    """The report's history as this staff member may read it (internal entries of their own
    authority only, see tracker.permissions)."""
    return (
        report.events.filter(permissions.visible_events_q(user))
        .select_related("actor", "from_authority", "to_authority", "team", "assignee")
        .order_by("created_at", "id")
    )


def staff_report_detail(user: Any) -> QuerySet[Report]:
    """staff_reports with what the detail view shows: photos, duplicates, supporters count."""
    return with_moderation(with_overdue(staff_reports(user))).select_related(
        "duplicate_of", "asset", "reporter"
    )


def response_templates(report: Report, *, status: str | None = None) -> QuerySet[ResponseTemplate]:
    """Prepared public notes of the report's authority for a status (and general ones)."""
    templates = ResponseTemplate.objects.filter(authority_id=report.authority_id)
    if status:
        templates = templates.filter(Q(status=status) | Q(status=""))
    return templates.order_by("sort_order", "title")


def assignable_users(authority_id: int) -> QuerySet[User]:
    """People who can be given reports of an authority (dispatchers, crews, admins)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__authority_id=authority_id,
            memberships__role__in=permissions.ASSIGNABLE_ROLES,
        )
        .distinct()
        .order_by("email")
    )


def staff_duplicates(report: Report, user: Any) -> QuerySet[Report]:
    """Reports merged into `report` that the user may see (duplicates now at other
    authorities are not listed, as they are not the user's)."""
    return staff_reports(user).filter(duplicate_of=report).order_by("id")


def staff_teams(user: Any) -> QuerySet[Team]:
    """Teams of the user's authorities (filter and bulk-assign choices, team ids in the API)."""
    teams = Team.objects.select_related("authority").order_by("authority__name", "name")
    ids = staff_scope(user)
    return teams if ids is None else teams.filter(authority_id__in=ids)


def staff_people(user: Any) -> QuerySet[User]:
    """Active people with a membership at one of the user's authorities: whom a person id in
    an assignment may name (whether they can take reports there is the service's check)."""
    people = User.objects.filter(is_active=True)
    ids = staff_scope(user)
    if ids is not None:
        people = people.filter(memberships__authority_id__in=ids)
    return people.distinct().order_by("email")


def staff_categories() -> QuerySet[Category]:
    """Categories for the queue filter: every category, as reports of an inactive one may
    still be waiting in a queue."""
    return Category.objects.order_by("sort_order", "name")


def staff_templates(user: Any, *, status: str | None = None) -> QuerySet[ResponseTemplate]:
    """Response templates of the user's authorities (for a status: those and general ones)."""
    templates = ResponseTemplate.objects.order_by("authority_id", "sort_order", "title")
    ids = staff_scope(user)
    if ids is not None:
        templates = templates.filter(authority_id__in=ids)
    if status:
        templates = templates.filter(status__in=[status, ""])
    return templates


def templates_by_status(report: Report, statuses: set[str]) -> dict[str, list[ResponseTemplate]]:
    """Response templates of the report's authority for each target status (general ones,
    without a status, are offered for every status). One query."""
    templates = list(response_templates(report))
    return {
        status: [t for t in templates if t.status in ("", status)] for status in sorted(statuses)
    }


def bulk_roles() -> set[str]:
    """Roles that allow bulk actions."""
    return {role for role, actions in permissions.ROLE_ACTIONS.items() if "bulk" in actions}


def bulk_assignable_users(user: Any) -> QuerySet[User]:
    """People a dispatcher may give reports to: assignable members of the authorities where
    the user may use bulk actions."""
    people = User.objects.filter(is_active=True, memberships__role__in=permissions.ASSIGNABLE_ROLES)
    ids = staff_scope(user, bulk_roles())
    if ids is not None:
        people = people.filter(memberships__authority_id__in=ids)
    return people.distinct().order_by("email")


def works_for_several(user: Any) -> bool:
    """Whether names of teams need their authority to tell them apart."""
    return permissions.is_superuser(user) or len(permissions.staff_roles(user)) > 1


def may_bulk(user: Any) -> bool:
    """Whether the user has a role that allows bulk actions at any of their authorities."""
    ids = staff_scope(user, bulk_roles())
    return ids is None or bool(ids)


def forward_targets(report: Report | None = None) -> QuerySet[Authority]:
    """Active authorities a report can be forwarded to: all but its current one (all active
    ones without a report)."""
    authorities = Authority.objects.filter(is_active=True).order_by("level", "name")
    return authorities if report is None else authorities.exclude(pk=report.authority_id)


# "2026-000042", "2026-42", "#42" or "42": the id is the last group of digits.
_REFERENCE = re.compile(r"^\s*#?\s*(?:\d{4}\s*-\s*)?0*(\d{1,12})\s*$")


def report_id_from_reference(raw: str | int) -> int | None:
    """The report id in a number as people type it (or an id), or None."""
    match = _REFERENCE.match(str(raw or ""))
    return int(match.group(1)) if match else None


def staff_report_by_reference(user: Any, raw: str | int) -> Report | None:
    """A report the user may see, by its number ("2026-000042") or id."""
    pk = report_id_from_reference(raw)
    if pk is None:
        return None
    return staff_reports(user).filter(pk=pk).first()
