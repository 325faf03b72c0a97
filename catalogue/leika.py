"""The LeiKa key (Leistungsschlüssel of the Leistungskatalog der öffentlichen Verwaltung).

A LeiKa key has 14 digits: the Leistungsobjekt (8 digits, the first two name who maintains it:
"99" the federal LeiKa, 01–16 a Land for its own services), the Verrichtung (3 digits) and the
Verrichtungsdetail (3 digits), e.g. 99050012104000 "Gewerbe anmelden". Every service carries
one, so FIT-Connect routing, the PVOG and state editorial systems can name it.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LEIKA_LENGTH = 14
_LEIKA = re.compile(r"^\d{14}$")
_MAINTAINERS = {"99"} | {f"{land:02d}" for land in range(1, 17)}


def normalise_leika(value: str) -> str:
    """The key without the spaces and dots some exports put between its parts."""
    return re.sub(r"[\s.]", "", value or "")


def leika_problem(value: str) -> str:
    """Why `value` is no LeiKa key (empty string: it is one)."""
    if not _LEIKA.match(value):
        return str(_("Ein LeiKa-Schlüssel hat genau 14 Ziffern (z. B. 99050012104000)."))
    if value[:2] not in _MAINTAINERS:
        return str(
            _("Ein LeiKa-Schlüssel beginnt mit 99 (Bund) oder dem Schlüssel eines Landes (01–16).")
        )
    if value[2:8] == "000000":
        return str(_("Der LeiKa-Schlüssel nennt kein Leistungsobjekt."))
    return ""


def validate_leika(value: str) -> None:
    problem = leika_problem(value)
    if problem:
        raise ValidationError(problem, code="leika")
