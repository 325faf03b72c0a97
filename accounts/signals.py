"""Signals of the Bürgerkonto that the apps above it answer (accounts imports none of them).

`account_erasing(sender=User, user=user)` is sent by accounts.services.account_delete inside
its transaction, before the user row is deleted. Every app that keeps personal data about the
user which does not go with the user row (on_delete=CASCADE) erases or anonymises it in a
receiver connected in its AppConfig.ready(): the tracker anonymises reports and drops
supports, Open311 erases client ids, notifications drops queued mail and opt-outs.
"""

from __future__ import annotations

from django.dispatch import Signal

account_erasing = Signal()
