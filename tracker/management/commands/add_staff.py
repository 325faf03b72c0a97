"""`manage.py add_staff EMAIL --authority SLUG --role dispatcher [--team NAME]`: give a person
a staff role (and team memberships). Lives in the tracker because teams are the tracker's."""

from typing import Any

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.models import Role, User
from accounts.services import membership_grant
from boundaries.models import Authority
from tracker.models import Team


class Command(BaseCommand):
    help = (
        "Give a person a role at an authority (dispatcher, crew, planner, admin), creating the "
        "account when it does not exist yet. Without --password a new account gets no usable "
        "password; the person sets one with 'Passwort vergessen'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--authority", required=True, help="slug of the authority")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--password", help="initial password for a new account")
        parser.add_argument("--team", action="append", default=[], help="team name (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        authority = Authority.objects.filter(slug=options["authority"]).first()
        if authority is None:
            known = ", ".join(
                Authority.objects.order_by("slug").values_list("slug", flat=True)[:20]
            )
            raise CommandError(f"No authority {options['authority']!r}. Some slugs: {known}")
        teams = []
        for name in options["team"]:
            team = Team.objects.filter(authority=authority, name=name).first()
            if team is None:
                raise CommandError(f"{authority.name} has no team {name!r}")
            teams.append(team)
        email = User.objects.normalize_email(options["email"]).lower()
        with transaction.atomic():
            user = User.objects.filter(email__iexact=email).first()
            created = user is None
            if user is None:
                user = User.objects.create_user(email, options["password"])
                # The address was given by an administrator: count it as verified for login.
                EmailAddress.objects.get_or_create(
                    user=user, email=email, defaults={"verified": True, "primary": True}
                )
            membership_grant(user, authority, options["role"])
            for team in teams:
                team.members.add(user)
        action = "created and added" if created else "added"
        self.stdout.write(
            f"{email} {action} as {Role(options['role']).label} at {authority.name}"
            + (f" (teams: {', '.join(t.name for t in teams)})" if teams else "")
        )
