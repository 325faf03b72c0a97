import pytest
from django.test import Client, override_settings


@pytest.mark.django_db
def test_healthz_reports_database_postgis_and_redis(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["redis"] == "ok"
    assert body["postgis"].startswith("3.")


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
