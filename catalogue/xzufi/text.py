"""Small readers for XZuFi elements: finding children by local name, multilingual texts
(German first), HTML-ish content to plain text, addresses, contacts, element paths."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree, html

LANGUAGE = "de"
_SPACE = re.compile(r"[ \t\r\f\v]+")
_BLOCKS = {"p", "li", "br", "div", "h1", "h2", "h3", "h4", "tr"}


class ParseError(ValueError):
    """The document is no XZuFi 2.2 catalogue we can read; the message names where."""


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def children(element: etree._Element | None, name: str) -> list[etree._Element]:
    if element is None:
        return []
    return [item for item in element.iterchildren(tag=etree.Element) if local(item) == name]


def child(element: etree._Element | None, name: str) -> etree._Element | None:
    found = children(element, name)
    return found[0] if found else None


def path_of(element: etree._Element) -> str:
    """/transfer/schreibe[1]/leistung[3] (line 42): local names with the position among
    siblings of the same name, and the source line."""
    parts = []
    current: etree._Element | None = element
    while current is not None:
        parent = current.getparent()
        name = local(current)
        if parent is None:
            parts.append(name)
        else:
            same = children(parent, name)
            parts.append(f"{name}[{same.index(current) + 1}]")
        current = parent
    return "/" + "/".join(reversed(parts)) + f" (Zeile {element.sourceline})"


def plain(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return _SPACE.sub(" ", "".join(element.itertext())).strip()


MAX_ID = 200


def required_text(element: etree._Element, name: str) -> str:
    """The text of a required identifier child (at most MAX_ID characters)."""
    value = plain(child(element, name))
    if not value:
        raise ParseError(f"<{local(element)}> ohne <{name}> bei {path_of(element)}")
    if len(value) > MAX_ID:
        raise ParseError(f"<{name}> länger als {MAX_ID} Zeichen bei {path_of(element)}")
    return value


def code_of(element: etree._Element | None) -> str:
    """The `code` of an XÖV code type (qualified or not), else the element's own text."""
    code = child(element, "code")
    return plain(code) if code is not None else plain(element)


def digits(value: str) -> str:
    found = re.sub(r"\D", "", value)
    return found if len(found) <= 12 else ""


def _html_lines(markup: str) -> list[str]:
    """Lines of an HTML-ish text (as editorial systems write it): one per block."""
    try:
        tree = html.fragment_fromstring(markup, create_parent="div")
    except etree.ParserError:
        return [markup]
    for block in tree.iter(*_BLOCKS):
        block.tail = "\n" + (block.tail or "")
    return [line.strip() for line in tree.text_content().split("\n")]


def _to_text(element: etree._Element, *, lines: bool) -> str:
    raw = "".join(element.itertext()).strip()
    found = _html_lines(raw) if "<" in raw else raw.split("\n")
    found = [_SPACE.sub(" ", line).strip() for line in found]
    found = [line for line in found if line]
    return "\n".join(found) if lines else "\n\n".join(found)


def _languages(element: etree._Element | None, name: str) -> list[etree._Element]:
    if element is None:
        return []
    candidates = children(element, name)
    german = [c for c in candidates if (c.get("languageCode") or LANGUAGE).startswith(LANGUAGE)]
    return german or candidates


def inhalt(element: etree._Element | None, *, inner: str = "inhalt", lines: bool = False) -> str:
    """The German `inhalt` (or `inner`) of a multilingual element; the element's own text
    when it has no such children."""
    if element is None:
        return ""
    found = _languages(element, inner)
    if not found:
        return _to_text(element, lines=lines)
    return _to_text(found[0], lines=lines)


def descriptions(module: etree._Element) -> str:
    """The German `beschreibung` of a Kosten/Frist/Bearbeitungsdauer module, else its texts."""
    found = _languages(module, "beschreibung")
    if found:
        return _to_text(found[0], lines=False)
    return "\n".join(leaf_texts(module))


def all_texts(element: etree._Element, name: str) -> list[str]:
    return [plain(item) for item in element.iter() if local(item) == name and plain(item)]


def leaf_texts(element: etree._Element) -> list[str]:
    """The texts of the element's leaves, in document order (structured opening hours)."""
    return [
        plain(item)
        for item in element.iter(tag=etree.Element)
        if len(item) == 0 and plain(item) and local(item) != "code"
    ]


def fragment(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode", with_tail=False)


def address(anschrift: etree._Element) -> str:
    street = " ".join(
        part
        for part in (plain(child(anschrift, "strasse")), plain(child(anschrift, "hausnummer")))
        if part
    )
    town = " ".join(
        part
        for part in (plain(child(anschrift, "postleitzahl")), plain(child(anschrift, "ort")))
        if part
    )
    lines = [plain(item) for item in children(anschrift, "zusatz")] + [street, town]
    return "\n".join(line for line in lines if line)


def official_key(anschrift: etree._Element) -> str:
    kodierung = child(anschrift, "verwaltungspolitischeKodierung")
    for name in ("regionalschluessel", "gemeindeschluessel"):
        key = digits(code_of(child(kodierung, name)))
        if key:
            return key
    return ""


def contacts(element: etree._Element, unit: Any) -> None:
    """E-mail, phone and website from `kommunikation/kennung` (told apart by their shape) and
    `internetadresse/uri`."""
    for item in children(element, "kommunikation"):
        value = plain(child(item, "kennung"))
        if "@" in value and not unit.email:
            unit.email = value.removeprefix("mailto:")
        elif value.startswith(("http://", "https://")) and not unit.website:
            unit.website = value
        elif re.fullmatch(r"[0-9 +()/-]{5,}", value) and not unit.phone:
            unit.phone = value
    for item in children(element, "internetadresse"):
        uri = plain(child(item, "uri")) or plain(item)
        if uri and not unit.website:
            unit.website = uri
