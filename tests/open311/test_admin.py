"""Admin: a key is issued with its plain value shown once, stored hashed, and revocable;
attributes are edited inline on the Open311 service."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from accounts.models import User
from tracker.open311.models import ApiKey, ServiceAttribute
from tracker.open311.services import api_key_authenticate

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    user = User.objects.create_superuser(email="admin@example.org", password="geheim-123")
    client.force_login(user)
    return client


def test_issue_shows_the_key_once_and_revoke(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/open311/apikey/add/",
        {"name": "FixMyStreet Testdorf", "contact": "it@example.org", "is_active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    key = ApiKey.objects.get()
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    shown = next(t for t in texts if "FixMyStreet Testdorf" in t and key.prefix in t)
    raw = next(word for word in shown.split() if word.startswith(key.prefix))
    assert api_key_authenticate(raw) == key
    assert raw not in admin_client.get(f"/admin/open311/apikey/{key.pk}/change/").content.decode()

    admin_client.post(
        "/admin/open311/apikey/",
        {"action": "revoke", "_selected_action": [key.pk]},
        follow=True,
    )
    key.refresh_from_db()
    assert key.revoked_at is not None and not key.is_active
    assert api_key_authenticate(raw) is None


def test_service_admin_lists_categories_with_attribute_inline(
    admin_client: Client, region: dict
) -> None:
    laterne = region["laterne"]
    page = admin_client.get(f"/admin/open311/service/{laterne.pk}/change/")
    assert page.status_code == 200
    assert "mast" in page.content.decode()
    assert admin_client.get("/admin/open311/service/").status_code == 200
    assert ServiceAttribute.objects.filter(category=laterne).count() == 7


def test_list_attribute_without_values_is_invalid(region: dict) -> None:
    from django.core.exceptions import ValidationError

    attribute = ServiceAttribute(
        category=region["muell"], code="art", datatype="singlevaluelist", order=1, description="?"
    )
    with pytest.raises(ValidationError):
        attribute.full_clean()
    attribute.values = [{"key": "a", "name": "A"}, {"key": "a", "name": "B"}]
    with pytest.raises(ValidationError):
        attribute.full_clean()
    attribute.values = [{"key": "a", "name": "A"}]
    attribute.full_clean()
