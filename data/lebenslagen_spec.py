"""The demo catalogue's Lebenslagen (life situations) and the services each one groups, by
service slug (data.catalogue_spec). A service may sit in several Lebenslagen. Pure data;
data.catalogue_seed turns it into rows."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LebenslageSpec:
    slug: str
    name: str
    name_en: str
    summary: str
    summary_en: str
    services: tuple[str, ...]


LEBENSLAGEN: tuple[LebenslageSpec, ...] = (
    LebenslageSpec(
        "umzug-und-wohnen",
        "Umzug und Wohnen",
        "Moving and housing",
        "Ummelden, Müllabfuhr, Parken in der neuen Straße, Wohngeld.",
        "Registering your address, waste collection, residents' parking, housing benefit.",
        (
            "wohnsitz-anmeldung",
            "meldebescheinigung",
            "muelltonne",
            "abfallkalender",
            "anwohnerparkausweis",
            "wohngeld",
            "grundsteuer",
        ),
    ),
    LebenslageSpec(
        "kind-und-familie",
        "Kind und Familie",
        "Children and family",
        "Geburt, Elterngeld, KiTa-Platz, Schulweg, Heirat.",
        "Birth, parental allowance, daycare, school transport, marriage.",
        ("geburtsurkunde", "elterngeld", "kita-anmeldung", "schuelerfahrkarte", "eheschliessung"),
    ),
    LebenslageSpec(
        "ausweise-und-dokumente",
        "Ausweise und Dokumente",
        "Identity cards and documents",
        "Personalausweis, Reisepass, Führungszeugnis, Urkunden.",
        "Identity card, passport, certificate of conduct, civil status certificates.",
        (
            "personalausweis",
            "reisepass",
            "fuehrungszeugnis",
            "meldebescheinigung",
            "geburtsurkunde",
            "sterbeurkunde",
            "schwerbehindertenausweis",
        ),
    ),
    LebenslageSpec(
        "auto-und-verkehr",
        "Auto und Verkehr",
        "Cars and traffic",
        "Zulassung, Führerschein, Anwohnerparken.",
        "Vehicle registration, driving licence, residents' parking.",
        ("kfz-zulassung", "fuehrerschein", "anwohnerparkausweis"),
    ),
    LebenslageSpec(
        "bauen-und-garten",
        "Bauen, Haus und Garten",
        "Building, house and garden",
        "Bauantrag, Baumfällung, Sperrmüll, Grundsteuer.",
        "Building permits, tree felling, bulky waste, property tax.",
        ("bauantrag-auskunft", "bauantrag", "baumfaellung", "sperrmuell", "grundsteuer"),
    ),
    LebenslageSpec(
        "tiere",
        "Tiere",
        "Animals",
        "Hund anmelden und abmelden.",
        "Registering and deregistering a dog.",
        ("hundesteueranmeldung", "hundesteuer-abmeldung"),
    ),
    LebenslageSpec(
        "arbeit-und-freizeit",
        "Arbeit, Gewerbe und Freizeit",
        "Work, business and leisure",
        "Gewerbe anmelden, Veranstaltungen, Waffenbesitz.",
        "Registering a business, events, firearms ownership.",
        ("gewerbeanmeldung", "veranstaltung", "waffenschein", "fuehrungszeugnis"),
    ),
    LebenslageSpec(
        "abfall-und-fundsachen",
        "Abfall und Alltag",
        "Waste and everyday matters",
        "Müllabfuhr, Sperrmüll, Fundbüro.",
        "Waste collection, bulky waste, lost and found.",
        ("abfallkalender", "muelltonne", "sperrmuell", "fundsachen"),
    ),
    LebenslageSpec(
        "pflege-und-abschied",
        "Gesundheit, Pflege und Todesfall",
        "Health, care and bereavement",
        "Schwerbehinderung, Sterbefall, Wohngeld.",
        "Disability, a death in the family, housing benefit.",
        ("schwerbehindertenausweis", "sterbeurkunde", "wohngeld"),
    ),
)
