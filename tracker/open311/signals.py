"""Signal receivers of the Open311 app: the tracker does not know about Open311, so the app
listens instead of being called (connected in Open311Config.ready).

* tracker.signals.report_reached_authority: the report has just reached an authority (routed
  at intake, or forwarded), inside the tracker service's transaction. If that authority has
  an active OutboundEndpoint the report is queued for it through the outbox
  (outbound.queue_delivery). A domain signal instead of a call in tracker.services keeps the
  workflow services free of Open311, and catches every way a report reaches an authority.
* tracker.signals.reports_anonymising (sent while an account is erased or a report's contact
  period ends, before the reports lose their reporter): the device and account ids that an
  Open311 client sent with those reports are erased, and API keys that act as an erased
  account are suspended (they would otherwise block the deletion, or quietly turn into a
  citizen app's key).
"""

from __future__ import annotations

from typing import Any

from outbox.models import OutboxMessage
from tracker.models import Report

from . import outbound
from .models import ApiKey, OutboundDelivery, RequestAttributes


def forward_new_report(
    sender: type[Report], *, report: Report, authority_id: int, **kwargs: Any
) -> None:
    endpoint = outbound.endpoint_for(authority_id)
    if endpoint is not None:
        outbound.queue_delivery(endpoint, report.pk)


def erase_client_ids(
    sender: Any, *, user: Any = None, report_ids: list[int] | None = None, **kwargs: Any
) -> None:
    """Sent for an erased account (user) and for reports whose contact period ended (no
    user): the client ids of those reports go; API keys acting as the account are suspended."""
    reports = RequestAttributes.objects.none()
    if report_ids is not None:
        reports = RequestAttributes.objects.filter(report_id__in=report_ids)
    elif user is not None:
        reports = RequestAttributes.objects.filter(report__reporter=user)
    reports.update(device_id="", account_id="")
    if user is not None:
        ApiKey.objects.filter(acts_as=user).update(acts_as=None, is_active=False)


def forget_delivery_log(sender: Any, instance: OutboundDelivery, **kwargs: Any) -> None:
    """A delivery went (with its report or endpoint): so does its outbox row."""
    OutboxMessage.objects.filter(
        target_kind=OutboundDelivery.TARGET, target_id=instance.pk
    ).delete()
