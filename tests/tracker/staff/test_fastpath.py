"""The staff work queue's short way (tracker.staff.fastpath): a browser session seen before gets
its page from one statement that checks, while it reads the page, that the session, the user
and the memberships are still what they were. Nothing is shown on a right that no longer holds:
revoked memberships, deactivated accounts, changed passwords, ended or expired sessions are
refused on the very next request; a new membership shows its reports at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Membership, Role, User
from tests.factories import MembershipFactory
from tracker.models import Report

from .fixtures import World

pytestmark = pytest.mark.django_db

API = "/api/v1/staff/reports"


def warm_client(user: User, django_assert_num_queries: Any) -> Client:
    """A signed-in browser whose session the queue has seen: its next read is one statement."""
    client = Client()
    client.force_login(user)
    assert client.get(API).status_code == 200  # the full way; the session's facts are kept
    with django_assert_num_queries(1):
        assert client.get(API).status_code == 200
    return client


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {feature["id"] for feature in response.json()["features"]}


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"bbox": "10.0,53.0,10.2,53.1", "page_size": "2"},
        {"status": "new", "sort": "priority"},
        {"sort": "priority", "page_size": "1", "page": "2"},
        {"assigned_to": "me", "overdue": "false"},
    ],
)
def test_short_way_answers_what_the_full_way_answers(
    world: World, query: dict[str, str], django_assert_num_queries: Any
) -> None:
    mine = [world.report(), world.report(), world.report(confirmed=False)]
    foreign = world.report()
    Report.objects.filter(pk=foreign.pk).update(authority=world.gemeinde)
    client = warm_client(world.dispatcher, django_assert_num_queries)
    for language in ("de", "en"):
        with django_assert_num_queries(1):
            short = client.get(API, query, HTTP_ACCEPT_LANGUAGE=language)
        full = Client()
        full.force_login(world.dispatcher)  # a new client: its first request goes the full way
        expected = full.get(API, query, HTTP_ACCEPT_LANGUAGE=language)
        assert short.status_code == expected.status_code == 200
        assert short.content == expected.content
        assert short["Content-Type"] == expected["Content-Type"]
        assert short["Content-Language"] == language
        assert {"Accept-Language", "Cookie"} <= {v.strip() for v in short["Vary"].split(",")}
    assert foreign.pk not in ids(client.get(API))
    assert ids(client.get(API)) == {r.pk for r in mine}


def test_revoked_membership_is_refused_on_the_next_request(
    world: World, django_assert_num_queries: Any
) -> None:
    world.report()
    client = warm_client(world.dispatcher, django_assert_num_queries)
    Membership.objects.filter(user=world.dispatcher).delete()
    response = client.get(API)
    assert response.status_code == 403
    assert "Mitarbeitende" in response.json()["detail"]
    assert client.get(API).status_code == 403  # and stays refused


def test_changed_memberships_change_the_queue_at_once(
    world: World, django_assert_num_queries: Any
) -> None:
    kreis = world.report()
    moor = world.report()
    Report.objects.filter(pk=moor.pk).update(authority=world.gemeinde)
    client = warm_client(world.dispatcher, django_assert_num_queries)
    assert ids(client.get(API)) == {kreis.pk}
    MembershipFactory.create(user=world.dispatcher, authority=world.gemeinde, role=Role.PLANNER)
    assert ids(client.get(API)) == {kreis.pk, moor.pk}
    Membership.objects.filter(user=world.dispatcher, authority=world.kreis).delete()
    assert ids(client.get(API)) == {moor.pk}
    with django_assert_num_queries(1):  # learnt again: the short way once more
        assert ids(client.get(API)) == {moor.pk}


def _deactivate(user: User) -> None:
    User.objects.filter(pk=user.pk).update(is_active=False)


def _new_password(user: User) -> None:
    user.set_password("ein ganz neues Passwort 123")
    user.save()


def _end_sessions(user: User) -> None:
    Session.objects.all().delete()  # logged out elsewhere (another node, the admin)


def _expire_sessions(user: User) -> None:
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))


def test_superuser_flag_taken_away_is_refused(world: World, django_assert_num_queries: Any) -> None:
    world.report()
    boss = User.objects.create_user(email="chef@example.org", password=None, is_superuser=True)
    client = warm_client(boss, django_assert_num_queries)
    User.objects.filter(pk=boss.pk).update(is_superuser=False)
    assert client.get(API).status_code == 403


def test_bad_queries_and_tokens_take_the_full_way(
    world: World, django_assert_num_queries: Any
) -> None:
    report = world.report()
    client = warm_client(world.dispatcher, django_assert_num_queries)
    for query, field in (({"status": "kaputt"}, "status"), ({"cursor": "x"}, "cursor")):
        response = client.get(API, query)
        assert response.status_code == 400
        assert field in response.json()
    with django_assert_num_queries(1):  # still known after a bad query
        assert ids(client.get(API)) == {report.pk}
    moor = world.report()
    Report.objects.filter(pk=moor.pk).update(authority=world.gemeinde)
    token = Token.objects.create(user=world.gemeinde_dispatcher)
    by_token = Client().get(API, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert ids(by_token) == {moor.pk}
    assert Client().get(API, HTTP_AUTHORIZATION="Token falsch").status_code == 403


def test_one_browser_two_people_each_see_their_own_work(
    world: World, django_assert_num_queries: Any
) -> None:
    """The same process (one client) answers two people of the same authority in turn: the
    kept statement of one is never the other's ("me", the session's own facts)."""
    mine = world.report()
    theirs = world.report()
    colleague = User.objects.create_user(email="dispo-b@example.org", password=None)
    MembershipFactory.create(user=colleague, authority=world.kreis, role=Role.DISPATCHER)
    Report.objects.filter(pk=mine.pk).update(assigned_to=world.dispatcher)
    Report.objects.filter(pk=theirs.pk).update(assigned_to=colleague)
    client = warm_client(world.dispatcher, django_assert_num_queries)
    me = {"assigned_to": "me"}
    for _ in range(2):
        assert ids(client.get(API, me)) == {mine.pk}
    client.force_login(colleague)  # same browser, same process: another person
    for _ in range(2):
        assert ids(client.get(API, me)) == {theirs.pk}
    with django_assert_num_queries(1):
        assert ids(client.get(API, me)) == {theirs.pk}


def _token_client(user: User, django_assert_num_queries: Any) -> Client:
    """An app with an API token whose facts the queue has learnt: its next read is one
    statement."""
    client = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    assert client.get(API).status_code == 200  # the full way; the token's facts are kept
    with django_assert_num_queries(1):
        assert client.get(API).status_code == 200
    return client


def test_tokens_take_the_short_way_with_the_full_ways_answer(
    world: World, django_assert_num_queries: Any
) -> None:
    mine = world.report()
    app = _token_client(world.dispatcher, django_assert_num_queries)
    query = {"status": "new", "sort": "priority"}
    with django_assert_num_queries(1):
        short = app.get(API, query, HTTP_ACCEPT_LANGUAGE="en")
    browser = Client()
    browser.force_login(world.dispatcher)  # a new session: the full way
    assert short.content == browser.get(API, query, HTTP_ACCEPT_LANGUAGE="en").content
    assert ids(short) == {mine.pk}
    _new_password(world.dispatcher)  # a token outlives a password change, as on the full way
    assert ids(app.get(API)) == {mine.pk}


def _delete_tokens(user: User) -> None:
    Token.objects.filter(user=user).delete()


def _revoke_memberships(user: User) -> None:
    Membership.objects.filter(user=user).delete()


@pytest.mark.parametrize(
    ("caller", "change", "detail"),
    [
        # the session is gone: not signed in
        (warm_client, _deactivate, "Anmeldedaten fehlen"),
        (warm_client, _new_password, "Anmeldedaten fehlen"),
        (warm_client, _end_sessions, "Anmeldedaten fehlen"),
        (warm_client, _expire_sessions, "Anmeldedaten fehlen"),
        # DRF's TokenAuthentication refuses the token itself, the permission the rest
        (_token_client, _delete_tokens, "Ungültiges Token"),
        (_token_client, _deactivate, "Benutzer inaktiv oder gelöscht"),
        (_token_client, _revoke_memberships, "Nur für Mitarbeitende einer zuständigen Stelle"),
    ],
)
def test_ended_sign_in_is_refused_on_the_next_request(
    world: World, caller: Any, change: Any, detail: str, django_assert_num_queries: Any
) -> None:
    """A browser session or an API token the queue knows, refused on the very next request
    once it no longer holds — and from then on."""
    world.report()
    client = caller(world.dispatcher, django_assert_num_queries)
    change(world.dispatcher)
    for _ in range(2):
        response = client.get(API)
        assert response.status_code == 403
        assert detail in response.json()["detail"]


def test_a_token_beside_a_session_cookie_takes_the_full_way(
    world: World, django_assert_num_queries: Any
) -> None:
    """Both at once: DRF takes the session's user; so does the full way, every time."""
    moor = world.report()
    Report.objects.filter(pk=moor.pk).update(authority=world.gemeinde)
    kreis = world.report()
    token = Token.objects.create(user=world.gemeinde_dispatcher)
    browser = warm_client(world.dispatcher, django_assert_num_queries)
    for _ in range(2):
        assert ids(browser.get(API, HTTP_AUTHORIZATION=f"Token {token.key}")) == {kreis.pk}
