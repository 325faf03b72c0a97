"""The photo pipeline: what citizens upload never leaves our hands with its metadata.

Every test image is generated here, in memory, with Pillow.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms, ImageFile
from PIL.TiffImagePlugin import IFDRational
from pytest_django import Settings

from core import images as photos
from core.images import GpsLocation, PhotoRejected, process_photo, read_gps

# Strings planted in every metadata slot of the test JPEG; none may survive processing.
MARKERS = (b"MARKER-MAKE", b"MARKER-ARTIST", b"MARKER-DATUM", b"MARKER-COMMENT", b"MARKER-XMP")
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>MARKER-XMP</rdf:Description>'
XMP += b"</x:xmpmeta>"

GpsIfd = dict[int, Any]


def dms(degrees: int, minutes: int, seconds: int) -> tuple[IFDRational, ...]:
    return (IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 1))


def hamburg_gps() -> GpsIfd:
    # 53° 21' 36" N, 10° 12' 36" E = 53.36, 10.21
    return {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: dms(53, 21, 36),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: dms(10, 12, 36),
        ExifTags.GPS.GPSMapDatum: "MARKER-DATUM",
    }


def make_exif(gps: GpsIfd | None = None, orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "MARKER-MAKE"
    exif[ExifTags.Base.Artist] = "MARKER-ARTIST"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if gps is not None:
        exif[ExifTags.IFD.GPSInfo] = gps
    return exif


def two_halves(size: tuple[int, int] = (200, 100)) -> Image.Image:
    """Left half red, right half blue: shows which way the photo was turned."""
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    return image


def jpeg(
    image: Image.Image | None = None,
    *,
    gps: GpsIfd | None = None,
    orientation: int | None = None,
    metadata: bool = True,
) -> bytes:
    image = image if image is not None else two_halves()
    buffer = io.BytesIO()
    extra: dict[str, Any] = {}
    if metadata:
        extra = {
            "exif": make_exif(gps, orientation),
            "comment": b"MARKER-COMMENT",
            "xmp": XMP,
        }
    image.save(buffer, "JPEG", quality=90, **extra)
    return buffer.getvalue()


def encode(image: Image.Image, fmt: str, **params: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny, valid-looking PNG whose header claims `width` x `height` RGB pixels."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload)
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def rejection(data: bytes, filename: str | None = None) -> PhotoRejected:
    with pytest.raises(PhotoRejected) as caught:
        process_photo(io.BytesIO(data), filename=filename)
    return caught.value


@pytest.fixture
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if Pillow decodes pixel data."""

    def refuse(self: ImageFile.ImageFile) -> None:
        # pytest.fail raises a BaseException, which the code under test cannot swallow.
        pytest.fail("pixel data was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


# --- metadata is gone -------------------------------------------------------------------


def test_stored_image_and_thumbnail_carry_no_metadata() -> None:
    upload = jpeg(gps=hamburg_gps(), orientation=6)
    assert all(marker in upload for marker in MARKERS)  # the test input really has them

    result = process_photo(io.BytesIO(upload))

    for output in (result.image, result.thumbnail):
        image = reopen(output)
        assert image.format == "JPEG"
        assert not image.getexif()
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info)
        assert b"Exif\x00\x00" not in output
        assert b"http://ns.adobe.com/xap/1.0/" not in output
        for marker in MARKERS:
            assert marker not in output


def test_result_describes_the_stored_jpeg() -> None:
    result = process_photo(io.BytesIO(jpeg()))

    assert result.content_type == "image/jpeg"
    assert result.extension == "jpg"
    assert result.sha256 == hashlib.sha256(result.image).hexdigest()
    assert reopen(result.image).size == (result.width, result.height) == (200, 100)
    assert result.gps is None


def test_same_upload_gives_same_bytes_and_hash() -> None:
    upload = jpeg(gps=hamburg_gps())
    first = process_photo(io.BytesIO(upload))
    second = process_photo(io.BytesIO(upload))
    assert first.sha256 == second.sha256
    assert first.thumbnail == second.thumbnail


# --- orientation, size, colour ----------------------------------------------------------


def test_exif_orientation_is_applied() -> None:
    # Orientation 6: the camera was turned clockwise, so the picture is turned back 90°
    # clockwise for display and the left (red) half ends up on top.
    result = process_photo(io.BytesIO(jpeg(orientation=6)))

    assert (result.width, result.height) == (100, 200)
    stored = reopen(result.image).convert("RGB")
    top = stored.getpixel((50, 20))
    bottom = stored.getpixel((50, 180))
    assert isinstance(top, tuple)
    assert isinstance(bottom, tuple)
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60
    assert reopen(result.thumbnail).size == (100, 200)  # smaller than 400: never enlarged


