"""Subject access and portability (Art. 15/20 DSGVO): one ZIP with everything the portal keeps
about one person, as JSON files plus the files themselves (photos, attachments).

Each app owns its piece: it registers a `Part` in its AppConfig.ready() (privacy imports none
of them). A part gets the `Subject` (an account, or a guest known only by e-mail address) and
writes into the `Archive`: JSON documents under its own name and the stored files they point
to. The README.txt inside the ZIP (German) is put together from the parts' descriptions, so the
documentation of the structure lives next to the code that writes it; docs/privacy.md lists it
too (privacy.record)."""

from __future__ import annotations

import json
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.models import User


@dataclass(frozen=True)
class Subject:
    """Whose data: an account (its own records, linked by the account), or a guest (records
    that carry this e-mail address and no account)."""

    user: User | None
    email: str

    @property
    def is_guest(self) -> bool:
        return self.user is None


def plain(value: Any) -> Any:
    """A value as JSON can hold it: dates in ISO 8601, points as [longitude, latitude]."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Point):
        return [round(value.x, 6), round(value.y, 6)]
    if isinstance(value, GEOSGeometry):
        return json.loads(value.geojson)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


class Archive:
    """The ZIP being written. Names are kept inside the archive (no absolute paths, no ..)."""

    def __init__(self, target: IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        self.names: list[str] = []

    def _name(self, name: str) -> str:
        clean = posixpath.normpath(name.replace("\\", "/")).lstrip("/")
        if clean.startswith(".."):
            raise ValueError(f"name outside the archive: {name!r}")
        base, dot, ext = clean.rpartition(".")
        candidate, n = clean, 1
        while candidate in self.names:  # two attachments called "scan.pdf"
            n += 1
            candidate = f"{base}-{n}.{ext}" if dot else f"{clean}-{n}"
        self.names.append(candidate)
        return candidate

    def add_json(self, name: str, data: Any) -> str:
        name = self._name(name)
        text = json.dumps(plain(data), ensure_ascii=False, indent=2, sort_keys=False)
        self.zip.writestr(name, text + "\n")
        return name

    def add_text(self, name: str, text: str) -> str:
        name = self._name(name)
        self.zip.writestr(name, text)
        return name

    def add_file(self, name: str, stored_name: str) -> str | None:
        """Copy a stored file (photo, attachment) into the archive; its name inside the
        archive, or None when the file is gone from the storage."""
        if not stored_name or not default_storage.exists(stored_name):
            return None
        name = self._name(name)
        with default_storage.open(stored_name, "rb") as source, self.zip.open(name, "w") as out:
            while chunk := source.read(1024 * 1024):
                out.write(chunk)
        return name

    def close(self) -> None:
        self.zip.close()


@dataclass(frozen=True)
class Part:
    key: str
    title: str  # German, for README.txt
    description: str  # German: which files, what each JSON object holds
    write: Callable[[Subject, Archive], None]
    order: int = 100
    guests: bool = False  # also for a guest (records found by e-mail address)


_PARTS: dict[str, Part] = {}


def register_part(part: Part) -> None:
    _PARTS[part.key] = part


def parts(*, guest: bool = False) -> list[Part]:
    found = sorted(_PARTS.values(), key=lambda p: (p.order, p.key))
    return [p for p in found if p.guests] if guest else found


README_HEAD = """\
Auskunft über Ihre Daten (Art. 15 und Art. 20 DSGVO)
====================================================

Dieses Archiv enthält alle Daten, die das Portal „Mängelmelder“ zu {whom} gespeichert hat,
Stand {when}. Die Angaben stehen in JSON-Dateien (UTF-8, maschinenlesbar, z. B. mit einem
Texteditor oder einer Tabellenkalkulation zu öffnen), Fotos und Dokumente liegen daneben als
Dateien. Zeitangaben sind im Format ISO 8601 (Datum und Uhrzeit mit Zeitzone), Orte als
[Längengrad, Breitengrad] (WGS 84). Leere Listen bedeuten: dazu ist nichts gespeichert.

Fragen zu Ihren Daten beantwortet die zuständige Stelle oder ihre bzw. ihr
Datenschutzbeauftragte/r (siehe Datenschutzerklärung des Portals).

Inhalt
------
"""


def readme(subject: Subject, written: list[Part]) -> str:
    whom = (
        f"der E-Mail-Adresse {subject.email} (ohne Bürgerkonto)"
        if subject.is_guest
        else f"Ihrem Bürgerkonto {subject.email}"
    )
    when = timezone.localtime().strftime("%d.%m.%Y %H:%M")
    lines = [README_HEAD.format(whom=whom, when=when)]
    for part in written:
        lines += [f"{part.title}", "", part.description.strip(), ""]
    return "\n".join(lines)


def write_archive(subject: Subject, target: IO[bytes]) -> list[str]:
    """Write the whole ZIP for `subject` into `target`; the names inside it."""
    archive = Archive(target)
    written = parts(guest=subject.is_guest)
    archive.add_text("README.txt", readme(subject, written))
    for part in written:
        part.write(subject, archive)
    archive.close()
    return archive.names
