"""The access log catches every door that shows a reporter's contact data: the staff page,
the staff API, the admin; it is append-only and searchable by admins and the DPO."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from privacy.models import AccessLogEntry
from tests.factories import staff
from tests.tracker.staff.fixtures import World, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def _entries() -> list[tuple[str, str, str, str, str]]:
    return list(
        AccessLogEntry.objects.order_by("id").values_list(
            "actor_email", "action", "channel", "reference", "fields"
        )
    )


def test_the_staff_page_logs_who_saw_the_contact_data(world: World, client: Client) -> None:
    report = world.report()
    client.force_login(world.dispatcher)
    page = client.get(reverse("staff:report", args=[report.pk]))
    assert page.status_code == 200
    assert "0171 1234567" in page.content.decode()
    assert _entries() == [
        (
            "dispo@example.org",
            "view",
            "page",
            report.reference,
            "reporter_name,reporter_email,reporter_phone",
        )
    ]
    entry = AccessLogEntry.objects.get()
    assert entry.authority_id == world.kreis.pk and entry.object_id == report.pk


def test_the_staff_api_detail_and_action_answers_are_logged(world: World, client: Client) -> None:
    report = world.report()
    client.force_login(world.dispatcher)
    detail = client.get(reverse("api:staff-report-detail", args=[report.pk]))
    assert detail.json()["properties"]["reporter_phone"] == "0171 1234567"
    client.post(
        reverse("api:staff-report-priority", args=[report.pk]),
        {"priority": "high"},
        content_type="application/json",
    )
    assert [(e[1], e[2]) for e in _entries()] == [("view", "api"), ("view", "api")]


def test_the_queue_without_contact_data_and_other_authorities_log_nothing(
    world: World, client: Client
) -> None:
    report = world.report()
    client.force_login(world.dispatcher)
    assert client.get(reverse("api:staff-reports")).status_code == 200
    client.force_login(world.gemeinde_dispatcher)
    assert client.get(reverse("staff:report", args=[report.pk])).status_code == 404
    assert _entries() == []


def test_the_admin_report_page_and_a_deletion_are_logged(world: World, client: Client) -> None:
    report = world.report()
    client.force_login(world.admin)
    page = client.get(reverse("admin:tracker_report_change", args=[report.pk]))
    assert page.status_code == 200
    assert [(e[0], e[1], e[2]) for e in _entries()] == [("admin@example.org", "view", "admin")]

    superuser = staff(world.kreis, email="root@example.org", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    client.post(reverse("admin:tracker_report_delete", args=[report.pk]), {"post": "yes"})
    assert _entries()[-1][:3] == ("root@example.org", "change", "admin")


def test_entries_cannot_be_changed_or_deleted_one_by_one(world: World) -> None:
    world.report()
    entry = AccessLogEntry.objects.create(actor_email="x@example.org", action="view", kind="report")
    entry.reason = "vertuscht"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_admins_and_the_dpo_search_their_authoritys_log_only(world: World, client: Client) -> None:
    kreis_report = world.report()
    client.force_login(world.dispatcher)
    client.get(reverse("staff:report", args=[kreis_report.pk]))
    AccessLogEntry.objects.create(
        actor_email="fremd@example.org", action="view", kind="report", authority=world.gemeinde
    )
    dpo = staff(world.kreis, Role.DATA_PROTECTION, email="dsb@example.org", is_staff=True)
    changelist = reverse("admin:privacy_accesslogentry_changelist")
    for user in (world.admin, dpo):
        client.force_login(user)
        page = client.get(changelist, {"q": "dispo"})
        assert page.status_code == 200
        text = page.content.decode()
        assert "dispo@example.org" in text and "fremd@example.org" not in text
    client.force_login(world.dispatcher)
    assert client.get(changelist).status_code in (302, 403)


def test_staff_mark_a_description_clean_on_the_page_and_in_the_api(
    world: World, client: Client
) -> None:
    report = world.report()
    client.force_login(world.dispatcher)
    page = client.get(reverse("staff:report", args=[report.pk])).content.decode()
    assert "Beschreibung enthält keine personenbezogenen Daten" in page
    response = client.post(
        reverse("staff:report-action", args=[report.pk, "privacy"]),
        {"privacy-description_clean": "on"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.description_is_clean
    client.post(
        reverse("api:staff-report-privacy", args=[report.pk]),
        {"description_clean": False},
        content_type="application/json",
    )
    report.refresh_from_db()
    assert not report.description_is_clean
    # A planner reads, but may not decide this.
    client.force_login(world.planner)
    refused = client.post(
        reverse("api:staff-report-privacy", args=[report.pk]),
        {"description_clean": True},
        content_type="application/json",
    )
    assert refused.status_code == 403
