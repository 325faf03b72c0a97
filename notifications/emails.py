"""Emails: who gets what, rendered in the recipient's language as HTML and plain text.

Fan-out functions turn one event into one outbox row per recipient (idempotency key: event +
recipient), rendered at fan-out time; `send_email` (the handler of those rows) only sends.
Every mail carries a one-click unsubscribe link (RFC 8058 headers as well).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from boundaries.identity import Identity, identity_for
from boundaries.models import Authority
from core.urls import absolute_url
from outbox import delivery as outbox
from outbox.models import OutboxMessage
from outbox.registry import Cancelled
from tracker.models import Photo, Report, ReportEvent, Status, Team

from . import mail_connection, tokens
from .links import public_report_url, staff_report_url
from .models import EmailOptOut, Follow

LANGUAGES = {"de", "en"}


def language_or_default(language: str | None) -> str:
    return language if language in LANGUAGES else "de"


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    role: str  # reporter, supporter, follower, authority, team, alert


@dataclass(frozen=True)
class PlannedMail:
    """One mail of a large fan-out, for notifications.bulk_mail.queue_many."""

    key: str  # the idempotency key without the address (the address is added)
    recipient: Recipient
    template: str
    context: dict[str, Any]
    scope: str
    # Mails with the same variant (and language) share their text; None: rendered on its own.
    variant: Hashable = None


def opted_out(email: str, scopes: Iterable[str]) -> bool:
    return EmailOptOut.objects.filter(email=email.lower(), scope__in=[*scopes, "all"]).exists()


def _identity(context: dict[str, Any]) -> Identity:
    """The mail's sender identity: the town's own for mails about its reports (or the
    authority a mail names as `portal_authority`), else the operating authority's."""
    authority = context.get("portal_authority")
    report = context.get("report")
    if authority is None and report is not None:
        authority = getattr(report, "authority", None)
    return identity_for(authority)