def test_large_photo_is_scaled_down_and_thumbnail_is_smaller(settings: Settings) -> None:
    settings.PHOTO_MAX_EDGE = 300
    settings.PHOTO_THUMBNAIL_EDGE = 60

    result = process_photo(io.BytesIO(jpeg(two_halves((1200, 800)))))

    assert (result.width, result.height) == (300, 200)
    assert reopen(result.image).size == (300, 200)
    assert reopen(result.thumbnail).size == (60, 40)


def test_default_sizes() -> None:
    result = process_photo(io.BytesIO(jpeg(two_halves((3000, 1500)), metadata=False)))

    assert (result.width, result.height) == (2560, 1280)
    assert reopen(result.thumbnail).size == (400, 200)


def test_png_alpha_is_flattened_onto_white_jpeg() -> None:
    image = Image.new("RGBA", (100, 50), (0, 0, 0, 0))
    image.paste((0, 128, 0, 255), (0, 0, 50, 50))

    result = process_photo(io.BytesIO(encode(image, "PNG")))

    stored = reopen(result.image)
    assert result.content_type == "image/jpeg"
    assert stored.mode == "RGB"
    transparent = stored.getpixel((80, 25))
    opaque = stored.getpixel((20, 25))
    assert isinstance(transparent, tuple)
    assert isinstance(opaque, tuple)
    assert min(transparent) > 245
    assert opaque[1] > 100 and opaque[0] < 30 and opaque[2] < 30


def test_palette_png_with_transparency_is_flattened() -> None:
    image = Image.new("P", (40, 40), 0)
    image.putpalette([0, 0, 0, 200, 0, 0])
    image.paste(1, (0, 0, 20, 40))

    result = process_photo(io.BytesIO(encode(image, "PNG", transparency=0)))

    stored = reopen(result.image)
    right = stored.getpixel((30, 20))
    left = stored.getpixel((5, 20))
    assert isinstance(right, tuple)
    assert isinstance(left, tuple)
    assert min(right) > 245  # transparent index → white, not black
    assert left[0] > 150 and left[1] < 50


def test_grey_png_with_alpha_is_flattened_and_stays_grey() -> None:
    image = Image.new("LA", (40, 40), (0, 0))
    image.paste((90, 255), (0, 0, 20, 40))

    result = process_photo(io.BytesIO(encode(image, "PNG")))

    stored = reopen(result.image)
    left = stored.getpixel((5, 20))
    right = stored.getpixel((30, 20))
    assert isinstance(left, tuple)
    assert isinstance(right, tuple)
    assert max(left) - min(left) <= 2 and 80 <= left[0] <= 100
    assert min(right) > 245


def test_sixteen_bit_grey_png_is_scaled_not_clipped() -> None:
    image = Image.new("I;16", (30, 30), 32768)  # mid-grey in 16 bits

    result = process_photo(io.BytesIO(encode(image, "PNG")))

    pixel = reopen(result.image).getpixel((15, 15))
    assert isinstance(pixel, tuple)
    assert all(120 <= channel <= 136 for channel in pixel)


def test_webp_with_alpha_and_exif_is_accepted() -> None:
    image = Image.new("RGBA", (120, 80), (10, 20, 200, 255))
    upload = encode(image, "WEBP", quality=90, exif=make_exif(hamburg_gps()))

    result = process_photo(io.BytesIO(upload), filename="foto.webp")

    assert (result.width, result.height) == (120, 80)
    assert result.gps == GpsLocation(lat=53.36, lon=10.21)
    assert b"Exif" not in result.image


def test_cmyk_jpeg_becomes_rgb() -> None:
    result = process_photo(io.BytesIO(encode(Image.new("CMYK", (50, 50), (0, 0, 0, 0)), "JPEG")))

    stored = reopen(result.image)
    assert stored.mode == "RGB"
    pixel = stored.getpixel((25, 25))
    assert isinstance(pixel, tuple)
    assert min(pixel) > 245


def test_phone_multi_picture_jpeg_is_accepted() -> None:
    # Many phones write MPO (a JPEG with extra pictures); Pillow reports it as "MPO".
    first = two_halves()
    upload = encode(first, "MPO", save_all=True, append_images=[Image.new("RGB", (10, 10))])
    assert Image.open(io.BytesIO(upload)).format == "MPO"

    result = process_photo(io.BytesIO(upload))

    assert (result.width, result.height) == (200, 100)


