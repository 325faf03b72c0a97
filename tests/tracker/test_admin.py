"""Django admin: authority admins see and change only their authority's objects; crews,
planners and citizens do not get in; superusers see all, with map widgets for geometry."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Membership, Role, User
from tests.factories import (
    AssetFactory,
    ResponseTemplateFactory,
    RoadFactory,
    UserFactory,
    staff,
)
from tracker import services
from tracker.models import Report, ResponseTemplate, Status, Team

from .staff.fixtures import World

pytestmark = pytest.mark.django_db


def admin_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def gemeinde_admin(world: World) -> User:
    return staff(world.gemeinde, Role.ADMIN, email="admin@moor.example.org", is_staff=True)


def test_authority_admin_sees_only_own_objects(world: World, gemeinde_admin: User) -> None:
    ResponseTemplateFactory.create(authority=world.kreis, title="Kreis-Baustein")
    ResponseTemplateFactory.create(authority=world.gemeinde, title="Moor-Baustein")
    kreis_report = world.report(description="Kreis-Meldung")
    client = admin_client(world.admin)
    for url, mine, theirs in [
        ("/admin/tracker/team/", "Straßenmeisterei Nord", "Bauhof Moor"),
        ("/admin/tracker/responsetemplate/", "Kreis-Baustein", "Moor-Baustein"),
        ("/admin/accounts/membership/", "dispo@example.org", "dispo@moor.example.org"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert mine in content and theirs not in content, url
    assert client.get("/admin/tracker/report/").status_code == 200
    assert client.get(f"/admin/tracker/report/{kreis_report.pk}/change/").status_code == 200
    other = admin_client(gemeinde_admin)
    assert kreis_report.reference in client.get("/admin/tracker/report/").content.decode()
    assert kreis_report.reference not in other.get("/admin/tracker/report/").content.decode()
    # Another authority's objects: not found (redirect to the index), never shown.
    for url in (
        f"/admin/tracker/team/{world.team.pk}/change/",
        f"/admin/tracker/report/{kreis_report.pk}/change/",
        f"/admin/accounts/membership/{Membership.objects.filter(user=world.crew).get().pk}/change/",
    ):
        assert other.get(url).status_code == 302, url
    response = other.post(f"/admin/tracker/team/{world.team.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Team.objects.filter(pk=world.team.pk).exists()


def test_authority_admin_cannot_create_for_another_authority(
    world: World, gemeinde_admin: User
) -> None:
    client = admin_client(gemeinde_admin)
    response = client.post(
        "/admin/tracker/responsetemplate/add/",
        {
            "authority": world.kreis.pk,
            "status": "",
            "title": "Untergeschoben",
            "text": "x",
            "sort_order": 1,
        },
    )
    assert response.status_code == 200  # the form again, with an error
    assert not ResponseTemplate.objects.filter(title="Untergeschoben").exists()
    response = client.post(
        "/admin/tracker/responsetemplate/add/",
        {
            "authority": world.gemeinde.pk,
            "status": "done",
            "title": "Erledigt",
            "text": "Danke!",
            "sort_order": 1,
        },
    )
    assert response.status_code == 302
    assert ResponseTemplate.objects.get(title="Erledigt").authority == world.gemeinde


def test_team_members_must_work_for_the_authority(world: World) -> None:
    client = admin_client(world.admin)
    # The member list offers only the admin's own people, never all accounts.
    page = client.get(f"/admin/tracker/team/{world.team.pk}/change/").content.decode()
    assert "kolonne@example.org" in page
    assert "dispo@moor.example.org" not in page
    response = client.post(
        "/admin/tracker/team/add/",
        {
            "authority": world.kreis.pk,
            "name": "Kolonne West",
            "email": "",
            "members": [world.crew.pk, world.gemeinde_dispatcher.pk],
        },
    )
    assert response.status_code == 200
    assert not Team.objects.filter(name="Kolonne West").exists()
    response = client.post(
        "/admin/tracker/team/add/",
        {
            "authority": world.kreis.pk,
            "name": "Kolonne West",
            "email": "",
            "members": [world.crew.pk],
        },
    )
    assert response.status_code == 302
    assert list(Team.objects.get(name="Kolonne West").members.all()) == [world.crew]


def test_membership_by_email_and_admin_role_opens_the_admin(world: World) -> None:
    newcomer = UserFactory.create(email="neu@example.org")
    client = admin_client(world.admin)
    response = client.post(
        "/admin/accounts/membership/add/",
        {"email": "unbekannt@example.org", "authority": world.kreis.pk, "role": Role.CREW},
    )
    assert response.status_code == 200
    assert "zuerst registrieren" in response.content.decode()
    response = client.post(
        "/admin/accounts/membership/add/",
        {"email": "NEU@example.org", "authority": world.kreis.pk, "role": Role.ADMIN},
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    membership = Membership.objects.get(user=newcomer)
    response = client.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert not newcomer.is_staff
    # the Gemeinde cannot be chosen by the Kreis admin
    response = client.post(
        "/admin/accounts/membership/add/",
        {"email": "neu@example.org", "authority": world.gemeinde.pk, "role": Role.CREW},
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user=newcomer).exists()


def test_reports_are_read_only_in_the_admin(world: World) -> None:
    report = world.report()
    client = admin_client(world.admin)
    page = client.get(f"/admin/tracker/report/{report.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert report.tracking_token not in page and report.confirmation_token not in page
    client.post(f"/admin/tracker/report/{report.pk}/change/", {"status": Status.DONE})
    assert Report.objects.get(pk=report.pk).status == Status.NEW
    assert client.post(
        f"/admin/tracker/report/{report.pk}/delete/", {"post": "yes"}
    ).status_code in (
        302,
        403,
    )
    assert Report.objects.filter(pk=report.pk).exists()


def test_admin_history_hides_internal_notes_of_other_authorities(
    world: World, gemeinde_admin: User
) -> None:
    report = world.report()
    services.report_add_note(report, by=world.dispatcher, text="KREIS-GEHEIM")
    services.report_forward_to_authority(
        report, authority=world.gemeinde, by=world.dispatcher, note="Bitte übernehmen"
    )
    page = admin_client(gemeinde_admin).get(f"/admin/tracker/report/{report.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Bitte übernehmen" in content
    assert "KREIS-GEHEIM" not in content


@pytest.mark.parametrize("role", [Role.CREW, Role.PLANNER, Role.DISPATCHER])
def test_other_roles_do_not_get_into_the_admin_models(world: World, role: str) -> None:
    # Even with is_staff set by mistake, only the admin role opens the scoped models.
    user = staff(world.kreis, role, is_staff=True)
    client = admin_client(user)
    for url in (
        "/admin/tracker/team/",
        "/admin/tracker/report/",
        "/admin/tracker/responsetemplate/",
        "/admin/accounts/membership/",
        "/admin/boundaries/authority/",
        "/admin/geo/roadsegment/",
    ):
        assert client.get(url).status_code == 403, url
    citizen = admin_client(UserFactory.create())
    assert citizen.get("/admin/tracker/team/").status_code == 302  # to the login page


def test_authority_admins_cannot_edit_authorities_categories_or_geometry(world: World) -> None:
    client = admin_client(world.admin)
    for url in (
        "/admin/boundaries/authority/",
        "/admin/boundaries/boundary/",
        "/admin/geo/roadsegment/",
        "/admin/geo/asset/",
        "/admin/accounts/user/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.get("/admin/tracker/category/").status_code == 200
    page = client.get(f"/admin/tracker/category/{world.category.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert client.get("/admin/tracker/category/add/").status_code == 403


def test_superuser_sees_everything_with_map_widgets(world: World) -> None:
    boss = UserFactory.create(is_superuser=True, is_staff=True)
    client = admin_client(boss)
    teams = client.get("/admin/tracker/team/").content.decode()
    assert "Straßenmeisterei Nord" in teams and "Bauhof Moor" in teams
    road = RoadFactory.create(ref="K 7")
    asset = AssetFactory.create()
    boundary = world.kreis.boundaries.get()
    for url in (
        f"/admin/geo/roadsegment/{road.pk}/change/",
        f"/admin/geo/asset/{asset.pk}/change/",
        "/admin/boundaries/boundary/add/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "OLMapWidget" in page.content.decode(), url
    # the active set's boundary is not edited in place
    frozen = client.get(f"/admin/boundaries/boundary/{boundary.pk}/change/").content.decode()
    assert "OLMapWidget" not in frozen
    assert client.get("/admin/boundaries/authority/").status_code == 200
