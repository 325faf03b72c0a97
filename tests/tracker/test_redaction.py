"""Photo redaction (issue 21): faces and number plates are blurred in the public version of a
photo; the original stays with staff. The test images are made here: a schematic face and a
number plate drawn with Pillow, which OpenCV's bundled cascades find, on a photo-like
background."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from django.contrib.gis.geos import Point
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from core import redaction
from tracker import services
from tracker.models import Photo, Report, ReportEvent
from tracker.services import moderation
from tracker.services import redaction as photo_redaction

from .staff.fixtures import World
from .test_moderation import API, client_for

FACE = (300, 100, 200)  # left, top, width of the drawn face (height 1.25 x width)
PLATE = (560, 470, 300)  # left, top, width of the drawn plate (height ~0.22 x width)


def _face(size: int) -> Image.Image:
    image = Image.new("RGB", (size, round(size * 1.25)), (90, 90, 100))
    draw = ImageDraw.Draw(image)
    w, h = image.size
    draw.ellipse([w * 0.1, h * 0.05, w * 0.9, h * 0.95], fill=(225, 190, 165))
    for cx in (0.33, 0.67):
        draw.ellipse([w * (cx - 0.12), h * 0.22, w * (cx + 0.12), h * 0.27], fill=(60, 40, 30))
        draw.ellipse([w * (cx - 0.09), h * 0.32, w * (cx + 0.09), h * 0.40], fill=(40, 30, 30))
    draw.polygon(
        [(w * 0.5, h * 0.4), (w * 0.43, h * 0.6), (w * 0.57, h * 0.6)], fill=(200, 165, 140)
    )
    draw.ellipse([w * 0.35, h * 0.70, w * 0.65, h * 0.78], fill=(120, 50, 50))
    return image.filter(ImageFilter.GaussianBlur(size / 60))


def _plate(width: int) -> Image.Image:
    image = Image.new("RGB", (520, 112), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 519, 111], outline="black", width=6)
    font = ImageFont.load_default(size=84)
    draw.text((260, 56), "B AB 1234", fill=(20, 20, 20), font=font, anchor="mm")
    return image.resize((width, round(width * 112 / 520)))


def scene(face: bool = True, plate: bool = True) -> bytes:
    """A 1000 x 700 street-like picture: a grey gradient with a kerb line, a face, a plate."""
    ramp = np.linspace(95, 165, 1000, dtype=np.float64)
    grey = np.tile(ramp, (700, 1)).astype(np.uint8)
    image = Image.fromarray(np.stack([grey, grey, grey + 8], axis=2), "RGB")
    ImageDraw.Draw(image).rectangle([0, 640, 999, 660], fill=(70, 70, 70))
    if face:
        image.paste(_face(FACE[2]), FACE[:2])
    if plate:
        image.paste(_plate(PLATE[2]), PLATE[:2])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def upload(data: bytes) -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = "strasse.jpg"
    return buffer


def pixels(name: str) -> np.ndarray[Any, Any]:
    with default_storage.open(name, "rb") as handle, Image.open(handle) as image:
        return np.asarray(image.convert("RGB"), dtype=np.int16)


def difference(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any], box: tuple[int, ...]) -> float:
    x, y, w, h = box
    return float(np.abs(a[y : y + h, x : x + w] - b[y : y + h, x : x + w]).mean())


def outside(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any], boxes: list[dict[str, Any]]) -> float:
    mask = np.ones(a.shape[:2], dtype=bool)
    for box in boxes:
        mask[box["y"] : box["y"] + box["h"], box["x"] : box["x"] + box["w"]] = False
    return float(np.abs(a - b)[mask].mean())


def box_of(entry: dict[str, Any]) -> tuple[int, int, int, int]:
    return (entry["x"], entry["y"], entry["w"], entry["h"])


def covers(entry: dict[str, Any], x: int, y: int, w: int, h: int) -> bool:
    return (
        entry["x"] <= x
        and entry["y"] <= y
        and entry["x"] + entry["w"] >= x + w
        and entry["y"] + entry["h"] >= y + h
    )


def file_report(world: World, data: bytes, capture: Any) -> tuple[Report, Photo]:
    """A citizen's report with one photo; the redaction task runs after the commit."""
    with capture(execute=True):
        report = services.report_create(
            category=world.category,
            point=Point(10.1, 53.05, srid=4326),
            description="Falschparker auf dem Radweg",
            contact=services.Contact(email="buerger@example.org"),
            photos=[upload(data)],
        )
    report = services.report_confirm(report)
    return report, report.photos.get()