def test_colour_profile_is_applied_and_dropped() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = Image.new("RGB", (40, 40), (200, 100, 50))

    result = process_photo(io.BytesIO(encode(image, "JPEG", quality=95, icc_profile=srgb)))

    stored = reopen(result.image)
    assert "icc_profile" not in stored.info
    pixel = stored.getpixel((20, 20))
    assert isinstance(pixel, tuple)
    assert all(abs(a - b) <= 6 for a, b in zip(pixel, (200, 100, 50), strict=True))


def test_broken_colour_profile_does_not_cost_the_photo() -> None:
    upload = encode(Image.new("RGB", (40, 40), "white"), "PNG", icc_profile=b"not a profile")

    result = process_photo(io.BytesIO(upload))

    assert "icc_profile" not in reopen(result.image).info


def test_django_upload_already_read_is_read_from_the_start() -> None:
    upload = SimpleUploadedFile("IMG_0001.JPG", jpeg(gps=hamburg_gps()), "image/jpeg")
    upload.read()  # e.g. a form field looked at it first

    result = process_photo(upload, filename=upload.name)

    assert result.gps == GpsLocation(lat=53.36, lon=10.21)


# --- GPS --------------------------------------------------------------------------------


def test_gps_north_east_in_decimal_degrees() -> None:
    result = process_photo(io.BytesIO(jpeg(gps=hamburg_gps(), orientation=6)))

    assert result.gps == GpsLocation(lat=53.36, lon=10.21)


def test_gps_south_west_is_negative() -> None:
    # Rio de Janeiro: 22° 54' 36" S, 43° 10' 48" W
    gps: GpsIfd = {
        ExifTags.GPS.GPSLatitudeRef: "S",
        ExifTags.GPS.GPSLatitude: dms(22, 54, 36),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: dms(43, 10, 48),
    }

    location = read_gps(io.BytesIO(jpeg(gps=gps)))

    assert location == GpsLocation(lat=-22.91, lon=-43.18)


def test_gps_with_fractional_seconds() -> None:
    gps = hamburg_gps()
    gps[ExifTags.GPS.GPSLatitude] = (
        IFDRational(53, 1),
        IFDRational(21, 1),
        IFDRational(3618, 100),
    )

    location = read_gps(io.BytesIO(jpeg(gps=gps)))

    assert location is not None
    assert location.lat == pytest.approx(53 + 21 / 60 + 36.18 / 3600)


def test_gps_stored_as_decimal_degrees_only() -> None:
    gps = hamburg_gps()
    gps[ExifTags.GPS.GPSLatitude] = IFDRational(5336, 100)
    gps[ExifTags.GPS.GPSLongitude] = IFDRational(1021, 100)

    assert read_gps(io.BytesIO(jpeg(gps=gps))) == GpsLocation(lat=53.36, lon=10.21)


def _replace(key: int, value: object) -> Callable[[GpsIfd], None]:
    def change(gps: GpsIfd) -> None:
        gps[key] = value

    return change


def _remove(key: int) -> Callable[[GpsIfd], None]:
    def change(gps: GpsIfd) -> None:
        del gps[key]

    return change


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(_remove(ExifTags.GPS.GPSLatitudeRef), id="no-hemisphere"),
        pytest.param(_replace(ExifTags.GPS.GPSLatitudeRef, "X"), id="unknown-hemisphere"),
        pytest.param(_remove(ExifTags.GPS.GPSLongitude), id="no-longitude"),
        pytest.param(
            _replace(ExifTags.GPS.GPSLatitude, (IFDRational(53, 0), *dms(0, 21, 36)[1:])),
            id="zero-denominator",
        ),
        pytest.param(_replace(ExifTags.GPS.GPSLatitude, dms(95, 0, 0)), id="latitude-over-90"),
        pytest.param(_replace(ExifTags.GPS.GPSLongitude, dms(181, 0, 0)), id="longitude-over-180"),
        pytest.param(_replace(ExifTags.GPS.GPSLatitude, dms(53, 75, 0)), id="75-minutes"),
        pytest.param(
            _replace(ExifTags.GPS.GPSLatitude, (*dms(53, 21, 36), IFDRational(1, 1))),
            id="four-components",
        ),
        pytest.param(_replace(ExifTags.GPS.GPSStatus, "V"), id="receiver-had-no-fix"),
    ],
)
def test_malformed_gps_is_ignored(spoil: Callable[[GpsIfd], None]) -> None:
    gps = hamburg_gps()
    spoil(gps)
    upload = jpeg(gps=gps)

    assert read_gps(io.BytesIO(upload)) is None
    assert process_photo(io.BytesIO(upload)).gps is None


