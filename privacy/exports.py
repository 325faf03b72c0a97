"""State changes of subject access exports (privacy.DataExport; the ZIP is privacy.export).

Why a task and not a streamed response: a person's reports carry up to ten photos each and an
application's attachments up to several megabytes, so one archive can take long to write; a
request must not hold a web worker (or time out at the proxy) for that. The build runs as the
outbox kind "privacy.build_export" (retried like all outbox work, nothing lost when Redis is
down); the page shows its state, and a mail says when the download is ready.

* `request_for_user(user)`: the citizen asks in the Bürgerkonto; built at once.
* `request_for_guest(email, by=staff, authority=…, reason=…)`: staff ask for a guest; the guest
  gets a confirmation link by mail ("notifications.data_export_mail"), nothing is built and
  staff never see the link or the archive. Logged in the access log.
* `confirm(export)`: the guest confirmed (POST on the link): built now.
* `build(export_id)`: writes the ZIP into the storage, READY until `expires_at`; FAILED (with a
  mail) once the outbox gives up on it (`build_gave_up`).
* `purge_expired(now, batch)`: the retention job; archives and rows past `expires_at` go.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

import outbox
from accounts.models import User
from outbox.models import OutboxMessage
from outbox.registry import Cancelled

from . import access, export
from .models import DataExport

logger = logging.getLogger(__name__)

BUILD = "privacy.build_export"
MAIL = "notifications.data_export_mail"  # args: export id, "confirm" | "ready" | "failed"
KIND = "subject"


def days_valid() -> int:
    return int(getattr(settings, "PRIVACY_EXPORT_DAYS", 7))


def _expiry() -> datetime:
    return timezone.now() + timedelta(days=days_valid())


def request_for_user(user: User) -> DataExport:
    """A new archive for the signed-in citizen; one still being built is reused, older
    archives of hers are replaced."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        pending = DataExport.objects.filter(user=user, status=DataExport.Status.QUEUED).first()
        if pending is not None:
            return pending
        _delete(DataExport.objects.filter(user=user))
        item = DataExport.objects.create(
            user=user,
            email=user.email,
            language=user.preferred_language or "de",
            confirmed_at=timezone.now(),
            expires_at=_expiry(),
        )
        outbox.enqueue_on_commit(BUILD, item.pk)
    return item


def request_for_guest(
    email: str, *, by: User, authority_id: int, reason: str = "", language: str = "de"
) -> DataExport:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": _("Bitte geben Sie eine gültige E-Mail-Adresse ein.")}
        ) from exc
    with transaction.atomic():
        item = DataExport.objects.create(
            email=email,
            language=language if language in {"de", "en"} else "de",
            status=DataExport.Status.AWAITING,
            requested_by=by,
            authority_id=authority_id,
            expires_at=_expiry(),
        )
        access.log_access(
            by,
            action=access.EXPORT,
            channel="page",
            kind=KIND,
            object_id=item.pk,
            reference=f"Auskunft {item.pk}",
            authority_id=authority_id,
            fields="email",
            reason=reason or _("Auskunft für einen Gast beantragt: {email}").format(email=email),
        )
        outbox.enqueue_on_commit(MAIL, item.pk, "confirm")
    return item


def confirm(item: DataExport) -> DataExport:
    with transaction.atomic():
        item = DataExport.objects.select_for_update().get(pk=item.pk)
        if item.status != DataExport.Status.AWAITING:
            return item
        if item.expires_at <= timezone.now():
            raise ValidationError(_("Dieser Bestätigungslink ist abgelaufen."))
        item.status = DataExport.Status.QUEUED
        item.confirmed_at = timezone.now()
        item.expires_at = _expiry()
        item.save(update_fields=["status", "confirmed_at", "expires_at"])
        outbox.enqueue_on_commit(BUILD, item.pk)
    return item


def _subject(item: DataExport) -> export.Subject:
    if item.user is not None:
        return export.Subject(item.user, item.user.email.lower())
    return export.Subject(None, item.email.lower())


def build(export_id: int) -> DataExport:
    item = DataExport.objects.select_related("user").get(pk=export_id)
    if item.status != DataExport.Status.QUEUED:
        raise Cancelled("export not waiting to be built")
    with tempfile.TemporaryFile() as target:
        export.write_archive(_subject(item), target)
        size = target.tell()
        target.seek(0)
        name = default_storage.save(f"privacy-exports/{item.token}.zip", File(target))
    item.file.name = name
    item.size = size
    item.status = DataExport.Status.READY
    item.ready_at = timezone.now()
    item.expires_at = _expiry()
    item.save(update_fields=["file", "size", "status", "ready_at", "expires_at"])
    if item.is_guest:
        access.log_access(
            item.requested_by,
            action=access.EXPORT,
            channel="guest-link",
            kind=KIND,
            object_id=item.pk,
            reference=f"Auskunft {item.pk}",
            authority_id=item.authority_id,
            fields="email",
            reason=_("vom Gast bestätigt, Archiv erstellt"),
        )
    outbox.enqueue_on_commit(MAIL, item.pk, "ready")
    return item


def build_handler(message: OutboxMessage) -> list[int]:
    """The outbox handler of BUILD (registered in PrivacyConfig.ready)."""
    build(int(message.payload["args"][0]))
    return []


def build_gave_up(message: OutboxMessage) -> None:
    """The outbox stopped trying to build the archive (BUILD's `on_give_up`): the export says
    "fehlgeschlagen" instead of "wird erstellt" for ever, and the person is told by mail (a
    citizen may ask again at once; a guest is asked to contact the office)."""
    export_id = int(message.payload["args"][0])
    failed = DataExport.objects.filter(pk=export_id, status=DataExport.Status.QUEUED).update(
        status=DataExport.Status.FAILED
    )
    if failed:
        logger.error("privacy: the archive of export %s could not be built", export_id)
        outbox.enqueue_on_commit(MAIL, export_id, "failed")


def for_download(token: str, user: Any) -> DataExport:
    """The export behind a link, if `user` may have it: a guest's archive for whoever holds
    its secret link, an account's archive only for that account. Refusals carry a message
    for the page (Http404: unknown or expired; PermissionDenied: someone else's)."""
    item = DataExport.objects.filter(token=token).first()
    if item is None:
        raise Http404(_("Diesen Download gibt es nicht (mehr)."))
    if item.expires_at <= timezone.now():
        raise Http404(_("Dieser Download ist abgelaufen. Bitte fordern Sie Ihre Daten erneut an."))
    if item.user_id is not None and item.user_id != getattr(user, "pk", None):
        raise PermissionDenied(
            _(
                "Dieser Download gehört zu einem anderen Konto. Bitte melden Sie sich mit dem "
                "Konto an, das die Daten angefordert hat."
            )
        )
    return item


def _delete(queryset: Any) -> int:
    names = [name for name in queryset.values_list("file", flat=True) if name]
    count = queryset.delete()[0]

    def delete_files() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete_files)
    return count


def purge_expired(now: datetime, batch_size: int) -> dict[str, int]:
    """Retention job: archives (and their rows) past their expiry."""
    deleted = 0
    while True:
        ids = list(
            DataExport.objects.filter(expires_at__lte=now).values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            break
        with transaction.atomic():
            deleted += _delete(DataExport.objects.filter(pk__in=ids))
    return {"data_exports_deleted": deleted}


def erase_for_account(sender: Any, user: User, **kwargs: Any) -> None:
    """accounts.signals.account_erasing: the person's archives go with the account."""
    _delete(DataExport.objects.filter(user=user))
