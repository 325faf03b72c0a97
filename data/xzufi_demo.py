"""Write the demo catalogue as an XZuFi 2.2 document (data/xzufi/demo-catalogue.xml).

`make run` imports that file (scripts/setup.sh: import_xzufi --commit), so the import path runs
on every start. The texts come from data.catalogue_spec and the organisational units and
Zuständigkeiten from the demo region (data.demo_spec); what XZuFi cannot carry (forms, fee
amounts, Lebenslagen, overrides, the portal's level) stays in data.catalogue_seed, keyed by
LeiKa. Regenerate after changing either spec:

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python manage.py write_demo_xzufi

(tests/catalogue/test_xzufi_demo.py fails while the committed file is out of date).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from . import catalogue_spec, demo_spec

NS = "http://xoev.de/schemata/xzufi/2_2_0"
PATH = Path(__file__).resolve().parent / "xzufi" / "demo-catalogue.xml"
AGENCY = "demo-heideland"
LEIKA_LIST = "urn:de:fim:leika:leistung"
TEXT_MODULE_LIST = "urn:de:xzufi:codeliste:leistungstextmodulleika"


def _el(parent: etree._Element, name: str, text: str = "", **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}", attrs)
    if text:
        element.text = text
    return element


def _code(parent: etree._Element, name: str, code: str, list_uri: str) -> None:
    element = _el(parent, name, listURI=list_uri)
    etree.SubElement(element, "code").text = code


def _text_module(leistung: etree._Element, code: str, text: str, links: tuple = ()) -> None:
    if not text and not links:
        return
    module = _el(leistung, "modulText")
    _el(module, "inhalt", text, languageCode="de")
    _code(module, "leikaTextmodul", code, TEXT_MODULE_LIST)
    for title, url in links:
        link = _el(module, "weiterfuehrenderLink")
        _el(link, "uri", url)
        _el(link, "titel", title)


def _service(parent: etree._Element, spec: catalogue_spec.ServiceSpec) -> None:
    leistung = _el(parent, "leistung")
    _el(leistung, "id", f"demo-{spec.slug}", schemeAgencyID=AGENCY)
    _code(leistung, "referenzLeiKa", catalogue_spec.LEIKA_KEYS[spec.slug], LEIKA_LIST)
    _text_module(leistung, "02", spec.name)
    _text_module(leistung, "05", spec.summary)
    _text_module(leistung, "06", spec.description, spec.links)
    _text_module(leistung, "08", "\n".join(spec.required_documents))
    for module, text in (
        ("modulKosten", spec.fees),
        ("modulBearbeitungsdauer", spec.processing_time),
    ):
        if text:
            _el(_el(leistung, module), "beschreibung", text, languageCode="de")
    words = [word.strip() for word in spec.keywords.split(",") if word.strip()]
    if words:
        begriffe = _el(leistung, "modulBegriffImKontext")
        for word in words:
            _el(_el(begriffe, "begriffImKontext"), "begriff", word, languageCode="de")


def _anschrift(unit: etree._Element, spec: demo_spec.AuthoritySpec) -> None:
    anschrift = _el(unit, "anschrift")
    lines = [line for line in spec.address.splitlines() if line.strip()]
    if len(lines) >= 2:
        *extra, street_line, town_line = lines
        for line in extra:
            _el(anschrift, "zusatz", line)
        street, _, number = street_line.rpartition(" ")
        if not number[:1].isdigit():
            street, number = street_line, ""
        _el(anschrift, "strasse", street)
        if number:
            _el(anschrift, "hausnummer", number)
        postcode, _, town = town_line.partition(" ")
        _el(anschrift, "postleitzahl", postcode)
        _el(anschrift, "ort", town)
    kodierung = _el(anschrift, "verwaltungspolitischeKodierung")
    _code(
        kodierung,
        "regionalschluessel",
        spec.ars,
        "urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs",
    )


def _unit(parent: etree._Element, spec: demo_spec.AuthoritySpec) -> etree._Element:
    unit = _el(parent, "organisationseinheit")
    _el(unit, "id", f"demo-oe-{spec.slug}", schemeAgencyID=AGENCY)
    _el(_el(unit, "name"), "name", spec.name, languageCode="de")
    _anschrift(unit, spec)
    for value in (spec.email, spec.phone):
        if value:
            _el(_el(unit, "kommunikation"), "kennung", value)
    if spec.website:
        _el(_el(unit, "internetadresse"), "uri", spec.website)
    if spec.opening_hours:
        hours = _el(unit, "oeffnungszeiten")
        for line in spec.opening_hours.splitlines():
            _el(hours, "zusatz", line.strip(), languageCode="de")
    return unit


def _handlers(level: str) -> list[tuple[str, str]]:
    """(area slug, handling authority slug) for each area of the region at `level` — the
    demo's Zuständigkeiten, as the level rules of catalogue.responsibility would find them."""
    authorities = [a for a in demo_spec.AUTHORITIES if a.ars]
    if level == catalogue_spec.KREIS:
        return [(a.slug, a.slug) for a in authorities if a.level == catalogue_spec.KREIS]
    gemeinden = [a for a in authorities if a.level == catalogue_spec.GEMEINDE]
    if level == catalogue_spec.SAMTGEMEINDE:
        samtgemeinden = [a for a in authorities if a.level == catalogue_spec.SAMTGEMEINDE]
        free = [a for a in gemeinden if a.delegates_to is None]
        return [(a.slug, a.slug) for a in samtgemeinden + free]
    return [(a.slug, a.delegates_to or a.slug) for a in gemeinden]


def build() -> bytes:
    root = etree.Element(
        f"{{{NS}}}transfer.schreibe.0101", nsmap={"xzufi": NS}, xzufiVersion="2.2.0"
    )
    kopf = _el(root, "nachrichtenkopf")
    _el(kopf, "nachrichtUUID", "00000000-0000-4000-8000-000000000001")
    _el(kopf, "erstellungszeitpunkt", "2026-12-01T00:00:00Z")
    schreibe = _el(root, "schreibe")
    for spec in catalogue_spec.SERVICES:
        _service(schreibe, spec)
    by_slug = {a.slug: a for a in demo_spec.AUTHORITIES}
    units: dict[str, etree._Element] = {}
    for spec in catalogue_spec.SERVICES:
        for area, handler in _handlers(spec.level):
            if handler not in units:
                units[handler] = _unit(schreibe, by_slug[handler])
            zustaendigkeit = _el(units[handler], "zustaendigkeit")
            _el(zustaendigkeit, "leistungID", f"demo-{spec.slug}", schemeAgencyID=AGENCY)
            _el(zustaendigkeit, "gebietID", by_slug[area].ars)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write() -> Path:
    PATH.parent.mkdir(exist_ok=True)
    PATH.write_bytes(build())
    return PATH