def test_gps_at_zero_zero_means_no_fix() -> None:
    gps: GpsIfd = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: dms(0, 0, 0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: dms(0, 0, 0),
    }
    assert read_gps(io.BytesIO(jpeg(gps=gps))) is None


def test_garbage_exif_block_is_ignored() -> None:
    image = two_halves()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=b"Exif\x00\x00MM\x00*\xff\xff\xff\xffgarbage")
    upload = buffer.getvalue()

    with pytest.warns(UserWarning, match="Corrupt EXIF"):  # Pillow's, not ours
        assert read_gps(io.BytesIO(upload)) is None
        result = process_photo(io.BytesIO(upload))
    assert (result.width, result.height) == (200, 100)


def test_read_gps_without_exif_is_none() -> None:
    assert read_gps(io.BytesIO(jpeg(metadata=False))) is None
    assert read_gps(io.BytesIO(encode(Image.new("RGB", (10, 10)), "PNG"))) is None


def test_read_gps_reads_headers_only(no_decoding: None) -> None:
    location = read_gps(io.BytesIO(jpeg(two_halves((4000, 3000)), gps=hamburg_gps())))

    assert location == GpsLocation(lat=53.36, lon=10.21)


def test_read_gps_works_on_a_photo_whose_pixels_are_cut_off() -> None:
    full = jpeg(Image.effect_noise((400, 300), 60).convert("RGB"), gps=hamburg_gps())
    cut = full[: len(full) // 2]

    assert read_gps(io.BytesIO(cut)) == GpsLocation(lat=53.36, lon=10.21)
    assert rejection(cut).code == "corrupt"


def test_read_gps_applies_the_same_checks(settings: Settings) -> None:
    with pytest.raises(PhotoRejected) as not_image:
        read_gps(io.BytesIO(b"Hallo, ich bin ein Text."))
    assert not_image.value.code == "not_an_image"

    settings.PHOTO_MAX_BYTES = 100
    with pytest.raises(PhotoRejected) as too_large:
        read_gps(io.BytesIO(jpeg()))
    assert too_large.value.code == "too_large"


# --- rejections -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"Sehr geehrte Damen und Herren,\nhier ist ein Schlagloch.\n", id="text"),
        pytest.param(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n", id="pdf"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 100, id="zip"),
    ],
)
def test_non_image_renamed_to_jpg_is_rejected(content: bytes) -> None:
    rejected = rejection(content, filename="schlagloch.jpg")

    assert rejected.code == "not_an_image"
    assert isinstance(rejected, ValueError)
    assert "kein Bild" in rejected.message
    assert rejected.message.startswith("„schlagloch.jpg“: ")
    assert str(rejected) == rejected.message


def test_empty_file_is_rejected() -> None:
    rejected = rejection(b"")
    assert rejected.code == "not_an_image"
    assert rejected.message == "Die Datei ist leer."


