"""Notifications' piece of the subject access archive (privacy.export, registered in
NotificationsConfig.ready): area alerts, followed reports and the e-mail settings (opt-outs)
of the person's addresses."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from privacy.export import Archive, Part, Subject

from .models import AreaAlert, EmailOptOut, Follow

DESCRIPTION = """\
benachrichtigungen.json — ein Objekt:
  area_alerts: Gebietsalarme, Liste von {name, area (GeoJSON-Fläche), radius_m, authority,
    category, frequency (sofort/täglich), is_active, created_at};
  followed_reports: Meldungen, denen Sie folgen, Liste von {report (Aktenzeichen),
    created_at};
  email_opt_outs: Abmeldungen von E-Mails (Einwilligungen, die Sie zurückgenommen haben),
    Liste von {email, scope (Bereich: „all“ = alle, „report:<Nr.>“ = eine Meldung …),
    created_at}.
"""


def _addresses(subject: Subject) -> set[str]:
    found = {subject.email.lower()}
    if subject.user is not None:
        found |= {
            e.lower()
            for e in EmailAddress.objects.filter(user=subject.user).values_list("email", flat=True)
        }
    return found


def write(subject: Subject, archive: Archive) -> None:
    alerts, follows = [], []
    if subject.user is not None:
        alerts = [
            {
                "name": a.name,
                "area": a.area,
                "radius_m": a.radius_m,
                "authority": a.authority.name if a.authority else "",
                "category": a.category.name if a.category else "",
                "frequency": a.frequency,
                "is_active": a.is_active,
                "created_at": a.created_at,
            }
            for a in AreaAlert.objects.filter(user=subject.user)
            .select_related("authority", "category")
            .order_by("created_at", "pk")
        ]
        follows = [
            {"report": f.report.reference, "created_at": f.created_at}
            for f in Follow.objects.filter(user=subject.user)
            .select_related("report")
            .order_by("created_at", "pk")
        ]
    opt_outs = [
        {"email": o.email, "scope": o.scope, "created_at": o.created_at}
        for o in EmailOptOut.objects.filter(email__in=_addresses(subject)).order_by("pk")
    ]
    archive.add_json(
        "benachrichtigungen.json",
        {"area_alerts": alerts, "followed_reports": follows, "email_opt_outs": opt_outs},
    )


PART = Part("notifications", "Benachrichtigungen", DESCRIPTION, write, order=50, guests=True)
