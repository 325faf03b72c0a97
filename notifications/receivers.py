"""Signal receivers of the notifications app (connected in NotificationsConfig.ready).

* accounts.signals.account_erasing: erasing an account erases what the outbox holds about the
  address too: queued mails are dropped, sent ones forgotten, and so are its opt-outs.
  Follows, area alerts and read markers go with the user (on_delete=CASCADE).
* WebhookEndpoint post_delete: its delivery log goes with it (the outbox points at the
  endpoint by id, not by a cascading foreign key).
"""

from __future__ import annotations

from typing import Any

from outbox.models import OutboxMessage

from .models import EmailOptOut, WebhookEndpoint


def erase_notifications(sender: Any, *, user: Any, **kwargs: Any) -> None:
    email = user.email.lower()
    OutboxMessage.objects.filter(kind=OutboxMessage.EMAIL, payload__to=email).delete()
    EmailOptOut.objects.filter(email=email).delete()


def forget_webhook_deliveries(sender: Any, instance: WebhookEndpoint, **kwargs: Any) -> None:
    OutboxMessage.objects.filter(target_kind=OutboxMessage.WEBHOOK, target_id=instance.pk).delete()
