import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import assert_accessible, axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_page_loads_in_chromium_and_passes_axe(live_server, page: Page) -> None:
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("heading", level=1).is_visible()
    # The skip link is the first thing a keyboard user reaches, and it leads to the content.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    assert_accessible(page)


def test_axe_check_does_catch_a_violation(live_server, page: Page) -> None:
    # Guard against a check that cannot fail: an image without alt text must be reported.
    page.goto(live_server.url + "/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')"
    )
    ids = {v["id"] for v in axe_violations(page, impacts=("serious", "critical"))}
    assert "image-alt" in ids