def test_truncated_jpeg_is_rejected() -> None:
    full = jpeg(Image.effect_noise((400, 300), 60).convert("RGB"))

    rejected = rejection(full[: len(full) // 2])

    assert rejected.code == "corrupt"
    assert "beschädigt oder unvollständig" in rejected.message


def test_jpeg_cut_within_its_header_is_corrupt_not_a_non_image() -> None:
    rejected = rejection(jpeg()[:40])
    assert rejected.code == "corrupt"


def test_over_size_file_is_rejected_before_decoding(settings: Settings, no_decoding: None) -> None:
    settings.PHOTO_MAX_BYTES = 1000
    upload = jpeg(Image.effect_noise((100, 100), 60).convert("RGB"))
    assert len(upload) > 1000

    rejected = rejection(upload, filename="C:\\Users\\anna\\Bilder\\gross.jpg")

    assert rejected.code == "too_large"
    assert rejected.message.startswith("„gross.jpg“: Die Datei ist zu groß.")
    assert "1000" in rejected.message  # filesizeformat: "1000 Bytes"


def test_django_upload_over_size_is_rejected_from_its_size(settings: Settings) -> None:
    settings.PHOTO_MAX_BYTES = 1000
    upload = SimpleUploadedFile("gross.jpg", b"\x00" * 1001, "image/jpeg")

    with pytest.raises(PhotoRejected) as caught:
        process_photo(upload)

    assert caught.value.code == "too_large"


def test_size_limit_reads_at_most_one_byte_more(settings: Settings) -> None:
    settings.PHOTO_MAX_BYTES = 5000

    class EndlessUpload(io.BytesIO):
        """A stream that never ends, counting what was read from it."""

        bytes_read = 0

        def seekable(self) -> bool:
            return False

        def read(self, size: int | None = -1, /) -> bytes:
            assert size is not None and size >= 0, "must never read without a limit"
            self.bytes_read += size
            return b"\xff" * size

    upload = EndlessUpload()
    with pytest.raises(PhotoRejected) as caught:
        process_photo(upload)

    assert caught.value.code == "too_large"
    assert upload.bytes_read == 5001


def test_file_exactly_at_the_limit_is_accepted(settings: Settings) -> None:
    upload = jpeg(metadata=False)
    settings.PHOTO_MAX_BYTES = len(upload)

    assert process_photo(io.BytesIO(upload)).width == 200


def test_decompression_bomb_is_rejected_without_decoding(no_decoding: None) -> None:
    # About 150 bytes that declare 50000 x 50000 pixels (7.5 GB once decoded).
    bomb = png_declaring(50_000, 50_000)
    assert len(bomb) < 200

    rejected = rejection(bomb)

    assert rejected.code == "decompression_bomb"
    assert "Sicherheitsgründen" in rejected.message


def test_pillow_bomb_warning_becomes_a_rejection(no_decoding: None) -> None:
    # 100 megapixels: above Pillow's MAX_IMAGE_PIXELS, where Pillow only warns.
    with pytest.warns(Image.DecompressionBombWarning):
        rejected = rejection(png_declaring(10_000, 10_000))

    assert rejected.code == "decompression_bomb"


def test_pixel_limit_comes_from_settings(settings: Settings, no_decoding: None) -> None:
    settings.PHOTO_MAX_PIXELS = 10_000

    rejected = rejection(png_declaring(200, 100))

    assert rejected.code == "too_many_pixels"
    assert "Das Bild hat zu viele Pixel" in rejected.message


def test_default_pixel_limit_is_40_megapixels(no_decoding: None) -> None:
    rejected = rejection(png_declaring(8000, 6000))  # 48 MP

    assert rejected.code == "too_many_pixels"
    assert "48,0 Megapixel, erlaubt sind 40,0" in rejected.message


@pytest.mark.parametrize(
    ("image_format", "name"),
    [("GIF", "GIF"), ("TIFF", "TIFF"), ("BMP", "BMP")],
)
def test_other_image_formats_are_unsupported(image_format: str, name: str) -> None:
    rejected = rejection(encode(Image.new("RGB", (20, 20)), image_format))

    assert rejected.code == "unsupported_format"
    assert f"Das Bildformat {name} wird nicht unterstützt" in rejected.message
    assert "JPEG, PNG" in rejected.message


def test_heic_without_pillow_heif_gets_a_helpful_message(monkeypatch: pytest.MonkeyPatch) -> None:
    # As deployed without the optional package, whether or not it is installed here.
    monkeypatch.setattr(photos, "HEIF_SUPPORTED", False)
    monkeypatch.setattr(photos, "_ACCEPTED_FORMATS", ("JPEG", "PNG", "WEBP"))
    heic_start = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64

    rejected = rejection(heic_start, filename="IMG_4711.HEIC")

    assert rejected.code == "unsupported_format"
    assert "HEIC-Format" in rejected.message
    assert "als JPEG, PNG oder WebP hoch" in rejected.message


@pytest.mark.parametrize("value", [0, -5, "15MB", 1.5, True])
def test_misconfigured_limit_fails_loudly(settings: Settings, value: object) -> None:
    settings.PHOTO_MAX_BYTES = value

    with pytest.raises(ImproperlyConfigured, match="PHOTO_MAX_BYTES"):
        process_photo(io.BytesIO(jpeg()))


def test_heic_is_accepted_rotated_and_stripped() -> None:
    assert photos.HEIF_SUPPORTED  # pillow-heif is a project dependency
    data = encode(two_halves(), "HEIF", quality=90, exif=make_exif(hamburg_gps(), 6).tobytes())
    result = process_photo(io.BytesIO(data), filename="IMG_0001.HEIC")
    assert (result.width, result.height) == (100, 200)
    assert result.gps == GpsLocation(53.36, 10.21)
    assert read_gps(io.BytesIO(data)) == GpsLocation(53.36, 10.21)
    for output in (result.image, result.thumbnail):
        image = reopen(output)
        assert image.format == "JPEG"
        assert not image.getexif()
        assert b"Exif\x00\x00" not in output
        assert not any(marker in output for marker in MARKERS)
    # red was on the left; orientation 6 turns it to the top
    pixel = reopen(result.image).getpixel((50, 10))
    assert isinstance(pixel, tuple)
    assert pixel[0] > 200


def test_truncated_heic_is_corrupt() -> None:
    data = encode(two_halves(), "HEIF", quality=90)
    assert rejection(data[: len(data) // 2]).code == "corrupt"
