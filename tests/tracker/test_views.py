"""Citizen pages with the Django test client: the form without JavaScript, thanks, tracking,
confirmation, the public report page and the public map's list."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.gis.geos import LineString, Point
from django.core import mail
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts.models import User
from boundaries.models import Level
from geo.models import AssetType
from tests.factories import CategoryFactory, RoadFactory, box, territory
from tracker import services
from tracker.models import Photo, Report, ReportEvent, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def region() -> dict[str, Any]:
    kreis = territory(
        "Landkreis Test", Level.KREIS, box(10.0, 53.0, 10.2, 53.1), email="kreis@example.org"
    )
    heidestadt = territory("Heidestadt", Level.GEMEINDE, box(10.0, 53.0, 10.1, 53.1))
    moordorf = territory("Moordorf", Level.GEMEINDE, box(10.1, 53.0, 10.2, 53.1))
    RoadFactory.create(name="Lindenweg", geom=LineString((10.02, 53.02), (10.04, 53.02)))
    RoadFactory.create(name="Lindenweg", geom=LineString((10.15, 53.05), (10.17, 53.05)))
    RoadFactory.create(name="Birkenallee", geom=LineString((10.05, 53.06), (10.07, 53.06)))
    muell = CategoryFactory.create(slug="wilder-muell", name="Wilder Müll", level=Level.KREIS)
    licht = CategoryFactory.create(
        slug="strassenbeleuchtung",
        name="Straßenbeleuchtung defekt",
        asset_type=AssetType.STREETLIGHT,
    )
    return {
        "kreis": kreis,
        "heidestadt": heidestadt,
        "moordorf": moordorf,
        "muell": muell,
        "licht": licht,
    }


def jpeg(name: str = "foto.jpg") -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def form_data(**fields: Any) -> dict[str, Any]:
    return {
        "place": "Lindenweg, Heidestadt",
        "category": "wilder-muell",
        "description": "Sperrmüll am Wegrand",
        "email": "Buerger@Example.org",
        "name": "Erika Mustermann",
        "phone": "0171 1234567",
        "website": "",
        **fields,
    }


def make_report(region: dict[str, Any], *, confirmed: bool = True, **fields: Any) -> Report:
    report = services.report_create(
        category=fields.pop("category", region["muell"]),
        point=fields.pop("point", Point(10.03, 53.02, srid=4326)),
        description=fields.pop("description", "Sperrmüll am Wegrand"),
        contact=services.Contact(
            email="buerger@example.org", name="Erika Mustermann", phone="0171 1234567"
        ),
    )
    if confirmed:
        report = services.report_confirm(report)
    if fields:
        Report.objects.filter(pk=report.pk).update(**fields)
        report.refresh_from_db()
    return report


def html(response: Any) -> str:
    return response.content.decode()


# --- the report form without JavaScript ----------------------------------------------------


def test_report_page_renders_a_labelled_form_that_works_without_javascript(
    client: Client, region: dict
) -> None:
    response = client.get("/melden/")
    assert response.status_code == 200
    page = html(response)
    assert 'method="post"' in page and 'enctype="multipart/form-data"' in page
    assert "csrftoken" in response.cookies
    for name in ("place", "category", "description", "photos", "email", "name", "phone"):
        assert f'<label for="id_{name}"' in page, name
    assert page.count("<fieldset") >= 4 and page.count("<legend") >= 4
    assert "wird veröffentlicht, bitte keine persönlichen Daten" in page
    assert 'aria-describedby="id_description-hint id_description-error"' in page
    assert re.search(r'<input[^>]*type="file"[^>]*multiple', page)
    # Honeypot: off-screen, hidden from assistive technology, not focusable, no autofill.
    honeypot = re.search(r'<div class="hp-field" aria-hidden="true">.*?</div>', page, re.S)
    assert (
        honeypot
        and 'tabindex="-1"' in honeypot.group()
        and 'autocomplete="off"' in honeypot.group()
    )
    # Every active category is offered; the map is only an enhancement (hidden without JS).
    assert "Wilder Müll" in page and "Straßenbeleuchtung defekt" in page
    assert re.search(r'<section class="map-pane"[^>]*hidden', page)
    # Scripts and styles come from our own static files, never from another host.
    assets = re.findall(r'<script[^>]+src="([^"]+)"|<link[^>]+href="([^"]+)"', page)
    urls = [url for pair in assets for url in pair if url]
    assert any("vendor/leaflet/leaflet.js" in url for url in urls)
    # (and the web app manifest, served by the portal itself)
    assert all(url.startswith("/static/") or url == "/manifest.webmanifest" for url in urls), urls


def test_form_files_a_report_with_a_photo_and_redirects_to_thanks(
    client: Client, region: dict, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/melden/", form_data(photos=[jpeg()]))
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/meldungen/{report.pk}/danke/"
    assert report.source == Report.Source.WEB
    assert report.authority == region["kreis"]
    assert report.address == "Lindenweg, Heidestadt"
    assert report.reporter_email == "buerger@example.org"
    assert report.location.distance(Point(10.03, 53.02)) < 1e-6  # the street's midpoint
    assert Photo.objects.filter(report=report).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["buerger@example.org", "kreis@example.org"]

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    page = html(thanks)
    assert report.reference in page
    assert f"/verfolgen/{report.tracking_token}/" in page
    assert "bestätigen" in page  # guests confirm by email


def test_map_coordinates_win_over_the_typed_place(client: Client, region: dict) -> None:
    response = client.post("/melden/", form_data(place="", lat="53.051", lon="10.161"))
    assert response.status_code == 302
    report = Report.objects.get()
    assert (round(report.location.x, 3), round(report.location.y, 3)) == (10.161, 53.051)


def test_ambiguous_place_offers_a_choice_then_files_the_chosen_one(
    client: Client, region: dict
) -> None:
    response = client.post("/melden/", form_data(place="Lindenweg"))
    assert response.status_code == 400
    assert not Report.objects.exists()
    page = html(response)
    assert 'role="alert"' in page
    assert "Mehrere Orte passen" in page
    radios = re.findall(r'<input type="radio" name="place_choice" value="([^"]+)"', page)
    assert len(radios) == 2
    labels = re.findall(r'<label for="id_place_choice_\d">([^<]+)</label>', page)
    assert labels == ["Lindenweg, Heidestadt (Straße)", "Lindenweg, Moordorf (Straße)"]
    # The form keeps everything already typed in.
    assert "Sperrmüll am Wegrand" in page and "Buerger@Example.org" in page

    chosen = radios[1]
    response = client.post("/melden/", form_data(place="Lindenweg", place_choice=chosen))
    assert response.status_code == 302
    report = Report.objects.get()
    assert round(report.location.x, 2) == 10.16  # Lindenweg in Moordorf


def test_an_unknown_place_is_a_field_error(client: Client, region: dict) -> None:
    response = client.post("/melden/", form_data(place="Gibtsnichtweg"))
    assert response.status_code == 400
    assert "nicht gefunden" in html(response)
    assert not Report.objects.exists()


def test_validation_errors_are_shown_next_to_the_fields_and_summarised(
    client: Client, region: dict
) -> None:
    response = client.post("/melden/", form_data(description="", email="", category=""))
    assert response.status_code == 400
    page = html(response)
    summary = re.search(r'<div class="error-summary"[^>]*role="alert".*?</div>', page, re.S)
    assert summary is not None
    for field in ("category", "description", "email"):
        assert f'href="#id_{field}"' in summary.group()
        error = re.search(rf'<p class="field-error" id="id_{field}-error">(.*?)</p>', page, re.S)
        assert error and error.group(1).strip(), field
        assert re.search(rf'<[^>]*id="id_{field}"[^>]*aria-invalid="true"', page) or re.search(
            rf'<[^>]*aria-invalid="true"[^>]*id="id_{field}"', page
        ), field
    # Without JavaScript the browser moves the focus to the first field to correct.
    assert re.search(r'<select[^>]*autofocus[^>]*id="id_category"', page) or re.search(
        r'<select[^>]*id="id_category"[^>]*autofocus', page
    )
    assert page.count("autofocus") == 1
    assert not Report.objects.exists()


def test_service_errors_become_field_errors(client: Client, region: dict) -> None:
    outside = client.post("/melden/", form_data(place="", lat="48.85", lon="2.35"))
    assert outside.status_code == 400
    assert "außerhalb" in html(outside)
    assert re.search(r'id="id_place-error">\s*<span>[^<]*außerhalb', html(outside))

    not_a_photo = io.BytesIO(b"this is no image")
    not_a_photo.name = "foto.jpg"
    bad_photo = client.post("/melden/", form_data(photos=[not_a_photo]))
    assert bad_photo.status_code == 400
    assert re.search(r'id="id_photos-error">\s*<span>', html(bad_photo))

    too_many = client.post("/melden/", form_data(photos=[jpeg(f"{i}.jpg") for i in range(6)]))
    assert too_many.status_code == 400
    assert "Höchstens 5 Fotos" in html(too_many)
    assert not Report.objects.exists()


def test_the_honeypot_rejects_the_report(client: Client, region: dict) -> None:
    response = client.post("/melden/", form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert "konnte nicht verarbeitet werden" in html(response)
    assert not Report.objects.exists()


def test_logged_in_citizens_report_with_their_account_email(client: Client, region: dict) -> None:
    user = User.objects.create_user("konto@example.org", "geheim-passwort-123")
    client.force_login(user)
    page = html(client.get("/melden/"))
    assert 'name="email"' not in page
    assert "konto@example.org" in page
    response = client.post("/melden/", form_data(email=""))
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.reporter == user
    assert report.reporter_email == "konto@example.org"
    assert report.is_confirmed


def test_the_form_is_rate_limited_per_ip(client: Client, region: dict, settings) -> None:
    settings.REPORT_RATE_PER_IP = "2/h"
    for _ in range(2):
        assert client.post("/melden/", form_data()).status_code == 302
    blocked = client.post("/melden/", form_data())
    assert blocked.status_code == 429
    assert "Zu viele Meldungen" in html(blocked)
    assert Report.objects.count() == 2
    assert client.get("/melden/").status_code == 200  # reading is never limited


def test_the_form_is_rate_limited_per_user(client: Client, region: dict, settings) -> None:
    settings.REPORT_RATE_PER_USER = "1/h"
    client.force_login(User.objects.create_user("viel@example.org", "geheim-passwort-123"))
    assert client.post("/melden/", form_data()).status_code == 302
    assert client.post("/melden/", form_data()).status_code == 429


def test_the_form_needs_the_csrf_token(region: dict) -> None:
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post("/melden/", form_data()).status_code == 403
    assert not Report.objects.exists()


# --- thanks page ---------------------------------------------------------------------------


def test_thanks_page_is_only_for_the_session_that_filed_the_report(
    client: Client, region: dict
) -> None:
    response = client.post("/melden/", form_data())
    report = Report.objects.get()
    assert client.get(response["Location"]).status_code == 200
    assert Client().get(response["Location"]).status_code == 404
    assert client.get(f"/meldungen/{report.pk + 1}/danke/").status_code == 404


def test_thanks_page_works_for_reports_filed_through_the_api_by_the_page(
    client: Client, region: dict
) -> None:
    client.get("/melden/")  # the page sets the CSRF cookie the script sends back
    response = client.post(
        "/api/v1/reports",
        {
            "lat": "53.05",
            "lon": "10.05",
            "category": "wilder-muell",
            "description": "Müll",
            "email": "b@example.org",
            "photos": [jpeg()],
        },
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert response.status_code == 201, response.content
    report_id = response.json()["id"]
    page = client.get(f"/meldungen/{report_id}/danke/")
    assert page.status_code == 200
    assert Report.objects.get(pk=report_id).reference in html(page)
    assert Client().get(f"/meldungen/{report_id}/danke/").status_code == 404


# --- tracking and confirmation --------------------------------------------------------------


def test_tracking_page_shows_status_and_history_but_no_contact_data(
    client: Client, region: dict
) -> None:
    report = make_report(region, confirmed=False)
    ReportEvent.objects.create(report=report, kind="comment", note="Interne Notiz", is_public=False)
    response = client.get(f"/verfolgen/{report.tracking_token}/")
    assert response.status_code == 200
    page = html(response)
    assert report.reference in page
    assert "neu" in page  # status label
    assert "Wilder Müll" in page and "Landkreis Test" in page
    assert "noch nicht bestätigt" in page
    assert "Meldung eingegangen" in page  # the public history
    assert "Interne Notiz" not in page
    for secret in ("buerger@example.org", "Mustermann", "1234567", report.confirmation_token):
        assert secret not in page
    assert 'name="robots" content="noindex"' in page
    assert client.get("/verfolgen/falsch/").status_code == 404


def test_confirming_needs_a_post_and_makes_the_report_public(client: Client, region: dict) -> None:
    report = make_report(region, confirmed=False)
    url = f"/bestaetigen/{report.confirmation_token}/"
    assert client.get(f"/meldungen/{report.pk}/").status_code == 404

    # A link prefetcher or mail scanner only GETs: nothing happens.
    page = client.get(url)
    assert page.status_code == 200
    assert "Meldung bestätigen" in html(page) and 'method="post"' in html(page)
    report.refresh_from_db()
    assert not report.is_confirmed

    # Without the CSRF token a POST is refused.
    assert Client(enforce_csrf_checks=True).post(url).status_code == 403

    done = client.post(url)
    assert done.status_code == 200
    assert "ist bestätigt" in html(done)
    report.refresh_from_db()
    assert report.is_confirmed
    assert client.get(f"/meldungen/{report.pk}/").status_code == 200
    assert "bereits bestätigt" in html(client.get(url))
    assert client.get("/bestaetigen/falsch/").status_code == 404


# --- public pages --------------------------------------------------------------------------


def test_public_report_page_hides_contact_data(client: Client, region: dict) -> None:
    report = make_report(region, supporter_count=3)
    ReportEvent.objects.create(
        report=report, kind="comment", note="Wird nächste Woche abgeholt.", is_public=True
    )
    response = client.get(f"/meldungen/{report.pk}/")
    assert response.status_code == 200
    page = html(response)
    for shown in (
        "Wilder Müll",
        "neu",
        "Sperrmüll am Wegrand",
        report.reference,
        "Wird nächste Woche abgeholt.",
        "3 weitere Personen",
    ):
        assert shown in page, shown
    for secret in ("buerger@example.org", "Mustermann", "1234567", "_token", "Lindenweg"):
        assert secret not in page, secret
    assert "53.0200" in page  # only the approximate position


def test_unconfirmed_reports_have_no_public_page(client: Client, region: dict) -> None:
    report = make_report(region, confirmed=False)
    assert client.get(f"/meldungen/{report.pk}/").status_code == 404


def test_public_map_lists_filtered_reports_without_javascript(
    client: Client, region: dict, django_assert_max_num_queries
) -> None:
    make_report(region, description="Offener Fall")
    make_report(region, description="Erledigter Fall", status=Status.DONE)
    make_report(region, description="Alter Fall", created_at=timezone.now() - timedelta(days=40))
    make_report(region, description="Unbestätigt", confirmed=False)
    with django_assert_max_num_queries(8):
        page = html(client.get("/karte/"))
    assert "3 Meldungen" in page
    assert "Unbestätigt" not in page
    done = html(client.get("/karte/", {"status": "done"}))
    assert "Erledigter Fall" in done and "Offener Fall" not in done
    open_ = html(client.get("/karte/", {"status": "open"}))
    assert "Offener Fall" in open_ and "Erledigter Fall" not in open_
    recent = html(client.get("/karte/", {"period": "30"}))
    assert "Alter Fall" not in recent and "Offener Fall" in recent
    # Nonsense filters fall back to "all" instead of failing.
    assert client.get("/karte/", {"status": "x", "period": "2", "category": "?"}).status_code == 200


def test_reports_api_filters_by_since(client: Client, region: dict) -> None:
    make_report(region, description="neu")
    make_report(region, description="alt", created_at=timezone.now() - timedelta(days=40))

    def descriptions(**params: str) -> list[str]:
        response = client.get("/api/v1/reports", params)
        assert response.status_code == 200, response.content
        return sorted(f["properties"]["description"] for f in response.json()["features"])

    assert descriptions() == ["alt", "neu"]
    assert descriptions(since="30") == ["neu"]
    assert descriptions(since="365") == ["alt", "neu"]
    old = (timezone.now() - timedelta(days=50)).date().isoformat()
    assert descriptions(since=old) == ["alt", "neu"]
    assert descriptions(since=timezone.now().isoformat()) == []
    for bad in ("gestern", "0", "-5", "2026-13-45"):
        response = client.get("/api/v1/reports", {"since": bad})
        assert response.status_code == 400, bad
        assert response.json()["since"]


def test_home_page_has_the_two_entry_points_and_account_links(client: Client, region: dict) -> None:
    page = html(client.get("/"))
    assert 'href="/melden/"' in page and 'href="/karte/"' in page
    assert "Mangel melden" in page and "Karte der Meldungen" in page
    assert 'href="/konto/anliegen/"' in page and 'href="/konto/login/"' in page
    assert 'action="/konto/logout/"' not in page
    client.force_login(User.objects.create_user("nav@example.org", "geheim-passwort-123"))
    page = html(client.get("/"))
    assert 'action="/konto/logout/"' in page and "Abmelden" in page
    assert 'href="/konto/login/"' not in page


def test_a_signed_in_citizen_follows_and_unfollows_from_the_public_page(
    client: Client, region: dict
) -> None:
    from notifications.models import Follow

    report = make_report(region)
    anonymous = html(client.get(f"/meldungen/{report.pk}/"))
    assert "Melden Sie sich an, um Neuigkeiten" in anonymous
    user = User.objects.create_user("neugierig@example.org", "geheim-passwort-123")
    client.force_login(user)
    page = client.get(f"/meldungen/{report.pk}/")
    assert "Neuigkeiten per E-Mail erhalten" in html(page)
    # The box (a notifications template tag) posts with the page's CSRF token.
    box = re.search(r'<section class="follow-box".*?</section>', html(page), re.DOTALL)
    assert box is not None and 'name="csrfmiddlewaretoken"' in box.group(0)
    action = f"/konto/benachrichtigungen/meldungen/{report.pk}/folgen/"
    assert client.post(action).status_code == 302
    assert Follow.objects.filter(report=report, user=user).exists()
    assert "Keine Neuigkeiten mehr erhalten" in html(client.get(f"/meldungen/{report.pk}/"))
    client.post(action, {"unfollow": "1"})
    assert not Follow.objects.filter(report=report, user=user).exists()
