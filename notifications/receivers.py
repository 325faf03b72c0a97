"""Erasing an account (tracker.services.account_delete) erases what the outbox holds about the
address too: queued mails are dropped, sent ones forgotten. Follows, area alerts and read
markers go with the user (on_delete=CASCADE)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from tracker.services import account_erasing

from .models import EmailOptOut, OutboxMessage


@receiver(account_erasing)
def erase_notifications(sender: Any, user: Any, **kwargs: Any) -> None:
    email = user.email.lower()
    OutboxMessage.objects.filter(kind=OutboxMessage.EMAIL, payload__to=email).delete()
    EmailOptOut.objects.filter(email=email).delete()