def render(
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    scope: str,
    *,
    unsubscribe_url: str = "",
) -> dict[str, Any]:
    """The outbox payload of one mail: everything needed to send it, nothing to look up.
    (`unsubscribe_url`: for notifications.bulk_mail, which renders a shared text once.)"""
    unsubscribe_url = unsubscribe_url or absolute_url(tokens.unsubscribe_path(to, scope))
    context = {
        **context,
        "unsubscribe_url": unsubscribe_url,
        "portal_url": settings.PORTAL_URL,
        "portal": _identity(context),
    }
    # "report_received" is one of ours (text and HTML); another app's templates are named
    # with their folder ("catalogue/email/application_received") and may be plain text only.
    path = template if "/" in template else f"notifications/{template}"
    with translation.override(language):
        context["LANGUAGE_CODE"] = language
        subject = render_to_string(f"{path}_subject.txt", context).strip()
        text = render_to_string(f"{path}.txt", context)
        html = render_to_string(f"{path}.html", context) if "/" not in template else ""
    return {
        "to": to,
        "subject": " ".join(subject.split()),
        "text": text,
        "html": html,
        "language": language,
        "scope": scope,
        "headers": {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    }


def queue(
    parent: OutboxMessage | None,
    key: str,
    recipient: Recipient,
    template: str,
    context: dict[str, Any],
    scope: str,
) -> int | None:
    """Store one mail for one recipient unless the address opted out of `scope`."""
    if not recipient.email or opted_out(recipient.email, [scope]):
        return None
    payload = render(recipient.email, template, context, recipient.language, scope)
    return outbox.store(
        OutboxMessage.EMAIL, f"email:{key}:{recipient.email.lower()}", payload, parent=parent
    )


def send_email(message: OutboxMessage) -> Iterable[int]:
    """The outbox handler of "email" rows (registered in NotificationsConfig.ready). The
    opt-out is checked again here: an unsubscribe after the fan-out still stops the mail."""
    payload = message.payload
    if opted_out(payload["to"], [payload.get("scope", "")]):
        raise Cancelled("recipient unsubscribed")
    mail = EmailMultiAlternatives(
        payload["subject"],
        payload["text"],
        settings.DEFAULT_FROM_EMAIL,
        [payload["to"]],
        headers={**payload.get("headers", {}), "X-Maengelmelder-Id": message.idempotency_key},
    )
    if payload.get("html"):
        mail.attach_alternative(payload["html"], "text/html")
    mail_connection.send(mail)  # the worker's open connection, not a new one per mail
    return ()


# ------------------------------------------------------------------------------ recipients


def reporter(report: Report) -> Recipient | None:
    if not report.reporter_email:
        return None
    user = report.reporter
    language = user.preferred_language if user is not None else report.language
    return Recipient(report.reporter_email.lower(), language_or_default(language), "reporter")


def followers(report: Report) -> list[Recipient]:
    """Supporters and explicit followers, each address once, never the reporter."""
    seen = {report.reporter_email.lower()} if report.reporter_email else set()
    found: list[Recipient] = []
    for support in report.supports.select_related("user").order_by("pk"):
        email = (support.user.email if support.user else support.email).lower()
        language = support.user.preferred_language if support.user else "de"
        if email and email not in seen:
            seen.add(email)
            found.append(Recipient(email, language_or_default(language), "supporter"))
    for follow in Follow.objects.filter(report=report).select_related("user").order_by("pk"):
        email = follow.user.email.lower()
        if email and email not in seen:
            seen.add(email)
            found.append(
                Recipient(email, language_or_default(follow.user.preferred_language), "follower")
            )
    return found


def _report_context(report: Report) -> dict[str, Any]:
    return {
        "report": report,
        "tracking_url": absolute_url(reverse("tracker:track", args=[report.tracking_token])),
        "confirm_url": absolute_url(reverse("tracker:confirm", args=[report.confirmation_token])),
        "public_url": public_report_url(report.pk),
        "staff_url": staff_report_url(report),
        "needs_confirmation": report.confirmed_at is None,
    }


def _load_report(report_id: int) -> Report:
    return Report.objects.select_related("category", "authority", "reporter").get(pk=report_id)


def _load_event(event_id: int) -> ReportEvent:
    return ReportEvent.objects.select_related(
        "report__category", "report__authority", "report__reporter", "to_authority"
    ).get(pk=event_id)


# ------------------------------------------------------------------------------ fan-outs


def fan_out_received(parent: OutboxMessage, report_id: int) -> list[int]:
    """The citizen: received, with the tracking link (guests: with the confirmation link).
    The routed authority: the "new report" mail."""
    report = _load_report(report_id)
    context = _report_context(report)
    ids: list[int | None] = []
    citizen = reporter(report)
    if citizen is not None:
        ids.append(
            queue(
                parent,
                f"received:{report.pk}",
                citizen,
                "report_received",
                context,
                f"report:{report.pk}",
            )
        )
    if report.authority.email:
        ids.append(
            queue(
                parent,
                f"routed:{report.pk}:{report.authority_id}",
                Recipient(report.authority.email, "de", "authority"),
                "report_routed",
                context,
                "authority-new",
            )
        )
    ids.extend(_queue_teams(parent, f"routed:{report.pk}", report, report.authority_id, context))
    return [i for i in ids if i is not None]


def _queue_teams(
    parent: OutboxMessage,
    key: str,
    report: Report,
    authority_id: int,
    context: dict[str, Any],
) -> list[int | None]:
    """The authority's teams with their own address that work on the report's category."""
    teams = Team.objects.filter(authority_id=authority_id, categories=report.category_id).exclude(
        email=""
    )
    return [
        queue(
            parent,
            f"{key}:team:{team.pk}",
            Recipient(team.email, "de", "team"),
            "report_routed",
            context,
            "authority-new",
        )
        for team in teams.order_by("pk")
    ]


def _after_photo_url(report: Report) -> str:
    photo = (
        Photo.objects.filter(report=report, kind=Photo.Kind.AFTER, is_public=True)
        .order_by("-created_at", "-id")
        .first()
    )
    return absolute_url(photo.image.url) if photo is not None else ""


def planned_updates(event_id: int) -> list[PlannedMail]:
    """A public change (status, forwarding, public comment): the reporter (with the tracking
    link), supporters and followers (with the public page), one mail each. Only confirmed
    reports; internal entries never get here (public events only)."""
    event = _load_event(event_id)
    report = event.report
    if not event.is_public or report.confirmed_at is None:
        return []
    base: dict[str, Any] = {
        **_report_context(report),
        "event": event,
        "is_done": event.to_status == Status.DONE,
        "after_photo_url": _after_photo_url(report) if event.to_status == Status.DONE else "",
    }
    scope = f"report:{report.pk}"
    recipients: list[tuple[Recipient, bool]] = []
    citizen = reporter(report)
    if citizen is not None:
        recipients.append((citizen, True))
    recipients.extend((follower, False) for follower in followers(report))
    planned = []
    for recipient, is_reporter in recipients:
        with translation.override(recipient.language):
            status_label = str(Status(event.to_status or report.status).label)
        context = {
            **base,
            "report_status": status_label,
            "is_reporter": is_reporter,
            "report_url": base["tracking_url"] if is_reporter else base["public_url"],
        }
        # Every follower's mail is the same but for the address (the reporter's is their own).
        variant = None if is_reporter else "follower"
        planned.append(
            PlannedMail(f"updated:{event.pk}", recipient, "report_updated", context, scope, variant)
        )
    return planned


def fan_out_forwarded(parent: OutboxMessage, event_id: int) -> list[int]:
    """The receiving authority of a forwarded report (and its teams for the category) get the
    "new report" mail, with the forwarding note meant for them."""
    event = _load_event(event_id)
    authority = event.to_authority
    if authority is None:
        return []
    context = {
        **_report_context(event.report),
        "forwarded": True,
        "forward_note": _forward_note(event),
    }
    found = [
        queue(
            parent,
            f"forwarded:{event.pk}:{authority.pk}",
            Recipient(authority.email, "de", "authority"),
            "report_routed",
            context,
            "authority-new",
        )
        if authority.email
        else None,
        *_queue_teams(parent, f"forwarded:{event.pk}", event.report, authority.pk, context),
    ]
    return [i for i in found if i is not None]


def _forward_note(event: ReportEvent) -> str:
    """The forwarding note is meant for the receiving authority, public or not: the public
    entry carries it when public, otherwise the internal note written with it."""
    if event.note:
        return event.note
    note = (
        ReportEvent.objects.filter(
            report_id=event.report_id,
            kind=ReportEvent.Kind.NOTE,
            to_authority_id=event.to_authority_id,
            created_at__gte=event.created_at,
        )
        .order_by("pk")
        .values_list("note", flat=True)
        .first()
    )
    return note or ""


def queue_overdue_digests(day: date) -> list[int]:
    """One mail per authority (and per team with its own address) listing its overdue open
    reports and its overdue inspection routes (Streckenkontrolle); keyed by day, so a second
    run on the same day sends nothing."""
    from tracker.selectors import overdue_q

    overdue = (
        Report.objects.filter(overdue_q())
        .select_related("category", "authority", "assigned_team")
        .order_by("due_at", "pk")
    )
    by_authority: dict[int, list[Report]] = {}
    by_team: dict[int, list[Report]] = {}
    for report in overdue:
        by_authority.setdefault(report.authority_id, []).append(report)
        if report.assigned_team_id is not None:
            by_team.setdefault(report.assigned_team_id, []).append(report)
    routes_by_authority, routes_by_team = _overdue_routes(day)
    authorities = Authority.objects.filter(pk__in=set(by_authority) | set(routes_by_authority))
    ids: list[int | None] = [
        _queue_digest(
            day,
            f"authority:{authority.pk}",
            authority.name,
            authority.email,
            by_authority.get(authority.pk, []),
            routes_by_authority.get(authority.pk, []),
        )
        for authority in authorities.exclude(email="").order_by("pk")
    ]
    teams = Team.objects.filter(pk__in=set(by_team) | set(routes_by_team)).exclude(email="")
    ids.extend(
        _queue_digest(
            day,
            f"team:{team.pk}",
            team.name,
            team.email,
            by_team.get(team.pk, []),
            routes_by_team.get(team.pk, []),
        )
        for team in teams.order_by("pk")
    )
    return [i for i in ids if i is not None]


def _overdue_routes(
    day: date,
) -> tuple[dict[int, list[dict[str, Any]]], dict[int, list[dict[str, Any]]]]:
    """Inspection routes with overdue segments, per authority and per team."""
    from tracker.inspections.selectors import overdue_routes

    by_authority: dict[int, list[dict[str, Any]]] = {}
    by_team: dict[int, list[dict[str, Any]]] = {}
    for route in overdue_routes(today=day):
        item = {
            "name": route.plan.name,
            "overdue": len(route.overdue),
            "since": min(s.due_on for s in route.overdue),
            "url": absolute_url(reverse("inspections:route", args=[route.plan.pk])),
        }
        by_authority.setdefault(route.plan.authority_id, []).append(item)
        if route.plan.team_id is not None:
            by_team.setdefault(route.plan.team_id, []).append(item)
    return by_authority, by_team


def _queue_digest(
    day: date,
    who: str,
    name: str,
    email: str,
    reports: list[Report],
    routes: list[dict[str, Any]],
) -> int | None:
    items = [{"report": r, "staff_url": staff_report_url(r)} for r in reports]
    return queue(
        None,
        f"digest:overdue:{who}:{day.isoformat()}",
        Recipient(email, "de", "authority"),
        "overdue_digest",
        {"name": name, "items": items, "count": len(items), "day": day, "routes": routes},
        "digest",
    )
