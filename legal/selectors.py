"""Which text a legal page shows: the operator's, else the shipped default."""

from __future__ import annotations

from .defaults import DEFAULTS
from .models import LegalPage


def page_text(kind: str, language: str) -> tuple[str, bool]:
    """The text for `language` and whether it is the shipped default. English visitors see the
    edited English text, else the edited German one (it carries the operator's real contact
    data), and only when nothing is edited the shipped English text."""
    page = LegalPage.objects.filter(kind=kind).first()
    edited_de = page.text_de.strip() if page else ""
    edited_en = page.text_en.strip() if page else ""
    if language.startswith("en"):
        if edited_en:
            return edited_en, False
        if edited_de:
            return edited_de, False
        return DEFAULTS[kind]["en"], True
    if edited_de:
        return edited_de, False
    return DEFAULTS[kind]["de"], True
