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


def _photo(report_id: int, *, hours_ago: float, redacted: bool) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from tracker.models import Photo

    now = timezone.now()
    photo = Photo.objects.create(
        report_id=report_id,
        image="photos/2026/12/waiting.jpg",
        thumbnail="photos/2026/12/thumbs/waiting.jpg",
        content_type="image/jpeg",
        width=64,
        height=48,
        sha256="0" * 64,
        redacted_at=now if redacted else None,
    )
    Photo.objects.filter(pk=photo.pk).update(created_at=now - timedelta(hours=hours_ago))


@pytest.mark.django_db
def test_healthz_warns_staff_of_photos_waiting_for_redaction(client: Client) -> None:
    from accounts.models import User
    from tests.factories import ReportFactory

    report = ReportFactory.create()
    _photo(report.pk, hours_ago=5, redacted=True)  # done long ago: not a backlog
    _photo(report.pk, hours_ago=0.1, redacted=False)
    staff = User.objects.create_user(email="admin@example.org", password="x", is_staff=True)
    client.force_login(staff)

    body = client.get("/healthz").json()
    assert body["photos_unredacted"]["count"] == 1
    assert 300 <= body["photos_unredacted"]["oldest_seconds"] <= 400
    assert body["outbox_due"] == {"count": 0, "oldest_seconds": None}
    assert body["warnings"] == []

    # An hour without a worker for the queue "images": monitoring is told, the portal serves.
    _photo(report.pk, hours_ago=1, redacted=False)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["photos_unredacted"]["count"] == 2
    assert body["photos_unredacted"]["oldest_seconds"] >= 3600
    assert body["warnings"] == ["photos_unredacted"]


@pytest.mark.django_db
def test_healthz_counts_due_outbox_deliveries_for_staff(client: Client) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User
    from outbox.models import OutboxMessage

    now = timezone.now()
    for key, due in (("a", now - timedelta(hours=2)), ("b", now + timedelta(hours=1))):
        OutboxMessage.objects.create(kind="email", idempotency_key=key, next_attempt_at=due)
    OutboxMessage.objects.create(
        kind="email", idempotency_key="c", next_attempt_at=now - timedelta(days=1), status="sent"
    )
    client.force_login(User.objects.create_user(email="a@example.org", password="x", is_staff=True))

    body = client.get("/healthz").json()
    # The one retried later is not due yet, the one sent is done.
    assert body["outbox_due"]["count"] == 1
    assert body["outbox_due"]["oldest_seconds"] >= 7200
    assert body["warnings"] == ["outbox_due"]


@pytest.mark.django_db
def test_healthz_counts_messages_waiting_in_the_celery_queues(client: Client) -> None:
    import uuid

    from accounts.models import User
    from config.celery import app as celery_app

    queue = f"images-test-{uuid.uuid4().hex[:8]}"  # no worker of the test run consumes it
    client.force_login(User.objects.create_user(email="a@example.org", password="x", is_staff=True))
    with override_settings(IMAGES_QUEUE=queue):
        assert client.get("/healthz").json()["queues"][queue] == 0
        with celery_app.connection_for_write() as conn:
            waiting = conn.SimpleQueue(queue)
            waiting.put({"photo": 1})
            waiting.put({"photo": 2})
            try:
                assert client.get("/healthz").json()["queues"][queue] == 2
            finally:
                waiting.clear()
                waiting.close()


@pytest.mark.django_db
def test_healthz_shows_monitoring_the_details_with_the_right_token_only(client: Client) -> None:
    with override_settings(HEALTHZ_TOKEN="s3cret-monitoring-token"):
        seen = client.get("/healthz", HTTP_AUTHORIZATION="Bearer s3cret-monitoring-token").json()
        assert seen["postgis"].startswith("3.")
        assert set(seen) >= {"outbox_due", "photos_unredacted", "queues", "warnings"}
        wrong = client.get("/healthz", HTTP_AUTHORIZATION="Bearer s3cret-monitoring-tokeN").json()
        assert wrong == {"status": "ok", "database": "ok", "redis": "ok"}
    # No token configured: an empty bearer shows nothing either.
    with override_settings(HEALTHZ_TOKEN=""):
        empty = client.get("/healthz", HTTP_AUTHORIZATION="Bearer ").json()
        assert empty == {"status": "ok", "database": "ok", "redis": "ok"}


@pytest.mark.django_db
def test_healthz_details_say_unknown_queues_when_redis_is_down(client: Client) -> None:
    down = "redis://127.0.0.1:1/0"
    with override_settings(HEALTHZ_TOKEN="t0ken", REDIS_URL=down, CELERY_BROKER_URL=down):
        response = client.get("/healthz", HTTP_AUTHORIZATION="Bearer t0ken")
    assert response.status_code == 503
    body = response.json()
    assert body["redis"] == "down"
    assert body["queues"] == {"celery": None, "images": None}
    assert body["photos_unredacted"] == {"count": 0, "oldest_seconds": None}
