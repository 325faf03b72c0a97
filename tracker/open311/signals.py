"""Signal receivers of the Open311 app: the tracker does not know about Open311, so the app
listens instead of being called.

* ReportEvent post_save, kind "created" or "forwarded": the report has just reached an
  authority (routed at intake, or forwarded). If that authority has an active OutboundEndpoint
  the report is queued for it (outbound.queue_delivery; the task runs on commit). A receiver
  instead of a call in tracker.services keeps the workflow services free of Open311, and it
  catches every way a report reaches an authority, present and future.
* tracker.services.account_erasing: DSGVO erasure of an account also erases the device and
  account ids that an Open311 client sent with that person's reports, and suspends API keys
  that act as the account (they would otherwise block the deletion, or quietly turn into a
  citizen app's key).
"""

from __future__ import annotations

from typing import Any

from tracker.models import ReportEvent

from . import outbound
from .models import ApiKey, RequestAttributes


def forward_new_report(
    sender: type[ReportEvent],
    instance: ReportEvent,
    created: bool,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    if not created or raw:
        return
    if instance.kind not in (ReportEvent.Kind.CREATED, ReportEvent.Kind.FORWARDED):
        return
    endpoint = outbound.endpoint_for_event(instance)
    if endpoint is not None:
        outbound.queue_delivery(endpoint, instance.report_id)


def erase_client_ids(sender: Any, *, user: Any, **kwargs: Any) -> None:
    RequestAttributes.objects.filter(report__reporter=user).update(device_id="", account_id="")
    ApiKey.objects.filter(acts_as=user).update(acts_as=None, is_active=False)
