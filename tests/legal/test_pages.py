"""Impressum, Datenschutz, Barrierefreiheit, Leichte Sprache: linked everywhere, editable."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from legal.markup import render
from legal.models import LegalPage

pytestmark = pytest.mark.django_db
PAGES = {
    "/impressum/": "Impressum",
    "/datenschutz/": "Datenschutzerklärung",
    "/barrierefreiheit/": "Erklärung zur Barrierefreiheit",
    "/leichte-sprache/": "Leichte Sprache",
}


def test_every_page_links_the_four_legal_pages_in_its_footer(client: Client) -> None:
    for path in ["/", "/karte/", "/melden/", "/konto/login/", "/gibt-es-nicht/"]:
        html = client.get(path).content.decode()
        footer = html.split('<footer class="site-footer">', 1)[1]
        for legal_path in PAGES:
            assert f'href="{legal_path}"' in footer, (path, legal_path)


@pytest.mark.parametrize(("path", "title"), PAGES.items())
def test_legal_pages_show_the_shipped_german_text(client: Client, path: str, title: str) -> None:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="de")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in html
    assert "<h2>" in html


def test_privacy_statement_lists_what_is_stored_and_the_rights(client: Client) -> None:
    html = client.get("/datenschutz/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    for fact in [
        "Fotos",
        "Telefonnummer",
        "Bürgerkonto",
        "Anhänge",
        "Postfach",
        "Gebietsalarm",
        "nach 30 Tagen gelöscht",
        "IP-Adresse",
        "Art. 6 Abs. 1 Buchstabe e DSGVO",
        "Open311",
        "Webhook",
        "Art. 15 DSGVO",
        "Art. 21 DSGVO",
        "Art. 77 DSGVO",
    ]:
        assert fact in html, fact


def test_accessibility_statement_names_the_law_limits_and_enforcement(client: Client) -> None:
    html = client.get("/barrierefreiheit/").content.decode()
    for fact in ["BITV 2.0", "(EU) 2016/2102", "Nicht barrierefreie Inhalte", "Schlichtung"]:
        assert fact in html, fact


def test_the_operators_text_replaces_the_default_and_is_escaped(client: Client) -> None:
    LegalPage.objects.create(
        kind="impressum",
        text_de="# Anbieter\nLandkreis Musterkreis\npost@musterkreis.example\n\n<script>x</script>",
    )
    html = client.get("/impressum/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "<h2>Anbieter</h2>" in html
    assert "Landkreis Musterkreis<br>" in html
    assert '<a href="mailto:post@musterkreis.example">' in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>x</script>" not in html
    assert "[Name der Behörde" not in html


def test_english_visitors_see_english_text_or_the_operators_german_one(client: Client) -> None:
    default_en = client.get("/impressum/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This portal (Mängelmelder) is operated by" in default_en

    page = LegalPage.objects.create(kind="impressum", text_de="Landkreis Musterkreis")
    assert (
        "Landkreis Musterkreis"
        in client.get("/impressum/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    page.text_en = "District of Musterkreis"
    page.save()
    html = client.get("/impressum/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "District of Musterkreis" in html


def test_administrators_edit_the_texts_in_the_admin_starting_from_the_default(
    client: Client,
) -> None:
    client.force_login(User.objects.create_superuser(email="admin@example.org", password="x"))
    page = client.get("/datenschutz/").content.decode()
    assert "Rechtliche Seiten bearbeiten" in page
    add = client.get("/admin/legal/legalpage/add/?kind=datenschutz")
    assert add.status_code == 200
    assert "Art. 15 DSGVO" in add.content.decode()
    saved = client.post(
        "/admin/legal/legalpage/add/",
        {"kind": "datenschutz", "text_de": "# Verantwortlich\nStadt Beispiel", "text_en": ""},
    )
    assert saved.status_code == 302
    assert "Stadt Beispiel" in Client().get("/datenschutz/").content.decode()


def test_visitors_do_not_see_the_edit_hint(client: Client) -> None:
    assert "Rechtliche Seiten bearbeiten" not in client.get("/impressum/").content.decode()


def test_markup_format() -> None:
    text = (
        "# Titel\n## Unter <b>\nZeile eins\nZeile zwei\n\n- a & b\n- https://example.org/x\nSchluss"
    )
    assert render(text) == (
        "<h2>Titel</h2>\n<h3>Unter &lt;b&gt;</h3>\n<p>Zeile eins<br>Zeile zwei</p>\n"
        '<ul><li>a &amp; b</li><li><a href="https://example.org/x">https://example.org/x</a>'
        "</li></ul>\n<p>Schluss</p>"
    )
    assert render('javascript:alert(1) "><img src=x onerror=y>') == (
        "<p>javascript:alert(1) &quot;&gt;&lt;img src=x onerror=y&gt;</p>"
    )


def test_privacy_statement_lists_every_activity_of_the_record(client: Client) -> None:
    """The page reads the record of processing activities (privacy.record), the same source
    as docs/privacy.md: every activity with its purpose, recipients and periods."""
    from django.utils.html import escape

    from privacy import record

    html = client.get("/datenschutz/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    activities = record.activities()
    assert len(activities) >= 8
    for activity in activities:
        assert f'id="verarbeitung-{activity.key}"' in html, activity.key
        assert escape(activity.title) in html, activity.key
        assert escape(activity.purpose) in html, activity.key
        assert escape(activity.recipients) in html, activity.key
        assert escape(record.period_text(activity)) in html, activity.key
    english = client.get("/datenschutz/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Processing activities in detail" in english
    assert escape(activities[0].purpose) in english  # the record itself is German (lang="de")
