"""Meine Anliegen, the account page and self-deletion (DSGVO)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client

from accounts.models import User
from tests.accounts.conftest import INSIDE, PASSWORD, GuestReport, MakeUser, Region
from tests.factories import AuthorityFactory, CategoryFactory
from tracker.models import Report, Status, Support

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/konto/", "/konto/anliegen/", "/konto/loeschen/"])
def test_anonymous_users_are_sent_to_login(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/konto/login/?next={path}"


def test_my_reports_lists_only_my_reports_newest_first_with_live_status(
    client: Client, make_user: MakeUser, guest_report: GuestReport
) -> None:
    me = make_user("buerger@example.org")
    older = guest_report("buerger@example.org", description="Schlagloch")
    newer = guest_report("buerger@example.org", description="Laterne")
    foreign = guest_report("andere@example.org", description="Fremd")
    client.force_login(me)  # attaches the two guest reports made with my verified address
    Report.objects.filter(pk=older.pk).update(status=Status.IN_PROGRESS)

    response = client.get("/konto/anliegen/")

    assert response.status_code == 200
    assert [r.pk for r in response.context["reports"]] == [newer.pk, older.pk]
    html = response.content.decode()
    assert newer.reference in html and older.reference in html
    assert foreign.reference not in html
    assert "in Arbeit" in html  # the status as it is now, not as it was when reported
    assert "Landkreis Test" in html
    assert "Wilder Müll" in html
    # Unconfirmed guest reports are not public yet: the owner gets the tracking page instead.
    assert f"/verfolgen/{older.tracking_token}/" in html
    Report.objects.filter(pk=newer.pk).update(confirmed_at=newer.created_at)
    assert f'href="/meldungen/{newer.pk}/"' in client.get("/konto/anliegen/").content.decode()


def test_my_reports_has_an_empty_state_linking_to_the_report_form(
    client: Client, make_user: MakeUser
) -> None:
    client.force_login(make_user())

    html = client.get("/konto/anliegen/").content.decode()

    assert "noch keine Meldungen" in html
    assert 'href="/melden/"' in html


def test_my_reports_is_paginated(
    client: Client, make_user: MakeUser, guest_report: GuestReport
) -> None:
    user = make_user()
    for number in range(22):
        guest_report("buerger@example.org", description=f"Meldung {number}")
    client.force_login(user)

    first = client.get("/konto/anliegen/")
    second = client.get("/konto/anliegen/?seite=2")

    assert len(first.context["reports"]) == 20
    assert len(second.context["reports"]) == 2
    assert 'aria-current="page"' in second.content.decode()
    assert client.get("/konto/anliegen/?seite=99").context["page"].number == 2


def test_my_reports_needs_a_fixed_number_of_queries(
    client: Client, make_user: MakeUser, region: Region, django_assert_num_queries: object
) -> None:
    """No N+1: category and authority come with the reports, whatever their number."""
    user = make_user()
    client.force_login(user)
    for number in range(8):
        # Every report with its own category and authority, so a lazy lookup would show.
        authority = AuthorityFactory.create(name=f"Stelle {number}")
        category = CategoryFactory.create(fixed_authority=authority)
        Report.objects.create(
            category=category,
            location=INSIDE,
            description=f"Meldung {number}",
            authority=authority,
            routing_reason="fixed",
            reporter=user,
            reporter_email=user.email,
            confirmation_token=f"c{number}",
            tracking_token=f"t{number}",
        )

    client.get("/")  # warms the cached portal identity (boundaries.identity)
    # session, user, count for the paginator, the page of reports with their joins, the
    # unread updates of the page (notifications), and the applications of the Serviceportal
    # (catalogue) with theirs, and the marked upcoming events (events) with theirs
    with django_assert_num_queries(7):  # type: ignore[operator]
        response = client.get("/konto/anliegen/")

    assert len(response.context["reports"]) == 8
    assert "Stelle 7" in response.content.decode()


def test_profile_shows_links_and_saves_name_and_language(
    client: Client, make_user: MakeUser
) -> None:
    user = make_user()
    client.force_login(user)

    page = client.get("/konto/").content.decode()
    for href in (
        "/konto/password/change/",
        "/konto/email/",
        "/konto/loeschen/",
        "/konto/anliegen/",
    ):
        assert f'href="{href}"' in page

    response = client.post(
        "/konto/", {"display_name": "  Erika Mustermann ", "preferred_language": "en"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.preferred_language) == ("Erika Mustermann", "en")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_profile_rejects_an_unknown_language(client: Client, make_user: MakeUser) -> None:
    user = make_user()
    client.force_login(user)

    response = client.post("/konto/", {"display_name": "", "preferred_language": "xx"})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    user.refresh_from_db()
    assert user.preferred_language == "de"


def test_deletion_page_explains_what_happens_to_reports(
    client: Client, make_user: MakeUser
) -> None:
    client.force_login(make_user())

    html = client.get("/konto/loeschen/").content.decode()

    assert "bleibt erhalten" in html or "bleiben erhalten" in html
    assert 'autocomplete="current-password"' in html


def test_deletion_erases_personal_data_and_keeps_the_report_anonymised(
    client: Client, make_user: MakeUser, guest_report: GuestReport
) -> None:
    user = make_user("buerger@example.org")
    report = guest_report("buerger@example.org")
    client.force_login(user)
    other = guest_report("andere@example.org")
    Support.objects.create(report=other, user=user, email="buerger@example.org")
    assert Report.objects.get(pk=report.pk).reporter == user

    response = client.post("/konto/loeschen/", {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/konto/geloescht/"
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email="buerger@example.org").exists()
    kept = Report.objects.get(pk=report.pk)
    assert kept.reporter is None
    assert (kept.reporter_email, kept.reporter_name, kept.reporter_phone) == ("", "", "")
    assert kept.description == "Sperrmüll am Waldrand"
    assert not Support.objects.filter(report=other).exists()
    assert "_auth_user_id" not in client.session
    confirmation = client.get("/konto/geloescht/")
    assert "Ihr Konto wurde gelöscht" in confirmation.content.decode()


def test_deletion_with_a_wrong_password_is_refused(
    client: Client, make_user: MakeUser, guest_report: GuestReport
) -> None:
    user = make_user("buerger@example.org")
    report = guest_report("buerger@example.org")
    client.force_login(user)

    response = client.post("/konto/loeschen/", {"password": "falsch"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Passwort ist nicht korrekt" in html
    assert 'role="alert"' in html
    assert User.objects.filter(pk=user.pk).exists()
    kept = Report.objects.get(pk=report.pk)
    assert (kept.reporter, kept.reporter_email) == (user, "buerger@example.org")
    assert "_auth_user_id" in client.session


def test_deletion_attempts_are_rate_limited(client: Client, make_user: MakeUser) -> None:
    user = make_user()
    client.force_login(user)
    for _attempt in range(10):
        client.post("/konto/loeschen/", {"password": "falsch"})

    # Even the right password is not checked any more once the limit is reached.
    response = client.post("/konto/loeschen/", {"password": PASSWORD})

    assert response.status_code == 429
    assert User.objects.filter(pk=user.pk).exists()


def test_deletion_needs_post(client: Client, make_user: MakeUser) -> None:
    user = make_user()
    client.force_login(user)

    client.get("/konto/loeschen/", {"password": PASSWORD})

    assert User.objects.filter(pk=user.pk).exists()
