"""Who delivers which kind of outbox row. Apps register their handlers in AppConfig.ready():

    outbox.registry.register("email", send_email)

A handler gets the locked row and returns the ids of follow-up rows (a fan-out) to deliver
right after; it raises `Cancelled` when the work no longer applies, `GiveUp` when trying again
cannot help (e.g. an HTTP 4xx answer), and `RetryLater` (or any other exception) for a failure
worth retrying with the outbox's backoff. A handler may set the row's `response_status` and
`response_excerpt`; they are saved whatever the outcome."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import OutboxMessage

Handler = Callable[["OutboxMessage"], Iterable[int]]
GiveUpHook = Callable[["OutboxMessage"], None]
HANDLERS: dict[str, Handler] = {}
GIVE_UP_HOOKS: dict[str, GiveUpHook] = {}


def register(kind: str, function: Handler, *, on_give_up: GiveUpHook | None = None) -> Handler:
    """`on_give_up` runs (in the row's transaction) when the outbox stops trying a row of this
    kind for good, so that whatever waits for the work can say so instead of waiting forever."""
    HANDLERS[kind] = function
    if on_give_up is not None:
        GIVE_UP_HOOKS[kind] = on_give_up
    return function


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Decorator form of `register` (the module must still be imported in ready())."""

    def decorate(function: Handler) -> Handler:
        return register(kind, function)

    return decorate


def get(kind: str) -> Handler | None:
    return HANDLERS.get(kind)


def give_up_hook(kind: str) -> GiveUpHook | None:
    return GIVE_UP_HOOKS.get(kind)


class Cancelled(Exception):
    """The work no longer applies (the address opted out, the endpoint was switched off)."""


class GiveUp(Exception):
    """Trying again cannot help (the receiver refused the request): failed for good."""


class RetryLater(Exception):
    """A failure worth retrying, with a message for the log as it is (no exception name)."""
