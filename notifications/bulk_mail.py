"""Fan-outs to thousands of recipients (area alerts, followers): the same mails as
emails.queue() one by one, in batches: one opt-out query and one INSERT per batch, and each
distinct mail rendered once.

Mails of one fan-out that share a `variant` (e.g. the alert's name) and a language differ only
in the recipient's unsubscribe link. Such a mail is rendered once with a placeholder link,
and each recipient's copy gets its own link put in (HTML-escaped in the HTML part). The result
is byte for byte what emails.render() gives for that recipient (tests/notifications).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from itertools import islice
from typing import Any

from django.utils.html import escape

from core.urls import absolute_url
from outbox import delivery as outbox
from outbox.models import OutboxMessage

from . import tokens
from .emails import PlannedMail, render
from .models import EmailOptOut

BATCH = 1000
# No character that HTML escaping or a template filter would change.
PLACEHOLDER = "https://unsubscribe.invalid/mm-placeholder-7f3c"


def _batches(planned: Iterable[PlannedMail]) -> Iterator[list[PlannedMail]]:
    iterator = iter(planned)
    while chunk := list(islice(iterator, BATCH)):
        yield chunk


def _opted_out(chunk: list[PlannedMail]) -> set[tuple[str, str]]:
    addresses = {mail.recipient.email.lower() for mail in chunk}
    return set(EmailOptOut.objects.filter(email__in=addresses).values_list("email", "scope"))


def _personalised(shared: dict[str, Any], to: str, scope: str) -> dict[str, Any]:
    url = absolute_url(tokens.unsubscribe_path(to, scope))
    headers = {**shared["headers"], "List-Unsubscribe": f"<{url}>"}
    return {
        **shared,
        "to": to,
        "scope": scope,
        "text": shared["text"].replace(PLACEHOLDER, url),
        "html": shared["html"].replace(escape(PLACEHOLDER), str(escape(url))),
        "subject": shared["subject"].replace(PLACEHOLDER, url),
        "headers": headers,
    }


class _Renderer:
    """emails.render(), with each (template, variant, language) rendered once."""

    def __init__(self) -> None:
        self.shared: dict[Hashable, dict[str, Any]] = {}

    def payload(self, mail: PlannedMail) -> dict[str, Any]:
        to, language = mail.recipient.email, mail.recipient.language
        if mail.variant is None:
            return render(to, mail.template, mail.context, language, mail.scope)
        cache_key = (mail.template, mail.variant, language)
        if cache_key not in self.shared:
            self.shared[cache_key] = render(
                to, mail.template, mail.context, language, mail.scope, unsubscribe_url=PLACEHOLDER
            )
        return _personalised(self.shared[cache_key], to, mail.scope)


def queue_many(parent: OutboxMessage | None, planned: Iterable[PlannedMail]) -> list[int]:
    """Store one mail per planned recipient unless the address opted out of its scope (or of
    everything). Returns the outbox row ids."""
    renderer, ids = _Renderer(), []
    for chunk in _batches(mail for mail in planned if mail.recipient.email):
        opted_out = _opted_out(chunk)
        rows = []
        for mail in chunk:
            email = mail.recipient.email.lower()
            if (email, "all") in opted_out or (email, mail.scope) in opted_out:
                continue
            rows.append((f"email:{mail.key}:{email}", renderer.payload(mail)))
        ids += outbox.store_many(OutboxMessage.EMAIL, rows, parent=parent)
    return ids
