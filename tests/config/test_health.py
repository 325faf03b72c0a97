import pytest
from django.test import Client, override_settings


@pytest.mark.django_db
def test_healthz_reports_database_and_redis_without_versions_to_anyone(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body == {"status": "ok", "database": "ok", "redis": "ok"}


@pytest.mark.django_db
def test_healthz_shows_the_postgis_version_to_staff_only(client: Client) -> None:
    from accounts.models import User

    citizen = User.objects.create_user(email="buerger@example.org", password="x")
    client.force_login(citizen)
    assert "postgis" not in client.get("/healthz").json()

    staff = User.objects.create_user(email="admin@example.org", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get("/healthz").json()["postgis"].startswith("3.")


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_unreachable(client: Client) -> None:
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["redis"] == "down"
    assert body["database"] == "ok"


@pytest.mark.django_db
def test_healthz_refuses_post(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
