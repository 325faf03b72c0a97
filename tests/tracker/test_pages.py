import pytest
from django.test import Client


@pytest.mark.django_db
def test_home_page_is_german_by_default_with_skip_link_and_landmarks(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<nav" in html and "<footer" in html
    assert "Mängel melden" in html


@pytest.mark.django_db
def test_home_page_speaks_english_when_the_browser_asks(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Report problems" in html
