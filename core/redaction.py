"""Photo redaction: find faces and number plates, and blur given boxes of a photo.

Pure functions from JPEG bytes to boxes or bytes; no models and no storage (the tracker keeps
the boxes on its Photo and stores the files, tracker.services.redaction).

Decisions:

* Detection uses OpenCV's Haar cascades as shipped inside the `opencv-python-headless`
  wheel (`cv2.data.haarcascades`): `haarcascade_frontalface_default.xml` for faces and
  `haarcascade_russian_plate_number.xml` for number plates (the only plate model OpenCV
  ships; it finds the light, wide, dark-lettered rectangle of EU plates too). Nothing is
  downloaded at run time. OpenCV 5 no longer ships the cascades, hence the `<5` pin.
* Cascades miss faces in profile, small or dark faces and slanted plates, and sometimes
  mark a window or a sign. Detection is a first pass, not a guarantee: staff look at every
  photo before they release it and add or remove boxes.
* Detection runs on a grey copy scaled to at most DETECT_EDGE pixels on the long edge
  (fast, and the cascades' smallest window is found at any photo size); boxes are given in
  the stored photo's pixels, padded by PAD so that hair, chin and the plate's frame are
  covered too.
* A blurred box is pixelated to at most BLOCKS cells along its longer side and then
  Gaussian-blurred: nothing readable survives, and the box still looks like a part of the
  photo rather than a black bar. Everything outside the boxes keeps its pixels (the JPEG is
  encoded once more, at the pipeline's quality).
"""

from __future__ import annotations

import importlib
import io
import logging
from dataclasses import dataclass
from typing import Any, Final, Literal

from PIL import Image, ImageFilter

from .images import JPEG_QUALITY, THUMBNAIL_QUALITY

logger = logging.getLogger(__name__)

DETECT_EDGE: Final = 1280
PAD: Final = 0.15
BLOCKS: Final = 8
FACE_CASCADE: Final = "haarcascade_frontalface_default.xml"
PLATE_CASCADE: Final = "haarcascade_russian_plate_number.xml"

Label = Literal["face", "plate", ""]


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in the stored photo's pixels (x, y: top left corner)."""

    x: int
    y: int
    w: int
    h: int
    label: Label = ""

    def as_dict(self) -> dict[str, Any]:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h, "label": self.label}


def _cascade(name: str) -> Any:
    import cv2  # imported on first use: web processes that never detect do not load OpenCV

    # The folder of the XML files inside the wheel (cv2.data, which cv2's stubs omit).
    folder = importlib.import_module("cv2.data").haarcascades
    classifier = cv2.CascadeClassifier(folder + name)
    if classifier.empty():  # pragma: no cover - a broken OpenCV installation
        raise RuntimeError(f"OpenCV cascade {name} could not be loaded")
    return classifier


_CASCADES: dict[str, Any] = {}


def _classifier(name: str) -> Any:
    if name not in _CASCADES:
        _CASCADES[name] = _cascade(name)
    return _CASCADES[name]


def _padded(x: float, y: float, w: float, h: float, size: tuple[int, int], label: Label) -> Box:
    width, height = size
    left = max(0, round(x - w * PAD))
    top = max(0, round(y - h * PAD))
    right = min(width, round(x + w * (1 + PAD)))
    bottom = min(height, round(y + h * (1 + PAD)))
    return Box(left, top, right - left, bottom - top, label)


def detect(image: bytes) -> list[Box]:
    """Faces and number plates in a stored photo (JPEG bytes), largest first."""
    import cv2
    import numpy as np

    with Image.open(io.BytesIO(image)) as source:
        size = source.size
        grey = source.convert("L")
    scale = min(1.0, DETECT_EDGE / max(size))
    if scale < 1.0:
        grey = grey.resize((round(size[0] * scale), round(size[1] * scale)), Image.Resampling.BOX)
    pixels = cv2.equalizeHist(np.asarray(grey))
    found: list[Box] = []
    runs: tuple[tuple[str, Label, int, tuple[int, int]], ...] = (
        (FACE_CASCADE, "face", 5, (24, 24)),
        (PLATE_CASCADE, "plate", 3, (40, 12)),
    )
    for cascade, label, neighbours, min_size in runs:
        rects = _classifier(cascade).detectMultiScale(
            pixels, scaleFactor=1.1, minNeighbors=neighbours, minSize=min_size
        )
        for x, y, w, h in rects:
            found.append(_padded(x / scale, y / scale, w / scale, h / scale, size, label))
    found.sort(key=lambda box: box.w * box.h, reverse=True)
    logger.info("redaction: %d box(es) found", len(found))
    return found


def _blurred(region: Image.Image) -> Image.Image:
    width, height = region.size
    cell = max(1, max(width, height) // BLOCKS)
    small = region.resize((max(1, width // cell), max(1, height // cell)), Image.Resampling.BOX)
    blocky = small.resize((width, height), Image.Resampling.NEAREST)
    return blocky.filter(ImageFilter.GaussianBlur(radius=max(2, cell // 2)))


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class Rendered:
    image: bytes
    thumbnail: bytes


def render(original: bytes, boxes: list[Box], thumbnail_edge: int) -> Rendered:
    """The public version of a stored photo: every box blurred, and its thumbnail. Without
    boxes the image is the original's bytes as they are (no second JPEG generation)."""
    with Image.open(io.BytesIO(original)) as source:
        image = source.convert("RGB")
    for box in boxes:
        area = (box.x, box.y, box.x + box.w, box.y + box.h)
        image.paste(_blurred(image.crop(area)), area[:2])
    thumbnail = image.copy()
    thumbnail.thumbnail((thumbnail_edge, thumbnail_edge), Image.Resampling.LANCZOS)
    public = _jpeg(image, JPEG_QUALITY) if boxes else original
    return Rendered(public, _jpeg(thumbnail, THUMBNAIL_QUALITY))
