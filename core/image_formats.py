"""What the bytes of an upload and the modes of a decoded image mean, for core.images:
the format named by a file's magic bytes, the memory Pillow needs per pixel, and decoding a
16-bit grey PNG straight into 8 bits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from PIL import Image, ImageFile

SIXTEEN_BIT_MODES: Final = frozenset({"I", "I;16", "I;16B", "I;16L", "I;16N"})

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
# (format, test on the first bytes), in the order they are tried.
_MAGIC: tuple[tuple[str, Callable[[bytes], bool]], ...] = (
    ("JPEG", lambda h: h.startswith(b"\xff\xd8\xff")),
    ("PNG", lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")),
    ("WEBP", lambda h: h.startswith(b"RIFF") and h[8:12] == b"WEBP"),
    ("HEIF", lambda h: h[4:8] == b"ftyp" and h[8:12] in _HEIF_BRANDS),
    ("AVIF", lambda h: h[4:8] == b"ftyp" and h[8:12] in {b"avif", b"avis"}),
    ("GIF", lambda h: h.startswith((b"GIF87a", b"GIF89a"))),
    ("TIFF", lambda h: h.startswith((b"II*\x00", b"MM\x00*"))),
    (
        "BMP",
        lambda h: h.startswith(b"BM") and h[14:15] in {b"\x0c", b"\x28", b"\x38", b"\x40", b"\x6c"},
    ),
    ("JPEG 2000", lambda h: h.startswith((b"\x00\x00\x00\x0cjP  ", b"\xff\x4f\xff\x51"))),
    ("JPEG XL", lambda h: h.startswith((b"\xff\x0a", b"\x00\x00\x00\x0cJXL "))),
    ("PSD", lambda h: h.startswith(b"8BPS")),
    ("SVG", lambda h: b"<svg" in h[:1024].lower()),
)


def sniff_format(head: bytes) -> str | None:
    """Name the image format of a file Pillow would not open for us, from its magic bytes.

    Only to tell "this is a picture we do not take" from "this is no picture at all"."""
    return next((name for name, matches in _MAGIC if matches(head)), None)


# Bytes per pixel of Pillow's in-memory layout (colour modes are stored as 4 bytes), doubled
# for transparency: resizing such an image makes a premultiplied copy of it first.
_ONE_BYTE_MODES: Final = frozenset({"1", "L"})
_ALPHA_MODES: Final = frozenset({"LA", "La", "PA", "RGBA", "RGBa"})


def bytes_per_pixel(image: Image.Image) -> int:
    if image.mode in _ALPHA_MODES or "transparency" in image.info:
        return 8
    if image.mode in _ONE_BYTE_MODES:
        return 1
    return 2 if image.mode in SIXTEEN_BIT_MODES else 4


def decode_sixteen_bit_as_eight(image: Image.Image) -> None:
    """A 16-bit grey PNG is decoded into 8-bit grey directly (the high byte of each sample),
    instead of into 16 bits and then 32-bit integers for the conversion."""
    if not isinstance(image, ImageFile.ImageFile):
        return
    if image.format != "PNG" or image.mode != "I;16" or len(image.tile) != 1:
        return
    tile = image.tile[0]
    if tile.args != "I;16B":
        return
    # Pillow has no public way to choose the decoded mode.
    image._mode = "L"
    image.tile = [tile._replace(args="L;16B")]
    transparency = image.info.get("transparency")
    if isinstance(transparency, int):
        image.info["transparency"] = transparency >> 8
