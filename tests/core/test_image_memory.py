"""The photo pipeline's memory budget: one photo costs a worker at most about 150 MB.

Measured in a fresh subprocess (peak RSS from resource.getrusage before and after
process_photo), since the test process itself has long since grown past any such figure."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngImageFile
from pytest import MonkeyPatch
from pytest_django import Settings

from core.images import PhotoRejected, process_photo

BUDGET_MB = 150
ROOT = Path(__file__).resolve().parents[2]

MEASURE = """
import io, json, resource, sys
import django
django.setup()
from core.images import PhotoRejected, process_photo
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    result = process_photo(io.BytesIO(data))
    outcome = [result.width, result.height]
except PhotoRejected as exc:
    outcome = exc.message
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"rise_mb": (after - before) / 1024, "outcome": outcome}))
"""


def measure(path: Path) -> dict[str, Any]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", MEASURE, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_16_bit_6300_px_png_stays_within_the_budget(tmp_path: Path) -> None:
    # The upload that cost 388 MB: 308 KB on the wire, 6300 x 6300 pixels of 16-bit grey.
    path = tmp_path / "grau16.png"
    Image.linear_gradient("L").resize((6300, 6300)).convert("I;16").save(path, "PNG")
    found = measure(path)
    assert found["outcome"] == [2560, 2560]
    assert float(found["rise_mb"]) < BUDGET_MB, found


def test_a_large_transparent_png_is_refused_before_decoding(monkeypatch: MonkeyPatch) -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (5000, 5000), (10, 20, 30, 128)).save(buffer, "PNG", compress_level=1)

    def no_decoding(self: Image.Image) -> None:
        raise AssertionError("decoded")

    monkeypatch.setattr(PngImageFile, "load", no_decoding)
    with pytest.raises(PhotoRejected) as exc:
        process_photo(io.BytesIO(buffer.getvalue()), filename="karte.png")
    assert exc.value.message == (
        "„karte.png“: Das Bild ist zu groß, um es zu verarbeiten (25,0 Megapixel; in diesem "
        "Format höchstens 8,3). Bitte laden Sie es als JPEG oder verkleinert hoch."
    )


def test_sixteen_bit_grey_is_decoded_to_its_high_byte() -> None:
    buffer = io.BytesIO()
    image = Image.new("I;16", (40, 20), 0)
    image.paste(65535, (20, 0, 40, 20))
    image.save(buffer, "PNG")
    result = process_photo(io.BytesIO(buffer.getvalue()))
    decoded = Image.open(io.BytesIO(result.image)).convert("L")
    dark, light = decoded.getpixel((2, 10)), decoded.getpixel((37, 10))
    assert isinstance(dark, int) and isinstance(light, int)
    assert dark < 10 and light > 245


def test_the_budget_comes_from_settings(settings: Settings) -> None:
    settings.PHOTO_MAX_DECODED_BYTES = 100 * 100 * 4
    buffer = io.BytesIO()
    Image.new("RGB", (101, 100), (200, 0, 0)).save(buffer, "WEBP")
    with pytest.raises(PhotoRejected) as exc:
        process_photo(io.BytesIO(buffer.getvalue()))
    assert exc.value.code == "too_many_pixels"
