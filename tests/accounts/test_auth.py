"""Sign-up, email confirmation, login, password reset and rate limits — allauth's views under
/konto/, wired to our guest reports."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from pytest_django.fixtures import Settings

from accounts.models import User
from tests.accounts.conftest import (
    CONFIRM_URL,
    PASSWORD,
    RESET_URL,
    GuestReport,
    MakeUser,
    signup,
    url_in_mail,
)
from tracker.models import Report, Support

pytestmark = pytest.mark.django_db


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_signup_sends_verification_email_and_login_waits_for_confirmation(
    client: Client,
) -> None:
    response = signup(client, "neu@example.org")

    assert response.status_code == 302
    assert response["Location"] == "/konto/confirm-email/"
    user = User.objects.get(email="neu@example.org")
    assert EmailAddress.objects.filter(user=user, verified=False).exists()
    assert [m.to for m in mail.outbox] == [["neu@example.org"]]
    assert mail.outbox[0].subject.startswith("[Mängelmelder]")
    assert CONFIRM_URL.search(str(mail.outbox[0].body))
    assert not is_logged_in(client)

    # Mandatory verification: the right password is not enough before the link was opened.
    other = Client()
    response = other.post("/konto/login/", {"login": "neu@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/konto/confirm-email/"
    assert not is_logged_in(other)


def test_confirming_logs_in_and_attaches_earlier_guest_reports(
    client: Client, guest_report: GuestReport
) -> None:
    mine = guest_report("Neu@Example.org")
    someone_elses = guest_report("andere@example.org")
    Support.objects.create(report=someone_elses, email="neu@example.org")

    signup(client, "neu@example.org")
    # Signing up alone proves nothing about the address: nothing is attached yet.
    assert Report.objects.get(pk=mine.pk).reporter is None

    response = client.post(url_in_mail(CONFIRM_URL, "neu@example.org"))

    user = User.objects.get(email="neu@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/konto/anliegen/"
    assert is_logged_in(client)
    assert EmailAddress.objects.get(user=user).verified
    assert Report.objects.get(pk=mine.pk).reporter == user
    assert Report.objects.get(pk=someone_elses.pk).reporter is None
    assert Support.objects.get(report=someone_elses).user == user


def test_an_unconfirmed_address_attaches_nothing_on_login(
    client: Client, make_user: MakeUser, guest_report: GuestReport
) -> None:
    user = make_user("neu@example.org", verified=False)
    report = guest_report("neu@example.org")

    client.force_login(user)

    assert Report.objects.get(pk=report.pk).reporter is None


def test_login_with_a_verified_address_attaches_later_guest_reports_idempotently(
    client: Client, make_user: MakeUser, guest_report: GuestReport
) -> None:
    user = make_user("buerger@example.org")
    # Reported as a guest after signing up (e.g. without logging in on the phone).
    report = guest_report("buerger@example.org")
    assert report.reporter is None

    response = client.post("/konto/login/", {"login": "buerger@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/konto/anliegen/"
    assert Report.objects.get(pk=report.pk).reporter == user
    client.logout()
    client.post("/konto/login/", {"login": "buerger@example.org", "password": PASSWORD})
    assert list(Report.objects.filter(reporter=user).values_list("pk", flat=True)) == [report.pk]


def test_reports_of_another_account_are_never_taken_over(
    client: Client, make_user: MakeUser, guest_report: GuestReport
) -> None:
    owner = make_user("buerger@example.org")
    client.force_login(owner)
    report = guest_report("buerger@example.org")
    client.logout()
    client.force_login(owner)
    assert Report.objects.get(pk=report.pk).reporter == owner

    # Same address typed by a guest, owner already set: another login must not move it.
    other = make_user("zweite@example.org")
    Report.objects.filter(pk=report.pk).update(reporter_email="zweite@example.org")
    client.force_login(other)
    assert Report.objects.get(pk=report.pk).reporter == owner


def test_signup_is_rate_limited_per_ip(client: Client, settings: Settings) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}

    first = signup(client, "eins@example.org", REMOTE_ADDR="198.51.100.7")
    second = signup(Client(), "zwei@example.org", REMOTE_ADDR="198.51.100.7")
    third = signup(Client(), "drei@example.org", REMOTE_ADDR="198.51.100.7")
    from_elsewhere = signup(Client(), "vier@example.org", REMOTE_ADDR="203.0.113.9")

    assert [r.status_code for r in (first, second)] == [302, 302]
    assert third.status_code == 429
    assert "Zu viele Anfragen" in third.content.decode()
    assert not User.objects.filter(email="drei@example.org").exists()
    assert from_elsewhere.status_code == 302
    # Looking at the form is free; only submissions count.
    assert client.get("/konto/signup/", REMOTE_ADDR="198.51.100.7").status_code == 200


def test_password_reset_sends_a_working_link(client: Client, make_user: MakeUser) -> None:
    make_user("buerger@example.org")

    response = client.post("/konto/password/reset/", {"email": "buerger@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/konto/password/reset/done/"
    assert [m.to for m in mail.outbox] == [["buerger@example.org"]]
    link = url_in_mail(RESET_URL, "buerger@example.org")
    # allauth moves the key into the session and redirects to a key-less URL.
    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert 'name="password1"' in form.content.decode()


def test_logout_is_a_post_under_konto(client: Client, make_user: MakeUser) -> None:
    client.force_login(make_user())

    response = client.post("/konto/logout/")

    assert response.status_code == 302
    assert not is_logged_in(client)
