"""Checks for documents citizens and staff attach (applications, postbox messages, statements
on development plans).

Two kinds are accepted, decided by the content, never by the file name or the browser's type:

* photos: exactly the report photo pipeline (core.images.process_photo) — size limit,
  accepted formats, decompression-bomb and pixel checks, re-encoded as JPEG without metadata;
* PDFs: at most ATTACHMENT_MAX_BYTES (default 10 MB), starting with the magic bytes `%PDF-`,
  ending with an `%%EOF` marker (a truncated upload is refused), and without active content
  (JavaScript, launch actions, embedded files), which no form document needs.

Anything else is refused with a German message (AttachmentRejected, like PhotoRejected).
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Final

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.images import PhotoRejected, process_photo, read_upload

DEFAULT_MAX_BYTES: Final = 10 * 1024 * 1024
_PDF_MAGIC: Final = b"%PDF-"
_ACTIVE_CONTENT: Final = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")


class AttachmentRejected(ValueError):
    """An upload we do not accept; `message` can be shown as is, `code` is for programs."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class CheckedAttachment:
    data: bytes
    content_type: str
    extension: str
    sha256: str
    original_name: str


def _name(filename: str | None) -> str:
    return PurePath((filename or "").replace("\\", "/")).name[:80] or "Datei"


def _rejected(code: str, message: str, filename: str | None) -> AttachmentRejected:
    return AttachmentRejected(
        code, _("„%(name)s“: %(message)s") % {"name": _name(filename), "message": message}
    )


def max_bytes() -> int:
    value = getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)
    return value if isinstance(value, int) and value > 0 else DEFAULT_MAX_BYTES


def _read_limited(fileobj: IO[bytes], limit: int, filename: str | None) -> bytes:
    data = read_upload(fileobj, limit)
    if data is None:
        raise _too_large(limit, filename)
    return data


def _too_large(limit: int, filename: str | None) -> AttachmentRejected:
    return _rejected(
        "too_large",
        _("Die Datei ist zu groß. Erlaubt sind höchstens %(limit)s.")
        % {"limit": filesizeformat(limit)},
        filename,
    )


def check_pdf(data: bytes, filename: str | None = None) -> None:
    """Raise AttachmentRejected unless `data` is a complete PDF without active content."""
    if not data.startswith(_PDF_MAGIC):
        raise _rejected("not_a_pdf", _("Die Datei ist kein PDF-Dokument."), filename)
    if b"%%EOF" not in data[-2048:]:
        raise _rejected(
            "corrupt",
            _("Das PDF ist unvollständig oder beschädigt. Bitte laden Sie es erneut hoch."),
            filename,
        )
    if _ACTIVE_CONTENT.search(data):
        raise _rejected(
            "active_content",
            _(
                "Das PDF enthält aktive Inhalte (Skripte oder eingebettete Dateien) und wird "
                "aus Sicherheitsgründen abgelehnt. Bitte speichern Sie es als einfaches PDF."
            ),
            filename,
        )


def check_attachment(fileobj: IO[bytes], *, filename: str | None = None) -> CheckedAttachment:
    """Check an upload and return what to store: the PDF as uploaded, or the re-encoded photo.
    Raises AttachmentRejected with a message for the citizen."""
    limit = max(max_bytes(), int(getattr(settings, "PHOTO_MAX_BYTES", 0) or 0))
    data = _read_limited(fileobj, limit, filename)
    if not data:
        raise _rejected("empty", _("Die Datei ist leer."), filename)
    stem = PurePath(_name(filename)).stem[:60] or "anlage"
    if data.startswith(_PDF_MAGIC):
        if len(data) > max_bytes():
            raise _too_large(max_bytes(), filename)
        check_pdf(data, filename)
        return CheckedAttachment(
            data=data,
            content_type="application/pdf",
            extension="pdf",
            sha256=hashlib.sha256(data).hexdigest(),
            original_name=f"{stem}.pdf",
        )
    try:
        photo = process_photo(io.BytesIO(data), filename=filename)
    except PhotoRejected as exc:
        if exc.code == "not_an_image":
            raise _rejected(
                "unsupported_type",
                _(
                    "Dieser Dateityp wird nicht angenommen. Erlaubt sind PDF-Dokumente und "
                    "Fotos (JPEG, PNG, WebP)."
                ),
                filename,
            ) from exc
        raise AttachmentRejected(exc.code, exc.message) from exc
    return CheckedAttachment(
        data=photo.image,
        content_type=photo.content_type,
        extension=photo.extension,
        sha256=photo.sha256,
        original_name=f"{stem}.{photo.extension}",
    )
