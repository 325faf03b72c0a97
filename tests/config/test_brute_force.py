"""Password guessing is limited on every login: the admin and the Bürgerkonto (django-axes).

The test settings switch axes off (Client.login passes no request); these tests switch it on.
Staff API tokens are created by administrators in the admin; there is no token login to guess.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "Richtiges-Passwort-2026"
LOCKOUT = "Anmeldung vorübergehend gesperrt"


@pytest.fixture(autouse=True)
def _axes_on(settings) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


def admin_login(client: Client, email: str, password: str, ip: str = "203.0.113.7") -> str:
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": email, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
        HTTP_ACCEPT_LANGUAGE="de",
    )
    return f"{response.status_code} {response.content.decode()}"


def test_admin_login_locks_after_five_wrong_passwords_even_for_the_right_one() -> None:
    User.objects.create_superuser(email="admin@example.org", password=PASSWORD)
    client = Client()
    answers = [admin_login(client, "admin@example.org", f"falsch-{i}") for i in range(5)]
    assert all(LOCKOUT not in answer for answer in answers[:4])
    assert answers[4].startswith("429") and LOCKOUT in answers[4]
    # Locked per account: the right password from another address is refused too.
    assert LOCKOUT in admin_login(Client(), "admin@example.org", PASSWORD, ip="198.51.100.9")


def test_one_address_trying_many_accounts_is_locked_out() -> None:
    User.objects.create_user(email="opfer@example.org", password=PASSWORD, is_staff=True)
    client = Client()
    for i in range(5):
        admin_login(client, f"raten-{i}@example.org", "egal")
    answer = admin_login(client, "opfer@example.org", PASSWORD)
    assert answer.startswith("429") and LOCKOUT in answer


def test_an_administrator_unlocks_in_the_admin() -> None:
    User.objects.create_user(email="disponent@example.org", password=PASSWORD, is_staff=True)
    for i in range(5):
        admin_login(Client(), "disponent@example.org", f"falsch-{i}")
    attempt = AccessAttempt.objects.get(username="disponent@example.org")

    boss = Client()
    boss.force_login(User.objects.create_superuser(email="chef@example.org", password="x"))
    listing = boss.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "disponent@example.org" in listing.content.decode()
    deleted = boss.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302

    client = Client()
    answer = admin_login(client, "disponent@example.org", PASSWORD)
    assert answer.startswith("302")  # into the admin
    assert client.get("/admin/").status_code == 200


def test_buergerkonto_login_shows_the_german_lockout_page() -> None:
    user = User.objects.create_user(email="buerger@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = Client()
    answers = []
    for i in range(5):
        response = client.post(
            "/konto/login/",
            {"login": "buerger@example.org", "password": f"falsch-{i}"},
            HTTP_ACCEPT_LANGUAGE="de",
        )
        answers.append((response.status_code, response.content.decode()))
    assert all(LOCKOUT not in html for _status, html in answers[:4])
    status, html = answers[4]
    assert status == 429
    assert LOCKOUT in html
    assert "Minuten noch einmal" in html
    assert 'class="site-header"' in html
    assert AccessAttempt.objects.filter(username="buerger@example.org").exists()


def test_a_successful_login_is_not_held_against_anybody() -> None:
    user = User.objects.create_user(email="buerger@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = Client()
    client.post("/konto/login/", {"login": "buerger@example.org", "password": "falsch"})
    response = client.post("/konto/login/", {"login": "buerger@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(
        username="buerger@example.org", failures_since_start__gt=0
    ).exists()
