"""Photo redaction: faces and number plates blurred in the public version of a photo.

Every photo keeps its unblurred `original` (staff only, core.media rule "photos-original/");
`image` and `thumbnail` are the public version with `blur_boxes` blurred (core.redaction).

* `photo_redact(photo_id)`: the first pass, run by the task "tracker.redact_photo" that
  `store_photo` queues (so the citizen's upload is not slowed down by detection), by
  `manage.py redact_photos` for photos stored before redaction existed, and at the latest
  when a photo is released (`ensure_redacted`, called by moderation.photo_set_public):
  nothing is ever public without the pass. Detection runs unless PHOTO_REDACTION_DETECT is
  off; boxes staff drew before the pass are kept.
* `photo_blur_add` / `photo_blur_remove`: staff draw a box or remove one (detected or
  drawn); the public version is rendered again. Permission as for releasing the photo
  (moderation: dispatchers and admins; crews for "after" photos of their work); an internal
  history entry each.

A public photo's re-rendered files get new names (browsers and proxies may keep the old
public file for a day); a photo not yet public keeps its names, so signed links already sent
(tracking page, Open311) stay valid.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import redaction
from core.images import DEFAULT_THUMBNAIL_EDGE

from ..models import Photo, Report, ReportEvent
from ..workflow import WorkflowError
from .common import add_event, delete_files, lock, require_photo_right, require_view

logger = logging.getLogger(__name__)

MAX_BOXES = 50
MIN_BOX_EDGE = 4
SOURCES = ("auto", "staff")


def _thumbnail_edge() -> int:
    return int(getattr(settings, "PHOTO_THUMBNAIL_EDGE", DEFAULT_THUMBNAIL_EDGE))


def detection_enabled() -> bool:
    return bool(getattr(settings, "PHOTO_REDACTION_DETECT", True))


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        data: bytes = handle.read()
    return data


def _ensure_original(photo: Photo, created: list[str]) -> bytes:
    """The original's bytes; a photo stored before redaction existed gets its original now
    (its current image, which was never blurred)."""
    if photo.original:
        return _read(photo.original.name)
    data = _read(photo.image.name)
    stem = secrets.token_hex(12)
    photo.original.save(f"{stem}.jpg", ContentFile(data), save=False)
    created.append(photo.original.name)
    return data


def _boxes(photo: Photo) -> list[redaction.Box]:
    return [
        redaction.Box(int(b["x"]), int(b["y"]), int(b["w"]), int(b["h"]), b.get("label", ""))
        for b in photo.blur_boxes
    ]


def _next_id(photo: Photo) -> int:
    return max((int(b.get("id", 0)) for b in photo.blur_boxes), default=0) + 1


def _append(photo: Photo, box: redaction.Box, source: str) -> dict[str, Any]:
    entry = {"id": _next_id(photo), **box.as_dict(), "source": source}
    photo.blur_boxes = [*photo.blur_boxes, entry]
    return entry


def _replace(name: str, data: bytes, rename: bool, created: list[str], old: list[str]) -> str:
    """Write `data` under `name` (a photo not yet public) or under a new random name next to
    it (a public one, whose old file may sit in caches)."""
    if rename:
        directory, _sep, base = name.rpartition("/")
        extension = base.rpartition(".")[2] or "jpg"
        new = default_storage.save(
            f"{directory}/{secrets.token_hex(12)}.{extension}", ContentFile(data)
        )
        created.append(new)
        old.append(name)
        return new
    default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def _render(photo: Photo, original: bytes, created: list[str], old: list[str]) -> None:
    rendered = redaction.render(original, _boxes(photo), _thumbnail_edge())
    rename = photo.is_public
    photo.image.name = _replace(photo.image.name, rendered.image, rename, created, old)
    photo.thumbnail.name = _replace(photo.thumbnail.name, rendered.thumbnail, rename, created, old)
    photo.redacted_at = timezone.now()


def _first_pass(photo: Photo, created: list[str]) -> tuple[bytes, int]:
    """Detect (where switched on) on a photo that had no pass yet. Returns the original's
    bytes and the number of boxes found."""
    original = _ensure_original(photo, created)
    if photo.redacted_at is not None or not detection_enabled():
        return original, 0
    found = redaction.detect(original)[:MAX_BOXES]
    for box in found:
        _append(photo, box, "auto")
    return original, len(found)


def _save(photo: Photo, created: list[str], old: list[str]) -> None:
    photo.save(update_fields=["original", "image", "thumbnail", "blur_boxes", "redacted_at"])
    transaction.on_commit(lambda: delete_files(old))


@contextmanager
def _guarded(created: list[str]) -> Iterator[None]:
    """Removes the files written for a change that did not commit."""
    try:
        yield
    except BaseException:
        delete_files(created)
        raise


def _auto_note(found: int) -> str:
    return _("Foto automatisch geschwärzt: %(n)d Bereich(e) (Gesichter, Kennzeichen)") % {
        "n": found
    }


def _redact_locked(photo: Photo, created: list[str], old: list[str]) -> None:
    original, found = _first_pass(photo, created)
    _render(photo, original, created, old)
    _save(photo, created, old)
    if found:
        add_event(
            photo.report, ReportEvent.Kind.PHOTO, by=None, is_public=False, note=_auto_note(found)
        )


def photo_redact(photo_id: int) -> bool:
    """The first pass over one photo (task, command). Returns False when it had one."""
    created: list[str] = []
    old: list[str] = []
    with _guarded(created), transaction.atomic():
        photo = (
            Photo.objects.select_for_update(of=("self",))
            .select_related("report")
            .filter(pk=photo_id)
            .first()
        )
        if photo is None or photo.redacted_at is not None:
            return False
        _redact_locked(photo, created, old)
    return True


def ensure_redacted(photo: Photo) -> None:
    """For a locked photo about to be released: run the first pass now if it is due."""
    if photo.redacted_at is None:
        created: list[str] = []
        old: list[str] = []
        with _guarded(created):
            _redact_locked(photo, created, old)


def _clean_box(photo: Photo, x: int, y: int, w: int, h: int) -> redaction.Box:
    if w < MIN_BOX_EDGE or h < MIN_BOX_EDGE:
        raise WorkflowError(
            {
                "w": [
                    _("Der Bereich muss mindestens %(n)d Pixel breit und hoch sein.")
                    % {"n": MIN_BOX_EDGE}
                ]
            }
        )
    if x < 0 or y < 0 or x + w > photo.width or y + h > photo.height:
        raise WorkflowError(
            {
                "x": [
                    _(
                        "Der Bereich liegt nicht ganz im Foto (%(width)d x %(height)d Pixel): "
                        "x + Breite höchstens %(width)d, y + Höhe höchstens %(height)d."
                    )
                    % {"width": photo.width, "height": photo.height}
                ]
            }
        )
    if len(photo.blur_boxes) >= MAX_BOXES:
        raise WorkflowError(_("Höchstens %(n)d Bereiche pro Foto.") % {"n": MAX_BOXES})
    return redaction.Box(x, y, w, h)


def _locked_photo(report: Report, photo_id: int, by: User) -> tuple[Report, Photo]:
    locked = lock(report)
    require_view(by, locked)
    photo = Photo.objects.select_for_update().filter(pk=photo_id, report=locked).first()
    if photo is None:
        raise WorkflowError({"photo": [_("Dieses Foto gehört nicht zu der Meldung.")]})
    require_photo_right(by, locked, photo)
    photo.report = locked
    return locked, photo


def _staff_change(report: Report, photo: Photo, by: User, note: str) -> None:
    add_event(report, ReportEvent.Kind.PHOTO, by=by, is_public=False, note=note)
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())


def photo_blur_add(
    report: Report, *, photo_id: int, x: int, y: int, w: int, h: int, by: User
) -> dict[str, Any]:
    """Staff blur one more box of a photo (pixels of the stored image). Returns the box."""
    created: list[str] = []
    old: list[str] = []
    with _guarded(created), transaction.atomic():
        locked, photo = _locked_photo(report, photo_id, by)
        box = _clean_box(photo, x, y, w, h)
        original, _found = _first_pass(photo, created)
        entry = _append(photo, box, "staff")
        _render(photo, original, created, old)
        _save(photo, created, old)
        _staff_change(
            locked,
            photo,
            by,
            _("Bereich im Foto geschwärzt (%(kind)s): %(w)d x %(h)d Pixel bei %(x)d, %(y)d")
            % {"kind": photo.get_kind_display(), "x": x, "y": y, "w": w, "h": h},
        )
    return entry


def photo_blur_remove(report: Report, *, photo_id: int, box_id: int, by: User) -> None:
    """Staff remove a blurred box (detected or drawn): that area is public as taken again."""
    created: list[str] = []
    old: list[str] = []
    with _guarded(created), transaction.atomic():
        locked, photo = _locked_photo(report, photo_id, by)
        original, _found = _first_pass(photo, created)
        kept = [b for b in photo.blur_boxes if int(b.get("id", 0)) != box_id]
        if len(kept) == len(photo.blur_boxes):
            raise WorkflowError({"box": [_("Diesen Bereich gibt es in dem Foto nicht (mehr).")]})
        removed = next(b for b in photo.blur_boxes if int(b.get("id", 0)) == box_id)
        photo.blur_boxes = kept
        _render(photo, original, created, old)
        _save(photo, created, old)
        _staff_change(
            locked,
            photo,
            by,
            _("Schwärzung im Foto entfernt (%(kind)s): %(w)d x %(h)d Pixel bei %(x)d, %(y)d")
            % {"kind": photo.get_kind_display(), **{k: int(removed[k]) for k in "xywh"}},
        )
