"""Report photos are served by the app with permissions (core.media + tracker.media), from
local disk and from S3-compatible object storage (a real moto server on loopback)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.test import Client, override_settings
from django.utils import timezone
from PIL import Image

from core import media
from tracker import services
from tracker.models import Photo, Report

from .staff.fixtures import World


def jpeg() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "foto.jpg"
    return buffer


def report_with_photo(world: World, **fields: Any) -> tuple[Report, Photo]:
    report = services.report_create(
        category=world.category,
        point=Point(10.1, 53.05, srid=4326),
        description="Schlagloch mit Foto",
        contact=services.Contact(email="buerger@example.org"),
        photos=[jpeg()],
    )
    Report.objects.filter(pk=report.pk).update(**fields)
    return report, report.photos.get()


def url(name: str) -> str:
    return f"/media/{name}"


def test_an_unreleased_photo_is_hidden_from_the_public(client: Client, world: World) -> None:
    _report, photo = report_with_photo(world)
    assert client.get(url(photo.image.name)).status_code == 404
    assert client.get(url(photo.thumbnail.name)).status_code == 404


def test_a_released_photo_of_a_public_report_is_public_and_cacheable(
    client: Client, world: World
) -> None:
    _report, photo = report_with_photo(world, confirmed_at=timezone.now())
    Photo.objects.filter(pk=photo.pk).update(is_public=True)
    response = client.get(url(photo.thumbnail.name))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # type: ignore[attr-defined]


def test_staff_of_the_authority_see_unreleased_photos_others_do_not(
    client: Client, world: World
) -> None:
    _report, photo = report_with_photo(world)
    client.force_login(world.dispatcher)
    response = client.get(url(photo.image.name))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(world.gemeinde_dispatcher)  # another authority
    assert client.get(url(photo.image.name)).status_code == 404


def test_the_tracking_page_links_work_and_a_tampered_signature_does_not(
    client: Client, world: World
) -> None:
    report, photo = report_with_photo(world)
    page = client.get(f"/verfolgen/{report.tracking_token}/").content.decode()
    links = re.findall(r'(?:href|src)="(/media/[^"]+)"', page)
    assert len(links) == 2
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200
    token = media.sign(photo.image.name)
    assert client.get(f"{url(photo.image.name)}?t={token}").status_code == 200
    assert client.get(f"{url(photo.image.name)}?t={token[:-2]}xx").status_code == 404
    other = media.sign(photo.thumbnail.name)  # a signature is for one file only
    assert client.get(f"{url(photo.image.name)}?t={other}").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["../config/settings/base.py", "photos/../../manage.py", "elsewhere/x.jpg", "photos/%00.jpg"],
)
def test_nothing_outside_the_rules_is_served(client: Client, world: World, path: str) -> None:
    assert client.get(f"/media/{path}").status_code == 404


# ---- S3-compatible object storage -----------------------------------------------------------


@pytest.fixture
def s3_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    yield endpoint
    server.stop()


def test_photos_on_s3_storage_are_stored_there_and_served_by_the_app(
    client: Client, world: World, s3_server: str
) -> None:
    import boto3

    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    s3 = boto3.client("s3", endpoint_url=s3_server, region_name="eu-central-1", **credentials)
    s3.create_bucket(
        Bucket="media", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    storages = {
        "default": {
            "BACKEND": "core.storage.AppServedS3Storage",
            "OPTIONS": {
                "bucket_name": "media",
                "endpoint_url": s3_server,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "eu-central-1",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        _report, photo = report_with_photo(world)
        stored = {item["Key"] for item in s3.list_objects_v2(Bucket="media")["Contents"]}
        assert {photo.image.name, photo.thumbnail.name} <= stored
        assert photo.image.url == f"/media/{photo.image.name}"  # served by the app
        client.force_login(world.dispatcher)
        response = client.get(photo.image.url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        original = s3.get_object(Bucket="media", Key=photo.image.name)["Body"].read()
        assert body == original
        client.logout()
        assert client.get(photo.image.url).status_code == 404
