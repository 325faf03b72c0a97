"""An archive that cannot be built does not say "wird erstellt" for ever: once the outbox
gives up, the export is "fehlgeschlagen", the person gets a mail, and a citizen can ask again."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from outbox import delivery
from outbox.models import OutboxMessage
from privacy import export, exports
from privacy.models import DataExport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _deliver_pending() -> None:
    for _round in range(4):
        for message_id in OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING
        ).values_list("pk", flat=True):
            delivery.deliver(message_id)  # a retry does not wait for its backoff here


def test_a_build_the_outbox_gives_up_on_ends_failed_with_a_mail_and_can_be_asked_again(
    client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    anna = UserFactory.create(email="anna@example.org")
    EmailAddress.objects.create(user=anna, email=anna.email, verified=True, primary=True)
    client.force_login(anna)

    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(export, "write_archive", disk_full)
    client.post("/konto/daten/")
    _deliver_pending()
    item = DataExport.objects.get(user=anna)
    assert item.status == DataExport.Status.FAILED
    build = OutboxMessage.objects.get(kind=exports.BUILD)
    assert build.status == OutboxMessage.Status.FAILED and "No space" in build.last_error
    page = client.get("/konto/daten/").content.decode()
    assert "konnte nicht erstellt werden" in page and "wird gerade erstellt" not in page
    assert "Neues Archiv erstellen" in page
    [failed_mail] = [m for m in mail.outbox if "nicht erstellt" in m.subject]
    assert failed_mail.to == ["anna@example.org"]
    assert "/konto/daten/" in str(failed_mail.body)

    monkeypatch.undo()  # the disk has room again: asking again builds a new archive
    client.post("/konto/daten/")
    _deliver_pending()
    newest = DataExport.objects.filter(user=anna).order_by("-created_at").first()
    assert newest is not None and newest.status == DataExport.Status.READY
    assert "Archiv herunterladen (ZIP)" in client.get("/konto/daten/").content.decode()


def test_a_failing_give_up_hook_does_not_undo_the_rows_failure(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    anna = UserFactory.create(email="anna@example.org")
    item = DataExport.objects.create(user=anna, email=anna.email, expires_at="2099-01-01T00:00Z")
    message_id = delivery.store(exports.BUILD, f"test-build-{item.pk}", {"args": [item.pk]})

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("archive broken")

    def broken_hook(message: OutboxMessage) -> None:
        raise RuntimeError("hook broken")

    monkeypatch.setattr(export, "write_archive", broken)
    monkeypatch.setitem(delivery.registry.GIVE_UP_HOOKS, exports.BUILD, broken_hook)
    delivery.deliver(message_id)
    assert OutboxMessage.objects.get(pk=message_id).status == OutboxMessage.Status.FAILED
    assert DataExport.objects.get(pk=item.pk).status == DataExport.Status.QUEUED
