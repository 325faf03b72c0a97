"""New plans are listed with the site's other feeds and linked on the participation pages."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_plans_feed_is_on_the_feed_page_and_linked_from_the_plan_list() -> None:
    overview = Client().get("/feeds/").content.decode()
    assert "Neue Bebauungspläne in der Auslegung" in overview
    assert "/beteiligung/neu.rss" in overview
    listing = Client().get("/beteiligung/").content.decode()
    assert '<link rel="alternate"' in listing
    assert "/beteiligung/neu.rss" in listing
