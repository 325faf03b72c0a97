"""Area alerts: new public reports inside a Gemeinde or a circle, per category (optional),
at once or as a daily digest. Matching is one PostGIS ST_Covers on the stored area."""

from __future__ import annotations

import json
from datetime import date

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from boundaries.models import Authority, Boundary
from core.urls import absolute_url
from outbox.models import OutboxMessage
from tracker.models import Category, Report

from . import bulk_mail, emails
from .links import public_report_url
from .models import AreaAlert

MAX_RADIUS_M = 20_000
MAX_ALERTS_PER_USER = 20
# A drawn area: at most this big (a Landkreis is 1,000–2,000 km²) and this detailed.
MAX_DRAWN_AREA_KM2 = 2_500
MAX_DRAWN_VERTICES = 1_000


def circle(point: Point, radius_m: int) -> MultiPolygon:
    """A circle of `radius_m` metres (on the geography, not in degrees) as a WGS84 polygon."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsEWKB(ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(%s, %s), 4326)"
            "::geography, %s, 32)::geometry))",
            [point.x, point.y, radius_m],
        )
        row = cursor.fetchone()
    geom = GEOSGeometry(memoryview(bytes(row[0])))
    geom.srid = 4326
    if not isinstance(geom, MultiPolygon):
        raise ValidationError(_("Der Umkreis konnte nicht berechnet werden."))
    return geom


def drawn_area(geojson: str) -> MultiPolygon:
    """A polygon drawn on the map (GeoJSON geometry or Feature, WGS84), checked: polygonal,
    valid, not absurdly large or detailed. Raises ValidationError with a message for people."""
    invalid = ValidationError({"area": [_("Das gezeichnete Gebiet ist keine gültige Fläche.")]})
    try:
        data = json.loads(geojson)
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data.get("geometry")
        geom = GEOSGeometry(json.dumps(data))
    except (ValueError, TypeError, GEOSException, GDALException) as exc:
        raise invalid from exc
    if isinstance(geom, Polygon):
        geom = MultiPolygon(geom)
    if not isinstance(geom, MultiPolygon) or geom.empty or not geom.valid:
        raise invalid
    geom.srid = 4326
    min_x, min_y, max_x, max_y = geom.extent
    if min_x < -180 or max_x > 180 or min_y < -90 or max_y > 90:
        raise invalid
    if geom.num_coords > MAX_DRAWN_VERTICES:
        raise ValidationError(
            {
                "area": [
                    _("Das Gebiet hat zu viele Eckpunkte (höchstens %(max)d).")
                    % {"max": MAX_DRAWN_VERTICES}
                ]
            }
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Area(ST_GeomFromEWKB(%s)::geography) / 1e6", [bytes(geom.ewkb)])
        (area_km2,) = cursor.fetchone() or (0.0,)
    if area_km2 > MAX_DRAWN_AREA_KM2:
        raise ValidationError(
            {
                "area": [
                    _("Das Gebiet ist zu groß (höchstens %(max)d km²).")
                    % {"max": MAX_DRAWN_AREA_KM2}
                ]
            }
        )
    return geom


def territory(authority: Authority) -> MultiPolygon:
    boundary = (
        Boundary.objects.filter(authority=authority, boundary_set__is_active=True)
        .only("geom")
        .first()
    )
    if boundary is None:
        raise ValidationError({"authority": [_("Für diese Gemeinde ist kein Gebiet bekannt.")]})
    return boundary.geom


def alert_create(
    *,
    user: User,
    name: str,
    authority: Authority | None = None,
    point: Point | None = None,
    radius_m: int | None = None,
    drawn: MultiPolygon | None = None,
    category: Category | None = None,
    frequency: str = AreaAlert.Frequency.INSTANT,
) -> AreaAlert:
    """Subscribe `user` to new reports in a Gemeinde, in a circle around a point, or in an
    area drawn on the map (see `drawn_area`)."""
    name = (name or "").strip()[:100]
    if [authority is not None, point is not None, drawn is not None].count(True) != 1:
        raise ValidationError(
            _("Bitte wählen Sie entweder eine Gemeinde, einen Punkt mit Radius oder ein Gebiet.")
        )
    if AreaAlert.objects.filter(user=user).count() >= MAX_ALERTS_PER_USER:
        raise ValidationError(
            _("Sie können höchstens %(max)d Benachrichtigungen anlegen.")
            % {"max": MAX_ALERTS_PER_USER}
        )
    if frequency not in AreaAlert.Frequency.values:
        raise ValidationError({"frequency": [_("Unbekannte Häufigkeit.")]})
    if drawn is not None:
        area = drawn
        name = name or _("Gezeichnetes Gebiet")
    elif authority is not None:
        area = territory(authority)
        name = name or authority.name
    elif point is not None:
        if radius_m is None or not 10 <= radius_m <= MAX_RADIUS_M:
            raise ValidationError(
                {
                    "radius_m": [
                        _("Der Radius muss zwischen 10 und %(max)d m liegen.")
                        % {"max": MAX_RADIUS_M}
                    ]
                }
            )
        area = circle(point, radius_m)
        name = name or _("Umkreis von %(radius)d m") % {"radius": radius_m}
    else:  # excluded above; keeps the type checker sure that `area` is set
        raise ValidationError(_("Bitte wählen Sie eine Gemeinde oder einen Punkt mit Radius."))
    return AreaAlert.objects.create(
        user=user,
        name=name,
        area=area,
        authority=authority,
        radius_m=radius_m if point is not None else None,
        category=category,
        frequency=frequency,
    )


def alert_delete(alert: AreaAlert, *, user: User) -> None:
    AreaAlert.objects.filter(pk=alert.pk, user=user).delete()


def alerts_of_user(user: User) -> QuerySet[AreaAlert]:
    return AreaAlert.objects.filter(user=user).select_related("authority", "category")


def matching_alerts(report: Report, *, frequency: str) -> QuerySet[AreaAlert]:
    """Active alerts whose area covers the report (PostGIS ST_Covers, GiST index on area)."""
    return (
        AreaAlert.objects.filter(
            is_active=True,
            frequency=frequency,
            area__covers=report.location,
            user__is_active=True,
        )
        .filter(Q(category__isnull=True) | Q(category_id=report.category_id))
        .select_related("user")
        .order_by("pk")
    )


def _alert_context(alert: AreaAlert | None, reports: list[Report]) -> dict[str, object]:
    return {
        "alert": alert,
        "items": [{"report": r, "url": public_report_url(r.pk)} for r in reports],
        "count": len(reports),
        "settings_url": absolute_url(reverse("notifications:alerts")),
    }


def fan_out_instant(parent: OutboxMessage, report_id: int) -> list[int]:
    """A report became public: one mail per matching instant alert (once per alert and
    report, however often this runs)."""
    report = Report.objects.select_related("category", "authority").get(pk=report_id)
    if report.confirmed_at is None:
        return []
    shared = _alert_context(None, [report])  # the same for every alert but the alert itself
    planned = (
        emails.PlannedMail(
            f"alert:{alert.pk}:report:{report.pk}",
            emails.Recipient(
                alert.user.email,
                emails.language_or_default(alert.user.preferred_language),
                "alert",
            ),
            "area_alert",
            {**shared, "alert": alert},
            f"alert:{alert.pk}",
            # The mail names the alert; everything else is the same for every subscriber.
            variant=(alert.name, alert.category_id, alert.authority_id, alert.radius_m),
        )
        for alert in matching_alerts(report, frequency=AreaAlert.Frequency.INSTANT)
        .defer("area")
        .iterator(chunk_size=2000)
        # nobody needs an alert about their own report
        if report.reporter_id is None or report.reporter_id != alert.user_id
    )
    return bulk_mail.queue_many(parent, planned)


def queue_daily_digests(day: date) -> list[int]:
    """One mail per daily alert with the reports made public since its last digest."""
    ids: list[int | None] = []
    now = timezone.now()
    alerts = AreaAlert.objects.filter(
        is_active=True, frequency=AreaAlert.Frequency.DAILY, user__is_active=True
    ).select_related("user")
    for alert in alerts:
        reports = list(
            Report.objects.filter(
                location__coveredby=alert.area,
                confirmed_at__gt=alert.digest_since,
                confirmed_at__lte=now,
            )
            .filter(Q() if alert.category_id is None else Q(category_id=alert.category_id))
            .exclude(reporter_id=alert.user_id)
            .select_related("category", "authority")
            .order_by("confirmed_at", "pk")[:100]
        )
        with transaction.atomic():
            if reports:
                ids.append(
                    emails.queue(
                        None,
                        f"alert-digest:{alert.pk}:{day.isoformat()}",
                        emails.Recipient(
                            alert.user.email,
                            emails.language_or_default(alert.user.preferred_language),
                            "alert",
                        ),
                        "area_alert",
                        {**_alert_context(alert, reports), "digest": True},
                        f"alert:{alert.pk}",
                    )
                )
            AreaAlert.objects.filter(pk=alert.pk).update(digest_since=now)
    return [i for i in ids if i is not None]
