"""POST /api/v1/reports with an Idempotency-Key: a phone that sends an offline report twice
(Background Sync and the page's own retry, a lost response) files it exactly once."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from typing import Any

import pytest
import yaml
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tracker.models import IdempotencyKey, Photo, Report
from tracker.tasks import purge_idempotency_keys

from .test_api import INSIDE, jpeg_bytes, region, upload  # noqa: F401 - region is a fixture

pytestmark = pytest.mark.usefixtures("region")

FIELDS = {
    **INSIDE,
    "category": "wilder-muell",
    "description": "Sperrmüll am Waldrand",
    "email": "buerger@example.org",
}


def post(client: Client, key: str | None, photo: bytes | None = None, **fields: Any) -> Any:
    data: dict[str, Any] = {**FIELDS, **fields}
    if photo is not None:
        data["photos"] = [upload("schaden.jpg", photo)]
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post("/api/v1/reports", data, headers=headers)


@pytest.mark.django_db
def test_same_key_twice_files_one_report_and_replays_the_first_answer() -> None:
    key = str(uuid.uuid4())
    photo = jpeg_bytes()
    first = post(Client(), key, photo)
    second = post(Client(), key, photo)
    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in first
    assert second["Idempotent-Replayed"] == "true"
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["authority"]["name"] == "Landkreis Test"
    assert second.json()["tracking_url"] == first.json()["tracking_url"]
    assert Report.objects.count() == 1
    assert Photo.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_another_report_is_refused_with_a_message() -> None:
    key = str(uuid.uuid4())
    assert post(Client(), key, jpeg_bytes()).status_code == 201
    other_text = post(Client(), key, jpeg_bytes(), description="Schlagloch")
    other_photo = post(Client(), key, jpeg_bytes((80, 60)))
    for response in (other_text, other_photo):
        assert response.status_code == 422
        assert "andere Meldung verwendet" in response.json()["detail"]
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_without_a_key_every_post_is_a_new_report() -> None:
    assert post(Client(), None).status_code == 201
    assert post(Client(), None).status_code == 201
    assert Report.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_a_malformed_key_is_a_clear_400() -> None:
    response = post(Client(), "nicht-eine-uuid")
    assert response.status_code == 400
    assert "UUID" in response.json()["Idempotency-Key"][0]
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_failed_request_keeps_no_key_so_the_fixed_retry_is_filed() -> None:
    key = str(uuid.uuid4())
    refused = post(Client(), key, lat="48.0", lon="11.0")  # outside the service area
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert post(Client(), key).status_code == 201
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_key_of_a_deleted_report_is_not_reused() -> None:
    key = str(uuid.uuid4())
    post(Client(), key)
    Report.objects.all().delete()
    response = post(Client(), key)
    assert response.status_code == 422
    assert "gibt es nicht mehr" in response.json()["detail"]
    assert not Report.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_with_one_key_file_one_report() -> None:
    """Four requests with one key at the same moment: the unique constraint makes three wait
    for the first and then answer with its report."""
    key, photo = str(uuid.uuid4()), jpeg_bytes()
    barrier = threading.Barrier(4)
    answers: list[tuple[int, int, bool]] = []

    def send() -> None:
        try:
            barrier.wait()
            response = post(Client(), key, photo)
            answers.append(
                (response.status_code, response.json()["id"], "Idempotent-Replayed" in response)
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Report.objects.count() == 1
    report_id = Report.objects.get().pk
    assert sorted(answers) == [(201, report_id, False)] + [(201, report_id, True)] * 3


@pytest.mark.django_db
def test_beat_purges_keys_after_the_retention_period(settings: Any) -> None:
    settings.IDEMPOTENCY_KEY_RETENTION_DAYS = 30
    old, new = str(uuid.uuid4()), str(uuid.uuid4())
    post(Client(), old)
    post(Client(), new, description="Noch ein Schaden")
    IdempotencyKey.objects.filter(key=old).update(created_at=timezone.now() - timedelta(days=31))
    assert purge_idempotency_keys() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == [uuid.UUID(new)]
    assert Report.objects.count() == 2  # the reports stay


@pytest.mark.django_db
def test_the_openapi_schema_documents_the_header() -> None:
    schema = yaml.safe_load(Client().get(reverse("api:schema")).content)
    parameters = schema["paths"]["/api/v1/reports"]["post"]["parameters"]
    header = next(p for p in parameters if p["name"] == "Idempotency-Key")
    assert header["in"] == "header"
    assert header["schema"]["format"] == "uuid"
    assert "422" in schema["paths"]["/api/v1/reports"]["post"]["responses"]
