"""The photo pipeline for citizen reports: check, auto-rotate, strip metadata, re-encode.

Pure functions from an uploaded file to bytes; no models and no storage. The caller saves
`ProcessedPhoto.image` and `.thumbnail` through Django's storage API (e.g. `ContentFile`),
and turns `PhotoRejected` into a form or API error (`ValidationError(exc.message,
code=exc.code)`).

Decisions, so that callers need not read the code:

* Accepted input: JPEG (including the multi-picture MPO variant many phones write), PNG,
  WebP, and HEIC/HEIF when the optional `pillow_heif` package is installed. Pillow is only
  ever asked to open these formats, so exotic decoders (EPS, TIFF, …) never see citizen
  uploads.
* Output is always an sRGB JPEG without any metadata, because every mail client, office
  program and Open311 app at the authorities can show it. Transparency has no meaning in a
  photo of a pothole, so alpha (PNG, WebP) is flattened onto white rather than kept, which
  also keeps screenshots from turning into multi-megabyte PNGs.
* Colour profiles are applied (e.g. an iPhone's Display P3 is converted to sRGB) and then
  dropped: the stored pixels are sRGB and need no profile, and profiles can name devices.
* Limits come from settings, read on every call: PHOTO_MAX_BYTES (upload size),
  PHOTO_MAX_PIXELS (declared pixel count, checked before decoding; Pillow's own
  `Image.MAX_IMAGE_PIXELS` caps it), PHOTO_MAX_EDGE (long edge of the stored image) and
  PHOTO_THUMBNAIL_EDGE (long edge of the thumbnail). Images are never enlarged.
* Memory: one photo must not cost a worker more than about 150 MB. JPEGs are decoded
  reduced (Pillow's `draft`: 1/2, 1/4 or 1/8 scale, never below the stored size); 16-bit
  grey PNGs are decoded straight to 8 bits (their high byte) instead of to 32-bit integers;
  and before any pixel is decoded the memory the decoded pixels need (Pillow's layout: 4
  bytes per pixel for colour, 1 for grey) is checked against PHOTO_MAX_DECODED_BYTES
  (default 64 MiB: a 16-megapixel PNG or WebP, a 12-megapixel HEIC; larger ones of these
  formats are refused with a request to send a JPEG or a smaller picture, since PNG, WebP
  and HEIF cannot be decoded at a reduced size). The source is released as soon as it is
  scaled down. tests/core/test_image_memory.py measures the peak in a subprocess.
* `sha256` is the digest of the stored image bytes, not of the upload: it describes what
  we keep, and the upload (with its GPS position) is never stored.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import logging
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Final, Literal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .exif import GpsLocation, gps_of
from .image_formats import (
    SIXTEEN_BIT_MODES,
    bytes_per_pixel,
    decode_sixteen_bit_as_eight,
    sniff_format,
)

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES: Final = 15 * 1024 * 1024
DEFAULT_MAX_PIXELS: Final = 40_000_000
DEFAULT_MAX_EDGE: Final = 2560
DEFAULT_THUMBNAIL_EDGE: Final = 400
DEFAULT_MAX_DECODED_BYTES: Final = 64 * 1024 * 1024

# Quality 85 is where JPEG artefacts stop being visible on photos at a fraction of the
# size of higher settings; the thumbnail is small enough that 80 looks the same.
JPEG_QUALITY: Final = 85
THUMBNAIL_QUALITY: Final = 80
OUTPUT_CONTENT_TYPE: Final = "image/jpeg"
OUTPUT_EXTENSION: Final = "jpg"  # without dot: f"{name}.{photo.extension}"

RejectionCode = Literal[
    "too_large",
    "not_an_image",
    "unsupported_format",
    "corrupt",
    "decompression_bomb",
    "too_many_pixels",
]


class PhotoRejected(ValueError):
    """An upload we do not accept. `message` is German (or the active language) and may be
    shown to the citizen as is; `code` is stable for programs."""

    def __init__(self, code: RejectionCode, message: str) -> None:
        super().__init__(message)
        self.code: RejectionCode = code
        self.message = message


@dataclass(frozen=True, slots=True)
class ProcessedPhoto:
    """What the caller stores: metadata-free JPEG bytes and what the model records about them.

    `width`/`height` describe `image` (after rotation and downscaling); `gps` was read from
    the upload before its metadata was dropped and is only an offer to the citizen.
    """

    image: bytes
    thumbnail: bytes
    content_type: str
    extension: str
    width: int
    height: int
    gps: GpsLocation | None
    sha256: str


def _register_heif_opener() -> bool:
    # Imported by name so the module type-checks and runs whether or not the optional
    # dependency is installed. Embedded thumbnails, depth maps and auxiliary images are of
    # no use to us, so libheif is told not to read them.
    try:
        pillow_heif = importlib.import_module("pillow_heif")
    except ImportError:
        return False
    pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
    return True


# Module import happens once per process, so the opener is registered once.
HEIF_SUPPORTED: Final = _register_heif_opener()

# "MPO" needs no entry: Pillow's JPEG opener itself returns MPO images for such files.
_ACCEPTED_FORMATS: Final = ("JPEG", "PNG", "WEBP", *(("HEIF",) if HEIF_SUPPORTED else ()))
_SRGB: Final = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_READ_CHUNK: Final = 1024 * 1024


@dataclass(frozen=True, slots=True)
class _Limits:
    max_bytes: int
    max_pixels: int
    max_edge: int
    thumbnail_edge: int
    max_decoded_bytes: int


def _positive_int_setting(name: str, default: int) -> int:
    value = getattr(settings, name, default)
    # A typo in settings should fail loudly, not silently disable a safety limit.
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ImproperlyConfigured(f"{name} must be a positive integer, got {value!r}.")
    return value


def _limits() -> _Limits:
    return _Limits(
        max_bytes=_positive_int_setting("PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES),
        max_pixels=_positive_int_setting("PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS),
        max_edge=_positive_int_setting("PHOTO_MAX_EDGE", DEFAULT_MAX_EDGE),
        thumbnail_edge=_positive_int_setting("PHOTO_THUMBNAIL_EDGE", DEFAULT_THUMBNAIL_EDGE),
        max_decoded_bytes=_positive_int_setting(
            "PHOTO_MAX_DECODED_BYTES", DEFAULT_MAX_DECODED_BYTES
        ),
    )


# --- rejections -------------------------------------------------------------------------


def _accepted_formats_text() -> str:
    return _("JPEG, PNG, WebP oder HEIC") if HEIF_SUPPORTED else _("JPEG, PNG oder WebP")


def _rejected(code: RejectionCode, message: str, filename: str | None) -> PhotoRejected:
    if filename:
        # Only the last path component, shortened: browsers send names, scripts send paths.
        name = PurePath(filename.replace("\\", "/")).name[:80]
        if name:
            message = _("„%(name)s“: %(message)s") % {"name": name, "message": message}
    return PhotoRejected(code, message)


def _too_large(limit: int, filename: str | None) -> PhotoRejected:
    return _rejected(
        "too_large",
        _("Die Datei ist zu groß. Erlaubt sind höchstens %(limit)s.")
        % {"limit": filesizeformat(limit)},
        filename,
    )


def _corrupt(filename: str | None) -> PhotoRejected:
    return _rejected(
        "corrupt",
        _(
            "Das Bild ist beschädigt oder unvollständig und kann nicht gelesen werden. "
            "Bitte laden Sie es erneut hoch."
        ),
        filename,
    )


def _decompression_bomb(filename: str | None) -> PhotoRejected:
    return _rejected(
        "decompression_bomb",
        _(
            "Das Bild gibt eine unplausibel hohe Auflösung an und wird aus Sicherheitsgründen "
            "abgelehnt."
        ),
        filename,
    )


def _too_many_pixels(pixels: int, limit: int, filename: str | None) -> PhotoRejected:
    return _rejected(
        "too_many_pixels",
        _(
            "Das Bild hat zu viele Pixel (%(pixels)s Megapixel, erlaubt sind %(limit)s). "
            "Bitte verkleinern Sie es vor dem Hochladen."
        )
        % {
            "pixels": number_format(pixels / 1_000_000, decimal_pos=1),
            "limit": number_format(limit / 1_000_000, decimal_pos=1),
        },
        filename,
    )


def _too_much_memory(pixels: int, limit_pixels: int, filename: str | None) -> PhotoRejected:
    return _rejected(
        "too_many_pixels",
        _(
            "Das Bild ist zu groß, um es zu verarbeiten (%(pixels)s Megapixel; in diesem "
            "Format höchstens %(limit)s). Bitte laden Sie es als JPEG oder verkleinert hoch."
        )
        % {
            "pixels": number_format(pixels / 1_000_000, decimal_pos=1),
            "limit": number_format(limit_pixels / 1_000_000, decimal_pos=1),
        },
        filename,
    )


def _unidentified(data: bytes, filename: str | None) -> PhotoRejected:
    sniffed = sniff_format(data[:1024])
    if sniffed in _ACCEPTED_FORMATS:
        # The magic bytes are right but Pillow could not even read the header.
        return _corrupt(filename)
    if sniffed == "HEIF":
        return _rejected(
            "unsupported_format",
            _(
                "Fotos im HEIC-Format (z. B. vom iPhone) können wir leider noch nicht "
                "verarbeiten. Bitte laden Sie das Foto als %(formats)s hoch."
            )
            % {"formats": _accepted_formats_text()},
            filename,
        )
    if sniffed is not None:
        return _rejected(
            "unsupported_format",
            _(
                "Das Bildformat %(format)s wird nicht unterstützt. "
                "Bitte laden Sie ein Foto als %(formats)s hoch."
            )
            % {"format": sniffed, "formats": _accepted_formats_text()},
            filename,
        )
    return _rejected(
        "not_an_image",
        _("Die Datei ist kein Bild. Bitte laden Sie ein Foto als %(formats)s hoch.")
        % {"formats": _accepted_formats_text()},
        filename,
    )


# --- reading and opening ----------------------------------------------------------------


def read_upload(fileobj: IO[bytes], max_bytes: int) -> bytes | None:
    """The whole upload, reading never more than `max_bytes + 1` bytes of it; None when it is
    larger than `max_bytes`. Shared by every upload check (photos, catalogue attachments)."""
    declared = getattr(fileobj, "size", None)  # Django's UploadedFile knows it already
    if isinstance(declared, int) and declared > max_bytes:
        return None
    # Django may have read the upload before (e.g. to validate it); start at the beginning.
    if fileobj.seekable():
        fileobj.seek(0)
    chunks: list[bytes] = []
    remaining = max_bytes + 1
    while remaining > 0:
        # Looping, since raw streams may return fewer bytes than asked for.
        chunk = fileobj.read(min(remaining, _READ_CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return None if remaining <= 0 else b"".join(chunks)


def _read_limited(fileobj: IO[bytes], max_bytes: int, filename: str | None) -> bytes:
    data = read_upload(fileobj, max_bytes)
    if data is None:
        raise _too_large(max_bytes, filename)
    if not data:
        raise _rejected("not_an_image", _("Die Datei ist leer."), filename)
    return data


def _open(data: bytes, max_pixels: int, filename: str | None) -> Image.Image:
    """Open (not decode) an accepted image and check its declared size."""
    try:
        image = Image.open(io.BytesIO(data), formats=_ACCEPTED_FORMATS)
    except Image.DecompressionBombError as exc:
        raise _decompression_bomb(filename) from exc
    except UnidentifiedImageError as exc:
        raise _unidentified(data, filename) from exc
    except Exception as exc:
        # Pillow's decoders raise many exception types on hostile input (its own fuzzing
        # harness accepts any Exception); all of them mean "cannot read this file".
        logger.info("photo header unreadable", exc_info=True)
        raise _corrupt(filename) from exc
    width, height = image.size
    pixels = width * height
    # Above MAX_IMAGE_PIXELS Pillow only warns; we refuse before anything is decoded, so the
    # warning never turns into hundreds of megabytes of pixels.
    pillow_limit = Image.MAX_IMAGE_PIXELS
    if pillow_limit is not None and pixels > pillow_limit:
        image.close()
        raise _decompression_bomb(filename)
    if pixels > max_pixels:
        image.close()
        raise _too_many_pixels(pixels, max_pixels, filename)
    return image


# --- memory -----------------------------------------------------------------------------


def _prepare_decoding(image: Image.Image, limits: _Limits, filename: str | None) -> None:
    """Reduce what decoding will hold in memory, and refuse what would still be too much."""
    # JPEGs can be decoded at 1/2, 1/4 or 1/8 scale directly; the draft never goes
    # below the stored size, so this saves memory and time without losing detail.
    image.draft(None, (limits.max_edge, limits.max_edge))
    decode_sixteen_bit_as_eight(image)
    width, height = image.size
    per_pixel = bytes_per_pixel(image)
    if width * height * per_pixel > limits.max_decoded_bytes:
        raise _too_much_memory(width * height, limits.max_decoded_bytes // per_pixel, filename)


# --- pixels -----------------------------------------------------------------------------


def _orient(image: Image.Image) -> None:
    """Turn the loaded image upright as its EXIF orientation says, without copying it."""
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception:
        # A broken EXIF block must not cost the citizen the photo; it stays as decoded.
        logger.info("EXIF orientation unreadable, photo kept as decoded", exc_info=True)


def _normalised(image: Image.Image) -> Image.Image:
    """Bring any decoded mode to L, LA, RGB, RGBA or CMYK: modes that resize with correct
    alpha and, without the alpha, that a colour profile can apply to."""
    mode = image.mode
    if mode in SIXTEEN_BIT_MODES:
        # Pillow clips rather than scales when converting 16-bit grey to 8 bits.
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    transparent = "transparency" in image.info  # PNG tRNS: a palette index or one colour
    if mode in {"L", "LA", "RGB", "RGBA", "CMYK"} and not transparent:
        return image
    if mode in {"L", "La"}:
        return image.convert("LA")
    if transparent or mode in {"PA", "RGBa"}:
        return image.convert("RGBA")
    return image.convert("RGB")


def _flattened(image: Image.Image) -> Image.Image:
    """Put a transparent image onto white, keeping grey images grey."""
    if image.mode not in {"LA", "RGBA"}:
        return image
    base_mode = image.mode[:-1]
    flat = Image.new(base_mode, image.size, "white")
    flat.paste(image.convert(base_mode), mask=image.getchannel("A"))
    return flat


def _srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    if icc_profile:
        try:
            converted = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
                _SRGB,
                outputMode="RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            # A broken or mismatched profile: the uncorrected pixels are still a fine photo.
            logger.info("ICC profile not applied", exc_info=True)
        else:
            if converted is not None:
                return converted
    return image if image.mode == "RGB" else image.convert("RGB")


def _without_metadata(image: Image.Image) -> Image.Image:
    # A fresh image has an empty `info`; Pillow's encoders otherwise carry over e.g. a
    # JPEG comment or XMP from the source.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


# --- public API -------------------------------------------------------------------------


def process_photo(fileobj: IO[bytes], *, filename: str | None = None) -> ProcessedPhoto:
    """Check an upload and turn it into a stored image and thumbnail without metadata.

    `fileobj` is a Django UploadedFile or any binary file-like; it is read from the start
    and at most PHOTO_MAX_BYTES + 1 bytes are read. `filename` (the citizen's name for the
    file) only appears in messages; the content alone decides the format.
    Raises PhotoRejected with a message that can be shown to the citizen.
    """
    limits = _limits()
    data = _read_limited(fileobj, limits.max_bytes, filename)
    with _open(data, limits.max_pixels, filename) as source:
        _prepare_decoding(source, limits, filename)
        try:
            source.load()
        except Exception as exc:
            # Truncated and corrupt pixel data (see the comment in _open on exception types).
            logger.info("photo pixels unreadable", exc_info=True)
            raise _corrupt(filename) from exc
        gps = gps_of(source)  # after load: PNG may keep its EXIF after the pixel data
        icc_profile = source.info.get("icc_profile")
        # Still inside `with`, since `image` may be `source` itself. The order keeps memory
        # low: rotate in place, scale down, and only then flatten and convert colours, on
        # at most PHOTO_MAX_EDGE² pixels.
        _orient(source)
        image = _normalised(source)
        if image is not source:
            source.close()  # its pixels are no longer needed: free them before scaling
        image.thumbnail((limits.max_edge, limits.max_edge), Image.Resampling.LANCZOS)
        stored = _without_metadata(
            _srgb(_flattened(image), icc_profile if isinstance(icc_profile, bytes) else None)
        )
    thumbnail = stored.copy()
    thumbnail.thumbnail((limits.thumbnail_edge, limits.thumbnail_edge), Image.Resampling.LANCZOS)

    image_bytes = _jpeg(stored, JPEG_QUALITY)
    return ProcessedPhoto(
        image=image_bytes,
        thumbnail=_jpeg(thumbnail, THUMBNAIL_QUALITY),
        content_type=OUTPUT_CONTENT_TYPE,
        extension=OUTPUT_EXTENSION,
        width=stored.width,
        height=stored.height,
        gps=gps,
        sha256=hashlib.sha256(image_bytes).hexdigest(),
    )


def read_gps(fileobj: IO[bytes], *, filename: str | None = None) -> GpsLocation | None:
    """The GPS position of an uploaded photo, or None if it has none (or only nonsense).

    Reads only the file's headers, never its pixels. Applies the same size, format and
    pixel checks as `process_photo`, raising PhotoRejected for what it would refuse anyway.
    """
    limits = _limits()
    data = _read_limited(fileobj, limits.max_bytes, filename)
    with _open(data, limits.max_pixels, filename) as image:
        return gps_of(image)
