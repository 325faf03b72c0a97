"""Trusted clients (their reports are public at once) and the DSGVO erasure of the client ids
an Open311 app sent with a person's reports."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts import services as account_services
from accounts.models import User
from tests.factories import UserFactory
from tracker import receivers as tracker_receivers
from tracker.models import Report, ReportEvent
from tracker.open311.models import ApiKey, RequestAttributes
from tracker.open311.services import api_key_issue

from .conftest import INSIDE_A

pytestmark = pytest.mark.django_db


def file_request(client: Client, key: str, email: str = "erika@example.org", **fields: str) -> Any:
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "wilder-muell",
            **INSIDE_A,
            "description": "Altreifen am Feldweg",
            "email": email,
            **fields,
        },
    )
    assert response.status_code == 200, response.content
    return Report.objects.get(pk=int(response.json()[0]["service_request_id"]))


def test_trusted_client_reports_are_public_at_once(
    client: Client, region: dict, api_key: str, django_capture_on_commit_callbacks: Any
) -> None:
    key, raw = api_key_issue(name="Stadt-App mit Bürgerkonto")
    key.trusted = True
    key.save()
    with django_capture_on_commit_callbacks(execute=True):
        trusted = file_request(client, raw)
    untrusted = file_request(client, api_key)
    assert trusted.confirmed_at is not None
    assert untrusted.confirmed_at is None
    assert ReportEvent.objects.filter(report=trusted, kind="confirmed").count() == 1
    listed = client.get("/open311/v2/requests.json").json()
    assert [r["service_request_id"] for r in listed] == [str(trusted.pk)]
    assert client.get(f"/open311/v2/requests/{trusted.pk}.json").status_code == 200


def test_admin_sets_trusted_and_acts_as_when_issuing(client: Client, region: dict) -> None:
    account = UserFactory.create(email="fachverfahren@example.org")
    client.force_login(User.objects.create_superuser(email="admin@example.org", password="x"))
    response = client.post(
        "/admin/open311/apikey/add/",
        {"name": "Fachverfahren", "is_active": "on", "trusted": "on", "acts_as": account.pk},
    )
    assert response.status_code == 302, response.content
    key = ApiKey.objects.get()
    assert (key.trusted, key.acts_as) == (True, account)


def test_account_deletion_erases_the_client_ids(client: Client, region: dict, api_key: str) -> None:
    mine = file_request(client, api_key, device_id="geraet-1", account_id="konto-1")
    other = file_request(
        client, api_key, email="someone@example.org", device_id="geraet-2", account_id="konto-2"
    )
    user = UserFactory.create(email="erika@example.org")
    assert tracker_receivers.reports_attach_to_account(user, "erika@example.org") == 1

    account_services.account_delete(user)

    erased = RequestAttributes.objects.get(report=mine)
    assert (erased.device_id, erased.account_id) == ("", "")
    kept = RequestAttributes.objects.get(report=other)
    assert (kept.device_id, kept.account_id) == ("geraet-2", "konto-2")
    mine.refresh_from_db()
    assert (mine.reporter_id, mine.reporter_email) == (None, "")


def test_deleting_an_integration_account_suspends_its_keys(region: dict) -> None:
    account = UserFactory.create(email="schnittstelle@example.org")
    key, _raw = api_key_issue(name="Fachverfahren")
    key.acts_as = account
    key.save()
    account_services.account_delete(account)
    key.refresh_from_db()
    assert (key.acts_as, key.is_active) == (None, False)
    assert not User.objects.filter(pk=account.pk).exists()
