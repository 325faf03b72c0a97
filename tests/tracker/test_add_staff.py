"""manage.py add_staff: an administrator gives a person a role from the shell."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Membership, Role, User
from boundaries.models import Level
from tests.factories import AuthorityFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_creates_the_account_with_role_team_and_a_working_login(client: Client) -> None:
    authority = AuthorityFactory.create(slug="landkreis-test", level=Level.KREIS)
    team = TeamFactory.create(authority=authority, name="Straßenmeisterei Nord")
    out = io.StringIO()
    call_command(
        "add_staff",
        "Disponent@Example.org",
        "--authority=landkreis-test",
        "--role=admin",
        "--password=sehr-geheim-2026",
        "--team=Straßenmeisterei Nord",
        stdout=out,
    )
    assert "created and added" in out.getvalue()
    user = User.objects.get(email="disponent@example.org")
    assert user.is_staff  # authority admins use the scoped Django admin
    assert Membership.objects.filter(user=user, authority=authority, role=Role.ADMIN).exists()
    assert list(team.members.all()) == [user]
    assert client.login(email="disponent@example.org", password="sehr-geheim-2026")
    # running it again adds nothing twice
    call_command("add_staff", "disponent@example.org", "--authority=landkreis-test", "--role=admin")
    assert Membership.objects.filter(user=user).count() == 1


def test_unknown_authority_or_team_is_refused_and_nothing_is_created() -> None:
    AuthorityFactory.create(slug="gemeinde-a")
    with pytest.raises(CommandError, match="No authority 'nirgendwo'"):
        call_command("add_staff", "x@example.org", "--authority=nirgendwo", "--role=crew")
    with pytest.raises(CommandError, match="has no team 'Bauhof'"):
        call_command(
            "add_staff", "x@example.org", "--authority=gemeinde-a", "--role=crew", "--team=Bauhof"
        )
    assert not User.objects.exists()
