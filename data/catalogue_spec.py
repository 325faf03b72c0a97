"""The demo region's service catalogue as data: services, search synonyms, fees, forms.

Pure data, no database access; data.catalogue_seed turns it into rows. Levels follow Lower Saxony
(simplified): registration, civil status and trade register sit with the Samtgemeinde (or the
verbandsfreie Gemeinde), social benefits, building supervision, waste and school transport with
the Landkreis, local taxes and daycare with the Gemeinde. LeiKa keys are left empty: the demo
does not claim official keys it has not checked (see docs/catalogue.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import demo_spec

KREIS = "kreis"
SAMTGEMEINDE = "samtgemeinde"
GEMEINDE = "gemeinde"

GUEST = "guest"
REGISTERED = "registered"
VERIFIED = "verified"


def text(title: str, *, max_length: int = 200, min_length: int = 0, **extra: Any) -> dict:
    schema: dict[str, Any] = {"type": "string", "title": title, "maxLength": max_length}
    if min_length:
        schema["minLength"] = min_length
    schema.update(extra)
    return schema


def long_text(title: str, *, max_length: int = 2000, **extra: Any) -> dict:
    return text(title, max_length=max_length, **{"x-widget": "textarea", **extra})


def date(title: str, **extra: Any) -> dict:
    return {"type": "string", "format": "date", "title": title, **extra}


def integer(title: str, minimum: int, maximum: int, **extra: Any) -> dict:
    return {"type": "integer", "title": title, "minimum": minimum, "maximum": maximum, **extra}


def choice(title: str, options: list[tuple[str, str]], **extra: Any) -> dict:
    return {
        "type": "string",
        "title": title,
        "oneOf": [{"const": value, "title": label} for value, label in options],
        **extra,
    }


def flag(title: str, **extra: Any) -> dict:
    return {"type": "boolean", "title": title, **extra}


def form(
    title: str,
    properties: dict[str, dict],
    required: list[str],
    uploads: list[dict] | None = None,
) -> dict:
    """A flat JSON Schema object (draft 2020-12) with German titles; `x-uploads` lists the
    documents the form accepts (PDF or photo, checked like report photos)."""
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "title": title,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if uploads:
        schema["x-uploads"] = uploads
    return schema


def upload(name: str, title: str, *, required: bool = False, hint: str = "") -> dict:
    return {"name": name, "title": title, "required": required, "hint": hint}


APPLICANT_NAME = text("Vor- und Nachname", min_length=2)
EMAIL_OR_PHONE = text("Telefon für Rückfragen", max_length=50, pattern=r"^[0-9 +()/-]*$")


@dataclass(frozen=True)
class ServiceSpec:
    slug: str
    name: str
    level: str
    summary: str
    description: str
    keywords: str
    min_assurance: str = REGISTERED
    is_online: bool = False
    fees: str = ""
    fee: Decimal | None = None
    required_documents: tuple[str, ...] = ()
    processing_time: str = ""
    links: tuple[tuple[str, str], ...] = ()
    form_schema: dict = field(default_factory=dict)


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "hundesteueranmeldung",
        "Hundesteueranmeldung",
        GEMEINDE,
        "Einen Hund zur Hundesteuer anmelden und die Steuermarke erhalten.",
        "Wer einen Hund hält, muss ihn innerhalb von zwei Wochen bei der Gemeinde zur "
        "Hundesteuer anmelden. Sie erhalten einen Steuerbescheid und eine Hundesteuermarke.",
        "Hund, Hunde, Hundehaltung, Hundemarke, Steuermarke, Welpe, Hundesteuer",
        is_online=True,
        fees="Die Anmeldung ist gebührenfrei; die Steuer richtet sich nach der Hundesteuersatzung.",
        required_documents=("Nachweis der Hundehaftpflichtversicherung",),
        processing_time="etwa 1 Woche",
        form_schema=form(
            "Anmeldung zur Hundesteuer",
            {
                "halter_name": text("Name der Halterin oder des Halters", min_length=2),
                "hund_name": text("Name des Hundes", max_length=100),
                "rasse": text("Rasse oder Mischling", max_length=100),
                "geburtsjahr": integer("Geburtsjahr des Hundes", 1995, 2030),
                "haltung_seit": date("Hund gehalten seit"),
                "chipnummer": text(
                    "Transpondernummer (Chip)",
                    max_length=15,
                    pattern=r"^[0-9]{15}$",
                    description="15 Ziffern, steht im Heimtierausweis.",
                ),
                "gefaehrlich": flag("Der Hund wurde als gefährlich eingestuft"),
            },
            ["halter_name", "hund_name", "rasse", "haltung_seit"],
            [upload("haftpflicht", "Nachweis der Hundehaftpflichtversicherung")],
        ),
    ),
    ServiceSpec(
        "hundesteuer-abmeldung",
        "Hundesteuer abmelden",
        GEMEINDE,
        "Einen Hund nach Abgabe, Tod oder Wegzug von der Hundesteuer abmelden.",
        "Geben Sie die Hundesteuermarke zurück, wenn Sie den Hund nicht mehr halten.",
        "Hundemarke zurückgeben, Hund verstorben, Hundesteuer",
        is_online=True,
        processing_time="etwa 1 Woche",
        form_schema=form(
            "Abmeldung von der Hundesteuer",
            {
                "halter_name": APPLICANT_NAME,
                "marke": text("Nummer der Hundesteuermarke", max_length=20),
                "grund": choice(
                    "Grund der Abmeldung",
                    [
                        ("tod", "Hund verstorben"),
                        ("abgabe", "Hund abgegeben"),
                        ("wegzug", "Wegzug"),
                    ],
                ),
                "datum": date("Seit wann"),
            },
            ["halter_name", "grund", "datum"],
        ),
    ),
    ServiceSpec(
        "meldebescheinigung",
        "Meldebescheinigung",
        SAMTGEMEINDE,
        "Bescheinigung über Ihre aktuelle Wohnanschrift aus dem Melderegister.",
        "Die Meldebehörde bescheinigt Ihre Anmeldung, etwa für Arbeitgeber, Vermieter oder "
        "Behörden. Online nur mit geprüfter Identität (Online-Ausweis / BundID).",
        "Wohnsitz, Wohnsitzbescheinigung, Anmeldebestätigung, Umzug, Adresse",
        min_assurance=VERIFIED,
        is_online=True,
        fees="10,00 Euro",
        fee=Decimal("10.00"),
        processing_time="1–3 Werktage",
        form_schema=form(
            "Antrag auf Meldebescheinigung",
            {
                "art": choice(
                    "Art der Bescheinigung",
                    [("einfach", "einfache Meldebescheinigung"), ("erweitert", "erweiterte")],
                ),
                "zweck": text("Verwendungszweck", max_length=200),
            },
            ["art"],
        ),
    ),
    ServiceSpec(
        "wohnsitz-anmeldung",
        "Wohnsitz anmelden (Ummeldung)",
        SAMTGEMEINDE,
        "Nach einem Umzug den neuen Wohnsitz innerhalb von zwei Wochen anmelden.",
        "Die Anmeldung erfolgt persönlich im Bürgerbüro; bringen Sie die "
        "Wohnungsgeberbestätigung mit.",
        "Umzug, umziehen, Ummeldung, neue Wohnung, Einzug, Adresse ändern",
        required_documents=("Personalausweis oder Reisepass", "Wohnungsgeberbestätigung"),
        processing_time="sofort vor Ort",
    ),
    ServiceSpec(
        "personalausweis",
        "Personalausweis beantragen",
        SAMTGEMEINDE,
        "Einen neuen Personalausweis beantragen (persönlich, mit biometrischem Foto).",
        "Der Personalausweis wird von der Bundesdruckerei hergestellt und im Bürgerbüro abgeholt.",
        "Ausweis, Perso, ID-Karte, Online-Ausweis, eID",
        fees="37,00 Euro (unter 24 Jahren 22,80 Euro)",
        required_documents=("biometrisches Passfoto", "bisheriger Ausweis"),
        processing_time="etwa 3–4 Wochen",
    ),
    ServiceSpec(
        "reisepass",
        "Reisepass beantragen",
        SAMTGEMEINDE,
        "Einen Reisepass für Reisen außerhalb der EU beantragen.",
        "Antrag persönlich im Bürgerbüro; Express-Pass möglich.",
        "Pass, Urlaub, Reise, Ausland, Kinderreisepass",
        fees="70,00 Euro (unter 24 Jahren 37,50 Euro)",
        required_documents=("biometrisches Passfoto", "Personalausweis"),
        processing_time="etwa 4–6 Wochen",
    ),
    ServiceSpec(
        "geburtsurkunde",
        "Geburtsurkunde",
        SAMTGEMEINDE,
        "Eine Geburtsurkunde beim Standesamt des Geburtsorts bestellen.",
        "Das Standesamt stellt Urkunden aus dem Geburtenregister aus, z. B. für Heirat, "
        "Elterngeld oder Rente. Online nur mit geprüfter Identität.",
        "Urkunde, Geburt, Baby, Standesamt, Personenstand, Elterngeld",
        min_assurance=VERIFIED,
        is_online=True,
        fees="12,00 Euro je Urkunde",
        fee=Decimal("12.00"),
        processing_time="etwa 1 Woche",
        form_schema=form(
            "Bestellung einer Geburtsurkunde",
            {
                "name": text("Name der Person laut Geburtseintrag", min_length=2),
                "geburtsdatum": date("Geburtsdatum"),
                "geburtsort": text("Geburtsort", max_length=100),
                "anzahl": integer("Anzahl der Urkunden", 1, 10, default=1),
                "zweck": text("Verwendungszweck", max_length=200),
            },
            ["name", "geburtsdatum", "geburtsort", "anzahl"],
        ),
    ),
    ServiceSpec(
        "eheschliessung",
        "Eheschließung anmelden",
        SAMTGEMEINDE,
        "Die Eheschließung beim Standesamt anmelden und einen Trautermin vereinbaren.",
        "Beide Verlobte melden die Eheschließung gemeinsam beim Standesamt an.",
        "Hochzeit, heiraten, Trauung, Standesamt, Ehe",
        fees="ab 40,00 Euro",
        required_documents=("Personalausweise", "beglaubigte Abschriften aus dem Geburtenregister"),
        processing_time="Termin nach Vereinbarung",
    ),
    ServiceSpec(
        "gewerbeanmeldung",
        "Gewerbeanmeldung",
        SAMTGEMEINDE,
        "Ein Gewerbe anmelden, ummelden oder abmelden.",
        "Wer ein stehendes Gewerbe beginnt, zeigt dies der Gewerbebehörde an. Die Anzeige "
        "geht an Finanzamt, IHK/Handwerkskammer und Berufsgenossenschaft.",
        "Gewerbe, Firma gründen, Selbstständigkeit, Existenzgründung, Gewerbeschein, Laden",
        is_online=True,
        fees="26,00 Euro",
        fee=Decimal("26.00"),
        required_documents=("Personalausweis", "ggf. Erlaubnis oder Handwerkskarte"),
        processing_time="1–3 Werktage",
        form_schema=form(
            "Gewerbeanmeldung (GewA 1)",
            {
                "inhaber": APPLICANT_NAME,
                "betriebsname": text("Name des Betriebs", max_length=200),
                "taetigkeit": long_text("Angemeldete Tätigkeit", max_length=1000, minLength=5),
                "beginn": date("Beginn der Tätigkeit"),
                "rechtsform": choice(
                    "Rechtsform",
                    [
                        ("einzel", "Einzelunternehmen"),
                        ("gbr", "GbR"),
                        ("gmbh", "GmbH / UG"),
                        ("andere", "andere"),
                    ],
                ),
                "nebenerwerb": flag("Im Nebenerwerb"),
            },
            ["inhaber", "taetigkeit", "beginn", "rechtsform"],
            [upload("erlaubnis", "Erlaubnis oder Handwerkskarte (falls nötig)")],
        ),
    ),
    ServiceSpec(
        "kita-anmeldung",
        "KiTa-Anmeldung",
        GEMEINDE,
        "Ihr Kind für einen Platz in Krippe, Kindergarten oder Hort anmelden.",
        "Sie haben ab dem ersten Geburtstag Anspruch auf einen Betreuungsplatz. Melden Sie "
        "Ihr Kind möglichst früh an; die Gemeinde vergibt die Plätze zentral.",
        "Kindergarten, Kita, Krippe, Hort, Kinderbetreuung, Betreuungsplatz, Kind",
        is_online=True,
        processing_time="Zusage in der Regel bis 31. März für das neue Kita-Jahr",
        form_schema=form(
            "Anmeldung für einen Betreuungsplatz",
            {
                "kind_name": text("Name des Kindes", min_length=2),
                "kind_geburtsdatum": date("Geburtsdatum des Kindes"),
                "betreuung_ab": date("Betreuung gewünscht ab"),
                "umfang": choice(
                    "Betreuungsumfang",
                    [("halbtags", "halbtags (bis 5 Std.)"), ("ganztags", "ganztags (8 Std.)")],
                ),
                "wunsch_kita": text("Wunsch-Einrichtung", max_length=200),
                "bemerkung": long_text("Bemerkungen", max_length=1000),
            },
            ["kind_name", "kind_geburtsdatum", "betreuung_ab", "umfang"],
        ),
    ),
    ServiceSpec(
        "schuelerfahrkarte",
        "Schülerfahrkarte",
        KREIS,
        "Kostenlose Schülerbeförderung zur nächstgelegenen Schule beantragen.",
        "Der Landkreis ist Träger der Schülerbeförderung. Schülerinnen und Schüler bis "
        "Klasse 10 erhalten eine Fahrkarte, wenn der Schulweg die Mindestentfernung übersteigt.",
        "Schule, Schulbus, Busfahrkarte, Schulweg, Fahrkarte, Schüler, Bus, Ticket",
        is_online=True,
        processing_time="2–3 Wochen",
        form_schema=form(
            "Antrag auf Schülerbeförderung",
            {
                "schueler_name": text("Name der Schülerin oder des Schülers", min_length=2),
                "geburtsdatum": date("Geburtsdatum"),
                "schule": text("Schule", max_length=200),
                "klasse": integer("Klasse im kommenden Schuljahr", 1, 13),
                "ab": date("Fahrkarte gültig ab"),
            },
            ["schueler_name", "geburtsdatum", "schule", "klasse", "ab"],
        ),
    ),
    ServiceSpec(
        "sperrmuell",
        "Sperrmüll anmelden",
        KREIS,
        "Einen Abholtermin für Sperrmüll (Möbel, Matratzen, Teppiche) anmelden.",
        "Der Abfallwirtschaftsbetrieb des Landkreises holt bis zu 3 m³ Sperrmüll zweimal im "
        "Jahr kostenlos ab. Elektrogeräte werden getrennt abgeholt.",
        "Müll, Abfall, Sperrgut, Möbel, Matratze, Entrümpelung, Abholung, Mülltonne",
        min_assurance=REGISTERED,
        is_online=True,
        fees="zweimal jährlich kostenlos, jede weitere Abholung 30,00 Euro",
        processing_time="Abholung in 2–4 Wochen",
        form_schema=form(
            "Sperrmüllabholung",
            {
                "gegenstaende": long_text(
                    "Was soll abgeholt werden?", max_length=1000, minLength=3
                ),
                "menge": integer("Menge in Kubikmetern (geschätzt)", 1, 3),
                "elektro": flag("Es sind Elektrogeräte dabei"),
                "telefon": EMAIL_OR_PHONE,
            },
            ["gegenstaende", "menge"],
            [upload("foto", "Foto der Gegenstände (optional)")],
        ),
    ),
    ServiceSpec(
        "muelltonne",
        "Abfallbehälter bestellen oder ändern",
        KREIS,
        "Restmüll-, Bio- oder Papiertonne bestellen, tauschen oder abmelden.",
        "Größe und Leerungsrhythmus der Tonnen ändern Sie beim Abfallwirtschaftsbetrieb.",
        "Müll, Mülltonne, Tonne, Biotonne, Restmüll, Papiertonne, Abfall, Gelber Sack",
        is_online=True,
        fees="nach Abfallgebührensatzung",
        form_schema=form(
            "Abfallbehälter",
            {
                "art": choice(
                    "Behälter",
                    [("rest", "Restmüll"), ("bio", "Bioabfall"), ("papier", "Altpapier")],
                ),
                "aenderung": choice(
                    "Änderung",
                    [
                        ("neu", "zusätzlich bestellen"),
                        ("tausch", "Größe tauschen"),
                        ("ab", "abmelden"),
                    ],
                ),
                "groesse": choice(
                    "Größe",
                    [("60", "60 Liter"), ("120", "120 Liter"), ("240", "240 Liter")],
                ),
            },
            ["art", "aenderung"],
        ),
    ),
    ServiceSpec(
        "abfallkalender",
        "Abfuhrkalender",
        KREIS,
        "Die Abfuhrtermine für Ihre Straße nachsehen.",
        "Der Abfuhrkalender des Abfallwirtschaftsbetriebs zeigt alle Termine.",
        "Müll, Müllabfuhr, Abfall, Termine, Kalender, Tonne",
        min_assurance=GUEST,
        links=(("Abfuhrkalender (Demo)", "https://landkreis-heideland.example.org/abfall"),),
    ),
    ServiceSpec(
        "bauantrag-auskunft",
        "Bauantrag – Auskunft und Beratung",
        KREIS,
        "Auskunft zum Stand eines Bauantrags und Beratung vor dem Bauantrag.",
        "Die untere Bauaufsichtsbehörde berät zu Bauvorhaben und gibt Auskunft zum "
        "Bearbeitungsstand eingereichter Bauanträge.",
        "Bauen, Haus, Baugenehmigung, Bauvoranfrage, Anbau, Carport, Garage, Bauamt",
        is_online=True,
        processing_time="Antwort in etwa 5 Werktagen",
        form_schema=form(
            "Anfrage an die Bauaufsicht",
            {
                "aktenzeichen": text("Aktenzeichen (falls vorhanden)", max_length=50),
                "vorhaben": long_text("Ihr Vorhaben oder Ihre Frage", minLength=10),
                "grundstueck": text("Grundstück (Straße, Flurstück)", max_length=200),
            },
            ["vorhaben"],
            [upload("plan", "Lageplan oder Skizze (PDF oder Foto)")],
        ),
    ),
    ServiceSpec(
        "bauantrag",
        "Bauantrag stellen",
        KREIS,
        "Eine Baugenehmigung für ein Wohnhaus, einen Anbau oder eine Nutzungsänderung.",
        "Der Bauantrag wird über eine bauvorlageberechtigte Person bei der unteren "
        "Bauaufsichtsbehörde eingereicht.",
        "Bauen, Haus, Baugenehmigung, Neubau, Bauamt",
        fees="nach Baugebührenordnung",
        required_documents=("Bauvorlagen", "Lageplan", "Bauzeichnungen", "Baubeschreibung"),
        processing_time="1–3 Monate",
    ),
    ServiceSpec(
        "wohngeld",
        "Wohngeldantrag",
        KREIS,
        "Zuschuss zur Miete oder zu den Kosten für selbst genutztes Wohneigentum.",
        "Wohngeld erhalten Haushalte mit geringem Einkommen. Die Wohngeldstelle prüft "
        "Einkommen, Haushaltsgröße und Miete.",
        "Miete, Mietzuschuss, Zuschuss, Lastenzuschuss, Geld, Wohnung, Sozialleistung",
        min_assurance=VERIFIED,
        is_online=True,
        required_documents=("Mietvertrag", "Einkommensnachweise aller Haushaltsmitglieder"),
        processing_time="etwa 6–8 Wochen",
        form_schema=form(
            "Antrag auf Wohngeld (Mietzuschuss)",
            {
                "personen": integer("Personen im Haushalt", 1, 15),
                "miete": {
                    "type": "number",
                    "title": "Monatliche Bruttokaltmiete in Euro",
                    "minimum": 0,
                    "maximum": 10000,
                },
                "einkommen": {
                    "type": "number",
                    "title": "Monatliches Bruttoeinkommen des Haushalts in Euro",
                    "minimum": 0,
                    "maximum": 100000,
                },
            },
            ["personen", "miete", "einkommen"],
            [upload("mietvertrag", "Mietvertrag (PDF)", required=True)],
        ),
    ),
    ServiceSpec(
        "anwohnerparkausweis",
        "Anwohnerparkausweis",
        GEMEINDE,
        "Bewohnerparkausweis für Ihre Parkzone beantragen.",
        "Wer in einer Bewohnerparkzone wohnt und ein Auto auf sich zugelassen hat, kann einen "
        "Parkausweis für ein Jahr erhalten.",
        "Auto, Parken, Parkausweis, Parkplatz, Bewohnerparken, Kfz, PKW, Parkzone",
        is_online=True,
        fees="30,00 Euro pro Jahr",
        fee=Decimal("30.00"),
        required_documents=("Fahrzeugschein (Zulassungsbescheinigung Teil I)",),
        processing_time="etwa 1 Woche",
        form_schema=form(
            "Antrag auf Bewohnerparkausweis",
            {
                "kennzeichen": text(
                    "Kfz-Kennzeichen",
                    max_length=12,
                    pattern=r"^[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} ?[0-9]{1,4}[EH]?$",
                    description="z. B. HL-AB 123",
                ),
                "zone": choice("Parkzone", [("A", "Zone A – Altstadt"), ("B", "Zone B – Bahnhof")]),
                "halter": flag("Das Fahrzeug ist auf mich zugelassen"),
            },
            ["kennzeichen", "zone"],
            [upload("fahrzeugschein", "Fahrzeugschein (PDF oder Foto)", required=True)],
        ),
    ),
    ServiceSpec(
        "kfz-zulassung",
        "Fahrzeug zulassen",
        KREIS,
        "Ein Auto, Motorrad oder einen Anhänger zulassen, ummelden oder abmelden.",
        "Die Zulassungsstelle des Landkreises. Internetbasierte Zulassung (i-Kfz) mit "
        "Online-Ausweis möglich.",
        "Auto, Kfz, PKW, Zulassung, Kennzeichen, Nummernschild, Ummelden, Abmelden, Motorrad",
        fees="ab 27,00 Euro",
        required_documents=("Zulassungsbescheinigung Teil I und II", "eVB-Nummer", "Ausweis"),
        processing_time="sofort vor Ort",
    ),
    ServiceSpec(
        "fuehrerschein",
        "Führerschein beantragen oder umtauschen",
        KREIS,
        "Ersterteilung, Umtausch in den EU-Kartenführerschein oder Ersatz bei Verlust.",
        "Die Fahrerlaubnisbehörde des Landkreises.",
        "Führerschein, Fahrerlaubnis, Auto, Umtausch, Fahrschule",
        fees="ab 25,30 Euro",
        required_documents=("biometrisches Passfoto", "Personalausweis", "Sehtest"),
        processing_time="3–6 Wochen",
    ),
    ServiceSpec(
        "elterngeld",
        "Elterngeld",
        KREIS,
        "Elterngeld nach der Geburt eines Kindes beantragen.",
        "Die Elterngeldstelle des Landkreises berät und entscheidet über den Antrag.",
        "Baby, Geburt, Eltern, Elternzeit, Geld, Kind",
        min_assurance=VERIFIED,
        required_documents=("Geburtsurkunde", "Einkommensnachweise"),
        processing_time="4–6 Wochen",
    ),
    ServiceSpec(
        "fuehrungszeugnis",
        "Führungszeugnis",
        SAMTGEMEINDE,
        "Ein Führungszeugnis beim Bundesamt für Justiz über die Meldebehörde beantragen.",
        "Für Beruf oder Ehrenamt; auch online beim Bundesamt für Justiz mit Online-Ausweis.",
        "Zeugnis, polizeiliches Führungszeugnis, Ehrenamt, Arbeitgeber, Bewerbung",
        fees="13,00 Euro (Ehrenamt gebührenfrei)",
        required_documents=("Personalausweis",),
        processing_time="1–2 Wochen",
    ),
    ServiceSpec(
        "grundsteuer",
        "Grundsteuer – Bescheid und Zahlung",
        GEMEINDE,
        "Fragen zum Grundsteuerbescheid, Zahlungsweise und SEPA-Lastschrift.",
        "Die Gemeinde setzt die Grundsteuer auf Grundlage des Messbescheids des Finanzamts fest.",
        "Steuer, Grundstück, Haus, Grundbesitz, Abgaben, Lastschrift",
        is_online=True,
        form_schema=form(
            "Anfrage zur Grundsteuer",
            {
                "kassenzeichen": text("Kassenzeichen", max_length=30),
                "anliegen": long_text("Ihr Anliegen", minLength=5),
            },
            ["anliegen"],
        ),
    ),
    ServiceSpec(
        "baumfaellung",
        "Baumfällung – Genehmigung",
        GEMEINDE,
        "Genehmigung zum Fällen eines geschützten Baums auf Ihrem Grundstück.",
        "Nach der Baumschutzsatzung geschützte Bäume dürfen nur mit Genehmigung gefällt werden.",
        "Baum, fällen, Baumschutz, Garten, Grundstück",
        is_online=True,
        fees="ab 25,00 Euro",
        fee=Decimal("25.00"),
        processing_time="2–4 Wochen",
        form_schema=form(
            "Antrag auf Fällgenehmigung",
            {
                "baumart": text("Baumart", max_length=100),
                "stammumfang": integer("Stammumfang in 1 m Höhe (cm)", 10, 1000),
                "begruendung": long_text("Begründung", minLength=10),
            },
            ["baumart", "stammumfang", "begruendung"],
            [upload("foto", "Foto des Baums", required=True)],
        ),
    ),
    ServiceSpec(
        "veranstaltung",
        "Veranstaltung anmelden",
        GEMEINDE,
        "Straßenfest, Flohmarkt oder öffentliche Veranstaltung anmelden.",
        "Für Veranstaltungen auf öffentlichen Flächen brauchen Sie eine Sondernutzungserlaubnis.",
        "Fest, Straßenfest, Flohmarkt, Feier, Event, Sondernutzung",
        is_online=True,
        fees="ab 20,00 Euro",
        fee=Decimal("20.00"),
        form_schema=form(
            "Anmeldung einer Veranstaltung",
            {
                "titel": text("Name der Veranstaltung", max_length=200),
                "datum": date("Datum"),
                "ort": text("Ort", max_length=200),
                "teilnehmende": integer("Erwartete Teilnehmerzahl", 1, 100000),
            },
            ["titel", "datum", "ort", "teilnehmende"],
        ),
    ),
    ServiceSpec(
        "fundsachen",
        "Fundbüro",
        SAMTGEMEINDE,
        "Etwas verloren oder gefunden? Das Fundbüro nimmt Fundsachen an und gibt sie heraus.",
        "Fundsachen werden sechs Monate aufbewahrt.",
        "verloren, gefunden, Fund, Schlüssel, Handy, Geldbörse, Portemonnaie",
        min_assurance=GUEST,
    ),
    ServiceSpec(
        "waffenschein",
        "Waffenbesitzkarte",
        KREIS,
        "Erlaubnis zum Erwerb und Besitz von Schusswaffen (Jäger, Sportschützen).",
        "Die Waffenbehörde des Landkreises prüft Zuverlässigkeit und Bedürfnis.",
        "Waffe, Jagd, Jäger, Sportschütze, Waffenbehörde",
        fees="ab 60,00 Euro",
        required_documents=("Sachkundenachweis", "Bedürfnisnachweis"),
    ),
    ServiceSpec(
        "schwerbehindertenausweis",
        "Schwerbehindertenausweis",
        KREIS,
        "Feststellung einer Behinderung und Ausstellung des Ausweises.",
        "Der Landkreis nimmt Anträge entgegen und leitet sie an das Versorgungsamt weiter.",
        "Behinderung, GdB, Ausweis, Merkzeichen, Schwerbehinderung",
        min_assurance=VERIFIED,
        required_documents=("ärztliche Unterlagen", "Passfoto"),
        processing_time="etwa 3 Monate",
    ),
    ServiceSpec(
        "sterbeurkunde",
        "Sterbeurkunde",
        SAMTGEMEINDE,
        "Eine Sterbeurkunde beim Standesamt des Sterbeorts bestellen.",
        "Angehörige erhalten Sterbeurkunden für Rente, Versicherungen und Nachlass.",
        "Tod, Todesfall, Urkunde, Standesamt, Beerdigung, Nachlass",
        min_assurance=VERIFIED,
        fees="12,00 Euro je Urkunde",
    ),
)


# Everyday words → the words the catalogue uses. Keys are matched case-insensitively;
# each expansion is searched as a prefix in the weighted vector.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "hund": ("hundesteuer", "hundesteuermarke"),
    "hunde": ("hundesteuer",),
    "dackel": ("hundesteuer",),
    "müll": ("sperrmüll", "abfall", "mülltonne"),
    "muell": ("sperrmüll", "abfall", "mülltonne"),
    "sofa": ("sperrmüll",),
    "schrank": ("sperrmüll",),
    "umzug": ("ummeldung", "meldebescheinigung", "wohnsitz"),
    "umziehen": ("ummeldung", "wohnsitz"),
    "auto": ("kfz", "fahrzeug", "parkausweis"),
    "pkw": ("kfz", "fahrzeug"),
    "kita": ("kindergarten", "betreuungsplatz"),
    "kindergarten": ("kita", "betreuungsplatz"),
    "schulbus": ("schülerfahrkarte", "schülerbeförderung"),
    "bus": ("schülerfahrkarte",),
    "heiraten": ("eheschließung", "trauung"),
    "hochzeit": ("eheschließung",),
    "baby": ("geburtsurkunde", "elterngeld"),
    "firma": ("gewerbeanmeldung", "gewerbe"),
    "miete": ("wohngeld", "mietzuschuss"),
    "bauen": ("bauantrag", "baugenehmigung"),
    "ausweis": ("personalausweis", "reisepass"),
    "parken": ("anwohnerparkausweis", "parkausweis"),
}


# A large town with its own building supervision and an Auetal member that keeps its dog tax
# (instead of handing it to the Samtgemeinde): examples of per-authority overrides.
@dataclass(frozen=True)
class OverrideSpec:
    service: str
    authority: str
    handled_by: str | None = None
    offered_online: bool | None = None
    contact_email: str = ""
    contact_phone: str = ""
    contact_note: str = ""
    fees: str = ""


OVERRIDES: tuple[OverrideSpec, ...] = (
    OverrideSpec(
        "bauantrag-auskunft",
        demo_spec.STADT,
        handled_by=demo_spec.STADT,
        contact_email="bauaufsicht@heidestadt.example.org",
        contact_note="Bauaufsicht der Stadt Heidestadt",
    ),
    OverrideSpec(
        "bauantrag",
        demo_spec.STADT,
        handled_by=demo_spec.STADT,
        contact_email="bauaufsicht@heidestadt.example.org",
        contact_note="Bauaufsicht der Stadt Heidestadt",
    ),
    OverrideSpec(
        "hundesteueranmeldung",
        demo_spec.MOORWIESEN,
        offered_online=False,
        contact_phone="05999 1234-0",
        contact_note="Steueramt, Zimmer 2",
    ),
    OverrideSpec(
        "anwohnerparkausweis",
        demo_spec.STADT,
        fees="25,00 Euro pro Jahr (Satzung der Stadt Heidestadt)",
    ),
)

# Authority-specific fee amounts (catalogue defaults come from ServiceSpec.fee).
FEE_OVERRIDES: tuple[tuple[str, str, Decimal], ...] = (
    ("anwohnerparkausweis", demo_spec.STADT, Decimal("25.00")),
)

# Branded start pages: a welcome text and featured services per authority.
PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    demo_spec.KREIS: (
        "Willkommen im Serviceportal des Landkreises Heideland.",
        ("schuelerfahrkarte", "sperrmuell", "wohngeld", "kfz-zulassung"),
    ),
    demo_spec.STADT: (
        "Ihre Stadtverwaltung online – rund um die Uhr.",
        ("hundesteueranmeldung", "anwohnerparkausweis", "kita-anmeldung", "bauantrag-auskunft"),
    ),
    demo_spec.SAMTGEMEINDE: (
        "Die Samtgemeinde Auetal erledigt Aufgaben für Auedorf, Lindenhof und Wiesental.",
        ("meldebescheinigung", "geburtsurkunde", "gewerbeanmeldung", "hundesteueranmeldung"),
    ),
}

# The LeiKa key of each demo service (catalogue.leika: 14 digits). Those marked "checked" were
# found in public references to the federal Leistungsverzeichnis (verwaltung.bund.de) or PVOG;
# the others follow the same Leistungsobjekt/Verrichtung scheme but were not confirmed against
# the LeiKa itself (docs/catalogue.md, "XZuFi import") — a county imports its editorial
# system's export, which carries the official keys.
LEIKA_KEYS: dict[str, str] = {
    "hundesteueranmeldung": "99102013104000",  # checked: Hundesteuer Anmeldung
    "hundesteuer-abmeldung": "99102013105000",
    "meldebescheinigung": "99115003012000",  # checked: Meldebescheinigung
    "wohnsitz-anmeldung": "99115005104000",  # checked: Wohnsitz anmelden
    "personalausweis": "99008001012000",  # checked: Personalausweis beantragen
    "reisepass": "99008004012000",
    "geburtsurkunde": "99027002012000",  # checked: Geburtsurkunde beantragen
    "eheschliessung": "99027011104000",
    "gewerbeanmeldung": "99050012104000",  # checked: Gewerbe anmelden
    "kita-anmeldung": "99125005104000",
    "schuelerfahrkarte": "99097001012000",
    "sperrmuell": "99001002003000",
    "muelltonne": "99001001017000",
    "abfallkalender": "99001001012000",
    "bauantrag-auskunft": "99012070006000",
    "bauantrag": "99012070006001",  # checked: Baugenehmigung
    "wohngeld": "99107023037000",  # checked: Wohngeld – Mietzuschuss beantragen
    "anwohnerparkausweis": "99108001001000",  # checked: Parkausweis für Bewohner
    "kfz-zulassung": "99036001104000",
    "fuehrerschein": "99035001012000",
    "elterngeld": "99018001001000",
    "fuehrungszeugnis": "99049001001000",  # checked: Führungszeugnis beantragen
    "grundsteuer": "99102009037000",
    "baumfaellung": "99012061001000",
    "veranstaltung": "99089001104000",
    "fundsachen": "99041001012000",
    "waffenschein": "99133001012000",
    "schwerbehindertenausweis": "99062004012000",
    "sterbeurkunde": "99027005012000",
}
