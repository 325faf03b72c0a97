"""Read an XZuFi 2.2 document into plain records (no database access).

Handled objects (local names in the namespace http://xoev.de/schemata/xzufi/2_2_0; `code`
children of code types may be unqualified, as XÖV code types are):

- ``leistung``: ``id``, ``referenzLeiKa/code`` (or an identifier with schemeAgencyID/schemeID
  "LeiKa"), ``modulText`` by its ``leikaTextmodul/code`` (02 Leistungsbezeichnung, 05 Kurztext,
  06 Volltext, 07 Handlungsgrundlagen, 08 Unterlagen, 09 Voraussetzungen, their
  ``weiterfuehrenderLink``), ``modulKosten``, ``modulFrist``, ``modulBearbeitungsdauer``,
  ``modulBegriffImKontext``;
- ``organisationseinheit``: ``id``, ``name``, ``anschrift`` (with
  ``verwaltungspolitischeKodierung/regionalschluessel`` or ``gemeindeschluessel``),
  ``kommunikation``, ``internetadresse``, ``oeffnungszeiten``, nested ``zustaendigkeit``;
- ``zustaendigkeitTransferObjekt`` (``uebergeordnetesObjektID`` = the unit, ``zustaendigkeit``);
- ``onlinedienst``: ``link/link``, ``bezeichnung`` and the ``leistungID`` it serves.

Whatever else a Leistung or Organisationseinheit carries is kept as XML text in `extra`
(keyed by element name); unknown top-level objects are counted. Problems name the element
path and line (ParseError)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TypeVar

from lxml import etree

from ..leika import leika_problem, normalise_leika
from . import text as xtext
from .text import ParseError, child, children, local, path_of, required_text

NAMESPACE = "http://xoev.de/schemata/xzufi/2_2_0"

# leikaTextmodul codes → Service fields (codes after the XZuFi code list
# urn:de:xzufi:codeliste:leistungstextmodulleika).
TEXT_MODULES = {
    "02": "name",
    "05": "summary",
    "06": "description",
    "07": "legal_basis",
    "08": "required_documents",
    "09": "prerequisites",
}
MODULES = {
    "modulKosten": "fees",
    "modulFrist": "deadlines",
    "modulBearbeitungsdauer": "processing_time",
}
_OBJECT_CONTAINERS = {"schreibe", "transfer", "daten"}
_ENVELOPE = {"nachrichtenkopf", "transaktionID", "transaktionPosition", "loesche"}


@dataclass
class ParsedService:
    xzufi_id: str
    leika_key: str
    path: str
    texts: dict[str, str] = field(default_factory=dict)
    keywords: list[str] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ParsedUnit:
    xzufi_id: str
    name: str
    path: str
    official_key: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    opening_hours: str = ""
    extra: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ParsedResponsibility:
    service_id: str
    unit_id: str
    area_key: str
    path: str
    extra: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ParsedCatalogue:
    services: list[ParsedService] = field(default_factory=list)
    units: list[ParsedUnit] = field(default_factory=list)
    responsibilities: list[ParsedResponsibility] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unknown_objects: Counter[str] = field(default_factory=Counter)


def parse_bytes(data: bytes) -> ParsedCatalogue:
    """The catalogue in an XZuFi 2.2 document; ParseError when it is not one."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"kein wohlgeformtes XML (Zeile {exc.lineno}): {exc.msg}") from exc
    if etree.QName(root).namespace != NAMESPACE:
        raise ParseError(
            f"kein XZuFi-2.2-Dokument: Wurzelelement {root.tag} (erwartet Namensraum {NAMESPACE})"
        )
    catalogue = ParsedCatalogue()
    online: dict[str, list[dict[str, Any]]] = {}
    for element in _objects(root, catalogue):
        name = local(element)
        if name == "leistung":
            _add_service(element, catalogue)
        elif name == "organisationseinheit":
            _add_unit(element, catalogue)
        elif name == "zustaendigkeitTransferObjekt":
            unit_id = required_text(element, "uebergeordnetesObjektID")
            for zustaendigkeit in children(element, "zustaendigkeit"):
                catalogue.responsibilities.extend(_responsibilities(zustaendigkeit, unit_id))
        elif name == "onlinedienst":
            for service_id, link in _online_links(element):
                online.setdefault(service_id, []).append(link)
        else:
            catalogue.unknown_objects[name] += 1
    for service in catalogue.services:
        service.links.extend(online.get(service.xzufi_id, []))
    _drop_duplicates(catalogue)
    return catalogue


def _drop_duplicates(catalogue: ParsedCatalogue) -> None:
    """An id that occurs twice keeps its first object; the others are reported."""
    catalogue.services = _first_of_each(catalogue.services, "Leistung", catalogue.warnings)
    catalogue.units = _first_of_each(catalogue.units, "Organisationseinheit", catalogue.warnings)


_Item = TypeVar("_Item", ParsedService, ParsedUnit)


def _first_of_each(objects: list[_Item], name: str, warnings: list[str]) -> list[_Item]:
    seen: set[str] = set()
    kept: list[_Item] = []
    for item in objects:
        if item.xzufi_id in seen:
            warnings.append(f"{item.path}: {name} {item.xzufi_id} doppelt, übergangen")
            continue
        seen.add(item.xzufi_id)
        kept.append(item)
    return kept


