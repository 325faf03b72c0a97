"""Domain signals of the tracker, sent by tracker.services inside their transactions. Apps
that act on them (tracker.open311, …) listen, so the workflow services import none of them.

* report_reached_authority(sender=Report, report, authority_id, event): the report has just
  reached an authority — routed to it at intake ("created") or forwarded to it ("forwarded").
  Receivers run inside the transaction; work that leaves the system goes through the outbox.
* reports_anonymising(sender=Report, user, report_ids): the reporter is being removed from
  these reports — an account is being erased (accounts.signals.account_erasing; user set) or
  their contact period ended (privacy retention; user None). Sent before the change, so apps
  that keep data about the reporter of those reports can still find it.
"""

from __future__ import annotations

from django.dispatch import Signal

report_reached_authority = Signal()
reports_anonymising = Signal()
