"""The portal's identity: the operating authority's name, logo and colours on every page and
in every mail; a town with its own identity on its pages and its reports' mails; colours
refused in the admin when their contrast is too low."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory

from boundaries.admin import AuthorityAdmin
from boundaries.colours import contrast
from boundaries.models import Authority
from notifications import emails
from tests.tracker.staff.fixtures import World, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: Any) -> World:
    world = make_world()
    settings.OPERATING_AUTHORITY = world.kreis.slug
    world.kreis.portal_name = "Mängelmelder Heide"
    world.kreis.colour = "#1d4f91"
    world.kreis.secondary_colour = "#2e7d32"
    world.kreis.logo_static = "data/logos/landkreis-heideland.svg"
    world.kreis.save()
    return world


def test_every_page_carries_the_operators_identity(client: Client, world: World) -> None:
    for url in ("/", "/dienstleistungen/", "/konto/login/"):
        html = client.get(url).content.decode()
        assert "– Mängelmelder Heide</title>" in html or "<title>Mängelmelder Heide</title>" in html
        assert '<span class="brand-name">Mängelmelder Heide</span>' in html
        assert '<span class="brand-authority">Landkreis Heide</span>' in html
        assert "/static/data/logos/landkreis-heideland.svg" in html
        assert "--accent: #1d4f91;" in html and 'content="#1d4f91"' in html
        assert "Mängelmelder Heide wird betrieben von Landkreis Heide." in html
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert manifest["name"] == "Mängelmelder Heide"
    assert manifest["theme_color"] == "#1d4f91"


def test_a_town_with_its_own_identity_brands_its_pages(client: Client, world: World) -> None:
    town = world.gemeinde
    town.own_identity = True
    town.colour = "#7b2d8e"
    town.save()
    html = client.get(f"/stelle/{town.slug}/").content.decode()
    assert "--accent: #7b2d8e;" in html
    assert '<span class="brand-authority">Gemeinde Moor</span>' in html
    assert "Diese Seite: Gemeinde Moor." in html
    # Its reports' pages too; the Kreis's reports and other pages stay the operator's.
    world.category.level = "gemeinde"
    world.category.save()
    report = world.report()
    assert report.authority == town
    assert "--accent: #7b2d8e;" in client.get(f"/meldungen/{report.pk}/").content.decode()
    tracking = client.get(f"/verfolgen/{report.tracking_token}/").content.decode()
    assert "--accent: #7b2d8e;" in tracking
    assert "--accent: #1d4f91;" in client.get("/").content.decode()
    # Saving the operator changes the pages at once (the cache is dropped).
    world.kreis.portal_name = "Heide meldet"
    world.kreis.save()
    assert '<span class="brand-name">Heide meldet</span>' in client.get("/").content.decode()


def test_mails_carry_the_identity_of_the_reports_authority(world: World) -> None:
    report = world.report()
    payload = emails.render("a@example.org", "report_received", {"report": report}, "de", "x")
    assert "Mängelmelder Heide" in payload["html"] and "background:#1d4f91" in payload["html"]
    assert "Sie erhalten diese E-Mail von Mängelmelder Heide (Landkreis Heide)." in payload["text"]
    Authority.objects.filter(pk=world.kreis.pk).update(own_identity=False)
    town = world.gemeinde
    town.own_identity = True
    town.colour = "#7b2d8e"
    town.save()
    report.authority = town
    payload = emails.render("a@example.org", "report_received", {"report": report}, "de", "x")
    assert "background:#7b2d8e" in payload["html"] and "Gemeinde Moor" in payload["html"]


def test_admin_refuses_colours_with_low_contrast(world: World) -> None:
    admin = AuthorityAdmin(Authority, site)
    request = RequestFactory().get("/admin/")
    request.user = world.admin
    form_class = admin.get_form(request, world.kreis)
    data = {
        "name": world.kreis.name,
        "slug": world.kreis.slug,
        "level": world.kreis.level,
        "colour": "#ffbf47",
        "secondary_colour": "#eeeeee",
        "is_active": "on",
    }
    form = form_class(data=data, instance=world.kreis)
    assert not form.is_valid()
    assert "nur ein Kontrastverhältnis von 1.6:1" in str(form.errors["colour"])
    assert "mindestens 4.5:1" in str(form.errors["colour"])
    assert "mindestens 3.0:1" in str(form.errors["secondary_colour"])
    good = form_class(
        data={**data, "colour": "#00508c", "secondary_colour": "#2e7d32"}, instance=world.kreis
    )
    assert good.is_valid(), good.errors


def test_contrast_formula_matches_wcag() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54
