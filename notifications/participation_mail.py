"""Mail of the participation on development plans, through the outbox like every other mail.

participation.services queues by name: "notifications.participation_confirm" (a guest's
statement: the link that confirms the address), "notifications.participation_receipt" (the
receipt, once the author is known: at once for account holders, after confirmation for
guests) and "notifications.participation_result" (the result is published: every author of a
confirmed statement). Plain text; the texts live in participation's templates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone

from core.urls import absolute_url
from outbox.models import OutboxMessage
from outbox.registry import Cancelled
from participation.models import Plan, Statement

from .emails import Recipient, language_or_default, queue

TEMPLATES = "participation/email"


def _statement(message: OutboxMessage) -> Statement:
    statement = (
        Statement.objects.select_related("plan__authority", "author")
        .prefetch_related("attachments")
        .filter(pk=int(message.payload["args"][0]))
        .first()
    )
    if statement is None:
        raise Cancelled("statement gone")
    return statement


def _recipient(statement: Statement) -> Recipient | None:
    email = statement.author_email
    if not email:
        return None
    language = statement.author.preferred_language if statement.author else statement.language
    return Recipient(email.lower(), language_or_default(language), "author")


def _context(statement: Statement) -> dict[str, Any]:
    return {
        "statement": statement,
        "plan": statement.plan,
        "submitted": timezone.localtime(statement.submitted_at).strftime("%d.%m.%Y, %H:%M"),
        "receipt_url": absolute_url(reverse("participation:receipt", args=[statement.token])),
        "plan_url": absolute_url(statement.plan.get_absolute_url()),
    }


def _send(message: OutboxMessage, key: str, statement: Statement, template: str) -> list[int]:
    recipient = _recipient(statement)
    if recipient is None:
        return []
    context = _context(statement)
    context["confirm_url"] = absolute_url(reverse("participation:confirm", args=[statement.token]))
    scope = f"plan:{statement.plan_id}"
    found = queue(message, key, recipient, f"{TEMPLATES}/{template}", context, scope)
    return [found] if found is not None else []


def statement_confirm(message: OutboxMessage) -> Iterable[int]:
    statement = _statement(message)
    if statement.confirmed_at is not None:
        return []
    return _send(message, f"statement-confirm:{statement.pk}", statement, "confirm")


def statement_receipt(message: OutboxMessage) -> Iterable[int]:
    statement = _statement(message)
    if statement.confirmed_at is None:
        raise Cancelled("not confirmed")
    return _send(message, f"statement-receipt:{statement.pk}", statement, "receipt")


def result_published(message: OutboxMessage) -> Iterable[int]:
    plan = Plan.objects.get(pk=int(message.payload["args"][0]))
    ids: list[int] = []
    statements = (
        Statement.objects.filter(plan=plan, confirmed_at__isnull=False)
        .select_related("plan__authority", "author")
        .order_by("pk")
    )
    for statement in statements:
        ids += _send(message, f"plan-result:{statement.pk}", statement, "result")
    return ids