def _objects(root: etree._Element, catalogue: ParsedCatalogue) -> list[etree._Element]:
    """The XZuFi objects of the document, whether wrapped in `schreibe` or not."""
    found: list[etree._Element] = []
    for element in root.iterchildren(tag=etree.Element):
        name = local(element)
        if name in _ENVELOPE:
            continue
        if name in _OBJECT_CONTAINERS:
            found.extend(element.iterchildren(tag=etree.Element))
        else:
            found.append(element)
    return found


def _leika_of(element: etree._Element) -> str:
    reference = child(element, "referenzLeiKa")
    if reference is not None:
        return normalise_leika(xtext.code_of(reference))
    for candidate in element.iterchildren(tag=etree.Element):
        scheme = (candidate.get("schemeAgencyID") or "") + (candidate.get("schemeID") or "")
        if "leika" in scheme.lower():
            return normalise_leika(xtext.plain(candidate))
    return ""


_SERVICE_HANDLED = {"id", "referenzLeiKa", "modulBegriffImKontext", *MODULES}


def _add_service(element: etree._Element, catalogue: ParsedCatalogue) -> None:
    path = path_of(element)
    xzufi_id = required_text(element, "id")
    leika = _leika_of(element)
    problem = leika_problem(leika)
    if problem:
        catalogue.warnings.append(f"{path}: Leistung {xzufi_id} übersprungen – {problem}")
        return
    service = ParsedService(xzufi_id=xzufi_id, leika_key=leika, path=path)
    for item in element.iterchildren(tag=etree.Element):
        name = local(item)
        if name == "modulText" and _text_module(item, service):
            continue
        if name in MODULES:
            service.texts[MODULES[name]] = xtext.descriptions(item)
        elif name == "modulBegriffImKontext":
            service.keywords.extend(xtext.all_texts(item, "begriff"))
        elif name not in _SERVICE_HANDLED:
            service.extra.setdefault(name, []).append(xtext.fragment(item))
    if not service.texts.get("name"):
        catalogue.warnings.append(f"{path}: Leistung {xzufi_id} ohne Leistungsbezeichnung (02)")
        return
    catalogue.services.append(service)


def _text_module(item: etree._Element, service: ParsedService) -> bool:
    """Map one modulText onto the service; False if its code is not one we map."""
    module = child(item, "leikaTextmodul")
    field_name = TEXT_MODULES.get(xtext.code_of(module) if module is not None else "")
    if field_name is None:
        return False
    service.texts[field_name] = xtext.inhalt(item, lines=field_name == "required_documents")
    for link in children(item, "weiterfuehrenderLink"):
        url = xtext.plain(child(link, "uri")) or xtext.plain(link)
        if url:
            title = xtext.plain(child(link, "titel")) or url
            service.links.append({"title": title, "url": url})
    return True


_UNIT_HANDLED = {"id", "name", "anschrift", "kommunikation", "internetadresse", "zustaendigkeit"}
_UNIT_HANDLED |= {"oeffnungszeiten"}


def _add_unit(element: etree._Element, catalogue: ParsedCatalogue) -> None:
    xzufi_id = required_text(element, "id")
    name_element = child(element, "name")
    name = xtext.inhalt(name_element, inner="name") if name_element is not None else ""
    unit = ParsedUnit(xzufi_id=xzufi_id, name=name or xzufi_id, path=path_of(element))
    anschrift = child(element, "anschrift")
    if anschrift is not None:
        unit.address = xtext.address(anschrift)
        unit.official_key = xtext.official_key(anschrift)
    xtext.contacts(element, unit)
    hours = child(element, "oeffnungszeiten")
    if hours is not None:
        unit.opening_hours = "\n".join(xtext.leaf_texts(hours))
    for zustaendigkeit in children(element, "zustaendigkeit"):
        catalogue.responsibilities.extend(_responsibilities(zustaendigkeit, xzufi_id))
    for item in element.iterchildren(tag=etree.Element):
        if local(item) not in _UNIT_HANDLED:
            unit.extra.setdefault(local(item), []).append(xtext.fragment(item))
    catalogue.units.append(unit)


def _responsibilities(element: etree._Element, unit_id: str) -> list[ParsedResponsibility]:
    path = path_of(element)
    service_id = required_text(element, "leistungID")
    areas = [xtext.digits(xtext.plain(area)) for area in children(element, "gebietID")]
    areas = [area for area in areas if area]
    if not areas:
        raise ParseError(f"Zuständigkeit ohne gültige <gebietID> (ARS) bei {path}")
    extra: dict[str, list[str]] = {}
    for item in element.iterchildren(tag=etree.Element):
        if local(item) not in {"leistungID", "gebietID", "id"}:
            extra.setdefault(local(item), []).append(xtext.fragment(item))
    return [ParsedResponsibility(service_id, unit_id, area, path, extra) for area in areas]


def _online_links(element: etree._Element) -> list[tuple[str, dict[str, Any]]]:
    title = xtext.inhalt(child(element, "bezeichnung")) or "Online-Dienst"
    urls = [xtext.plain(child(link, "link")) for link in children(element, "link")]
    services = [xtext.plain(item) for item in children(element, "leistungID")]
    return [
        (service_id, {"title": title, "url": url, "online": True})
        for service_id in services
        for url in urls
        if url
    ]