# --- the detector ----------------------------------------------------------------------------


def test_the_bundled_cascades_find_the_face_and_the_plate_of_the_test_image() -> None:
    boxes = redaction.detect(scene())
    labels = sorted(box.label for box in boxes)
    assert labels == ["face", "plate"]
    face = next(b.as_dict() for b in boxes if b.label == "face")
    plate = next(b.as_dict() for b in boxes if b.label == "plate")
    # The padded boxes cover the eyes-to-mouth part of the face and the whole plate.
    assert covers(face, FACE[0] + 40, FACE[1] + 70, 120, 120)
    assert covers(plate, PLATE[0] + 10, PLATE[1] + 10, PLATE[2] - 20, 40)
    assert all(isinstance(v, int) for b in boxes for v in (b.x, b.y, b.w, b.h))


def test_the_detector_marks_nothing_on_a_picture_without_faces_or_plates() -> None:
    assert redaction.detect(scene(face=False, plate=False)) == []


# --- upload, public version, original ------------------------------------------------------


def test_an_uploaded_photo_is_blurred_where_the_face_and_plate_are_and_nowhere_else(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _report, photo = file_report(world, scene(), django_capture_on_commit_callbacks)
    assert photo.redacted_at is not None
    assert photo.original.name.startswith("photos-original/")
    assert sorted(b["label"] for b in photo.blur_boxes) == ["face", "plate"]
    assert {b["source"] for b in photo.blur_boxes} == {"auto"}
    original, public = pixels(photo.original.name), pixels(photo.image.name)
    for entry in photo.blur_boxes:
        assert difference(original, public, box_of(entry)) > 12, entry
    assert outside(original, public, photo.blur_boxes) < 1.5
    # The thumbnail is made from the blurred version too.
    thumb = pixels(photo.thumbnail.name)
    scale = thumb.shape[1] / original.shape[1]
    face = next(b for b in photo.blur_boxes if b["label"] == "face")
    small = Image.fromarray(original.astype(np.uint8)).resize(
        (thumb.shape[1], thumb.shape[0]), Image.Resampling.LANCZOS
    )
    inner = tuple(round(v * scale) for v in box_of(face))
    assert difference(np.asarray(small, dtype=np.int16), thumb, inner) > 8
    event = ReportEvent.objects.filter(report=photo.report, kind="photo").latest("id")
    assert "automatisch geschwärzt: 2" in event.note and not event.is_public


def test_only_staff_of_the_authority_can_fetch_the_original(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    report, photo = file_report(world, scene(), django_capture_on_commit_callbacks)
    moderation.photo_set_public(report, photo_id=photo.pk, public=True, by=world.dispatcher)
    photo.refresh_from_db()
    anonymous = Client()
    assert anonymous.get(photo.image.url).status_code == 200  # released: the blurred one
    assert anonymous.get(photo.original.url).status_code == 404
    assert client_for(world.gemeinde_dispatcher).get(photo.original.url).status_code == 404
    response = client_for(world.dispatcher).get(photo.original.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    # Public page, public API and Open311 name only the blurred files.
    names = (photo.image.url, photo.thumbnail.url)
    page = anonymous.get(f"/meldungen/{report.pk}/").content.decode()
    api = anonymous.get(f"/api/v1/reports/{report.pk}").content.decode()
    open311 = anonymous.get(f"/open311/v2/requests/{report.pk}.json").content.decode()
    for text in (page, api, open311):
        assert photo.original.name not in text
        assert any(name in text for name in names)


def test_release_runs_a_pass_that_has_not_run_yet(world: World) -> None:
    # Without the commit hooks the task never ran (as when the worker is behind).
    report = services.report_confirm(
        services.report_create(
            category=world.category,
            point=Point(10.1, 53.05, srid=4326),
            description="Falschparker",
            contact=services.Contact(email="buerger@example.org"),
            photos=[upload(scene())],
        )
    )
    photo = report.photos.get()
    assert photo.redacted_at is None and photo.blur_boxes == []
    moderation.photo_set_public(report, photo_id=photo.pk, public=True, by=world.dispatcher)
    photo.refresh_from_db()
    assert photo.is_public and photo.redacted_at is not None
    assert len(photo.blur_boxes) == 2
    face = next(b for b in photo.blur_boxes if b["label"] == "face")
    assert difference(pixels(photo.original.name), pixels(photo.image.name), box_of(face)) > 12


# --- staff boxes -----------------------------------------------------------------------------


def test_staff_add_a_box_and_remove_it_again_on_the_staff_page(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PHOTO_REDACTION_DETECT = False  # detection off: only staff boxes
    report, photo = file_report(world, scene(), django_capture_on_commit_callbacks)
    assert photo.redacted_at is not None and photo.blur_boxes == []
    original = pixels(photo.original.name)
    assert outside(original, pixels(photo.image.name), []) == 0  # the same bytes

    dispatcher = client_for(world.dispatcher)
    page = dispatcher.get(f"/arbeit/meldungen/{report.pk}/").content.decode()
    assert "Bereich schwärzen" in page and photo.original.url in page
    face = (FACE[0], FACE[1], FACE[2], round(FACE[2] * 1.25))
    x, y, w, h = face
    with django_capture_on_commit_callbacks(execute=True):
        response = dispatcher.post(
            f"/arbeit/meldungen/{report.pk}/photo-blur-add/",
            {"photo": photo.pk, "x": x, "y": y, "w": w, "h": h},
        )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert [(b["source"], box_of(b)) for b in photo.blur_boxes] == [("staff", face)]
    blurred = pixels(photo.image.name)
    assert difference(original, blurred, face) > 12
    assert outside(original, blurred, photo.blur_boxes) < 1.5
    event = ReportEvent.objects.filter(report=report, kind="photo").latest("id")
    assert event.actor == world.dispatcher and "geschwärzt" in event.note

    page = dispatcher.get(f"/arbeit/meldungen/{report.pk}/").content.decode()
    assert "von Hand" in page and "Schwärzung entfernen" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = dispatcher.post(
            f"/arbeit/meldungen/{report.pk}/photo-blur-remove/",
            {"photo": photo.pk, "box": photo.blur_boxes[0]["id"]},
        )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.blur_boxes == []
    assert difference(original, pixels(photo.image.name), face) < 1.5  # the face is back
    event = ReportEvent.objects.filter(report=report, kind="photo").latest("id")
    assert "Schwärzung im Foto entfernt" in event.note


def test_a_box_outside_the_photo_is_refused_with_a_reason_and_nothing_changes(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PHOTO_REDACTION_DETECT = False
    report, photo = file_report(world, scene(), django_capture_on_commit_callbacks)
    before = (photo.image.name, default_storage.open(photo.image.name).read())
    response = client_for(world.dispatcher).post(
        f"/arbeit/meldungen/{report.pk}/photo-blur-add/",
        {"photo": photo.pk, "x": 900, "y": 10, "w": 200, "h": 50},
    )
    assert response.status_code == 400
    assert "nicht ganz im Foto (1000 x 700 Pixel)" in response.content.decode()
    photo.refresh_from_db()
    assert photo.blur_boxes == []
    assert (photo.image.name, default_storage.open(photo.image.name).read()) == before
    bad = client_for(world.dispatcher).post(
        f"/arbeit/meldungen/{report.pk}/photo-blur-remove/", {"photo": photo.pk, "box": 7}
    )
    assert bad.status_code == 400
    assert "Diesen Bereich gibt es in dem Foto nicht" in bad.content.decode()


def test_a_crew_may_not_change_the_blurring_of_a_citizens_photo(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    report, photo = file_report(world, scene(), django_capture_on_commit_callbacks)
    services.report_assign(report, team=world.team, by=world.dispatcher)
    response = client_for(world.crew).post(
        f"{API}/reports/{report.pk}/photo-blur-remove",
        {"photo": photo.pk, "box": photo.blur_boxes[0]["id"]},
        content_type="application/json",
    )
    assert response.status_code == 403
    photo.refresh_from_db()
    assert len(photo.blur_boxes) == 2


def test_the_staff_api_lists_boxes_and_a_released_photo_gets_new_file_names(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    report, photo = file_report(world, scene(face=False), django_capture_on_commit_callbacks)
    moderation.photo_set_public(report, photo_id=photo.pk, public=True, by=world.dispatcher)
    photo.refresh_from_db()
    dispatcher = client_for(world.dispatcher)
    detail = dispatcher.get(f"{API}/reports/{report.pk}").json()
    listed = detail["properties"]["photos"][0]
    assert [b["label"] for b in listed["blur_boxes"]] == ["plate"]
    assert listed["original"].endswith(photo.original.name)
    old_name = photo.image.name
    with django_capture_on_commit_callbacks(execute=True):
        response = dispatcher.post(
            f"{API}/reports/{report.pk}/photo-blur-add",
            {"photo": photo.pk, "x": 10, "y": 10, "w": 100, "h": 100},
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    photo.refresh_from_db()
    # Caches may hold the public file for a day: the new version has a new name.
    assert photo.image.name != old_name and not default_storage.exists(old_name)
    assert Client().get(photo.image.url).status_code == 200


# --- photos from before, and the end of a report ---------------------------------------------


def test_the_command_redacts_photos_that_had_no_pass_in_batches(world: World) -> None:
    # Stored without the task running (no commit hooks in this test). The first one as
    # before redaction existed: no original, its image as taken.
    services.report_create(
        category=world.category,
        point=Point(10.1, 53.05, srid=4326),
        description="Alt",
        contact=services.Contact(email="a@example.org"),
        photos=[upload(scene())],
    )
    photo = Photo.objects.get(report__description="Alt")
    default_storage.delete(photo.original.name)
    Photo.objects.filter(pk=photo.pk).update(original="")
    services.report_create(
        category=world.category,
        point=Point(10.1, 53.05, srid=4326),
        description="Noch eins",
        contact=services.Contact(email="b@example.org"),
        photos=[upload(scene(face=False))],
    )
    out = io.StringIO()
    call_command("redact_photos", "--batch-size", "1", stdout=out)
    assert "2 Foto(s) geschwärzt; 3 Bereich(e) gefunden; 0 noch offen." in out.getvalue()
    photo.refresh_from_db()
    assert photo.original.name.startswith("photos-original/")
    face = next(b for b in photo.blur_boxes if b["label"] == "face")
    assert difference(pixels(photo.original.name), pixels(photo.image.name), box_of(face)) > 12
    again = io.StringIO()
    call_command("redact_photos", stdout=again)
    assert "0 Foto(s) geschwärzt" in again.getvalue()


def test_anonymising_a_report_deletes_the_original_of_a_released_photo(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from tracker.services.erasure import anonymise_reports

    report, photo = file_report(world, scene(), django_capture_on_commit_callbacks)
    moderation.photo_set_public(report, photo_id=photo.pk, public=True, by=world.dispatcher)
    photo.refresh_from_db()
    original = photo.original.name
    with django_capture_on_commit_callbacks(execute=True):
        anonymise_reports([report.pk])
    photo.refresh_from_db()
    assert photo.original.name == "" and not default_storage.exists(original)
    assert default_storage.exists(photo.image.name)  # the blurred public version stays


@pytest.mark.parametrize("value", [False, True])
def test_detection_can_be_switched_off(settings: Any, value: bool) -> None:
    settings.PHOTO_REDACTION_DETECT = value
    assert photo_redaction.detection_enabled() is value


def test_a_staff_photo_added_as_public_is_blurred_before_anyone_sees_it(world: World) -> None:
    report = world.report()
    # No commit hooks: the task has not run, the service itself must blur.
    photo = services.report_add_photo(
        report, by=world.dispatcher, file=upload(scene()), kind="before", public=True
    )
    photo.refresh_from_db()
    assert photo.is_public and photo.redacted_at is not None
    face = next(b for b in photo.blur_boxes if b["label"] == "face")
    assert difference(pixels(photo.original.name), pixels(photo.image.name), box_of(face)) > 12
    assert Client().get(photo.image.url).status_code == 200
    assert Client().get(photo.original.url).status_code == 404
