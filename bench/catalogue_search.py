"""Catalogue search benchmark: GET /api/v1/services?q= over 10,000 imported services.

    .venv/bin/python bench/catalogue_search.py [--services 10000] [--repeat 40]

Generates the services once (own German texts, written as an XZuFi 2.2 export and brought in
through the real import, whose duration is printed) in the bench database `<name>_bench`
(bench/common.py; development data is never touched), adds the demo synonyms, then measures
several German queries, with synonyms, through the API and — as the baseline in the same run
— the endpoint's own full-text statements (same expanded tsquery, ranking, limit, columns)
run through psycopg on a connection of its own, without Django, as prepared statements (the
fastest way to the same rows: planned once, as the endpoint's are). The two are interleaved.
Prints e.g.
    search p50: 4.10 ms (ratio 1.12 vs raw SQL 3.66 ms)
Goal: ratio ≤ 1.3 and p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import time
from collections.abc import Callable
from urllib.parse import urlencode

from bench.common import WSGIClient, percentile, raw_connection, report, setup_django

OBJECTS = [
    "Hundesteuer",
    "Personalausweis",
    "Reisepass",
    "Baugenehmigung",
    "Wohngeld",
    "Elterngeld",
    "Gewerbe",
    "Fischereischein",
    "Jagdschein",
    "Waffenbesitzkarte",
    "Sondernutzung",
    "Anwohnerparkausweis",
    "Führerschein",
    "Fahrzeugzulassung",
    "Meldebescheinigung",
    "Geburtsurkunde",
    "Sterbeurkunde",
    "Eheschließung",
    "Kindertagesbetreuung",
    "Schülerbeförderung",
    "Sperrmüll",
    "Abfallbehälter",
    "Grundsteuer",
    "Zweitwohnungsteuer",
    "Baumfällung",
    "Veranstaltung",
    "Fundsache",
    "Schwerbehindertenausweis",
    "Führungszeugnis",
    "Gaststättenerlaubnis",
    "Lebensmittelkontrolle",
    "Trinkwasseruntersuchung",
    "Denkmalschutz",
    "Straßensperrung",
    "Kampfmittelauskunft",
    "Lärmschutz",
    "Beglaubigung",
    "Einbürgerung",
    "Aufenthaltstitel",
    "Namensänderung",
    "Bafög",
    "Unterhaltsvorschuss",
    "Pflegewohngeld",
    "Schornsteinfeger",
    "Brandschutz",
    "Wasserrecht",
    "Immissionsschutz",
    "Vereinsregister",
]
ACTIONS = [
    ("beantragen", "Sie beantragen"),
    ("verlängern", "Sie verlängern"),
    ("ändern", "Sie lassen ändern"),
    ("abmelden", "Sie melden ab"),
    ("Ersatz beantragen", "Sie erhalten Ersatz für"),
    ("Auskunft", "Sie erhalten Auskunft zu"),
    ("anmelden", "Sie melden an"),
    ("Widerspruch", "Sie legen Widerspruch ein gegen"),
]
GROUPS = [
    "für Privatpersonen",
    "für Unternehmen",
    "für Vereine",
    "für Landwirte",
    "für Studierende",
    "für Familien",
    "für Seniorinnen und Senioren",
    "für Menschen mit Behinderung",
    "für Zugezogene",
    "für Eigentümer",
    "für Mieter",
    "für Auszubildende",
    "für Gastwirte",
    "für Handwerksbetriebe",
    "für Schulen",
    "für Kirchengemeinden",
    "für Stiftungen",
    "für Kommunen",
    "für Ehrenamtliche",
    "für Tierhalter",
    "für Pendler",
    "für Bauherren",
    "für Kleingärtner",
    "für Schausteller",
    "für Erben",
    "für Arbeitgeber",
    "für Selbstständige",
]
SENTENCES = [
    "Die zuständige Stelle prüft Ihre Angaben und schickt Ihnen einen Bescheid.",
    "Bitte halten Sie Ihren Personalausweis und die nötigen Nachweise bereit.",
    "Die Bearbeitung dauert in der Regel zwei bis vier Wochen.",
    "Gebühren richten sich nach der Verwaltungskostensatzung.",
    "Sie können den Antrag online stellen oder im Bürgerbüro abgeben.",
    "Bei Fragen hilft Ihnen das Servicecenter Ihrer Kommune weiter.",
    "Unvollständige Unterlagen verzögern die Entscheidung.",
]
QUERIES = [
    "Hund",
    "Hund anmelden",
    "Umzug",
    "Müll",
    "Personalausweis beantragen",
    "bauen",
    "Kita",
    "Auto",
    "Wohngeld Antrag",
    "Führerschein verlängern",
    "Firma",
    "Fischereischein",
]
NS = "http://xoev.de/schemata/xzufi/2_2_0"
# The service pages' URLs as the WSGI client's requests (host 127.0.0.1:8000) get them.
URL_BEFORE = "http://127.0.0.1:8000/dienstleistungen/"
URL_AFTER = "/"


def _leistung(
    number: int, obj: str, action: tuple[str, str], group: str, rng: random.Random
) -> str:
    from xml.sax.saxutils import escape

    name = f"{obj} {action[0]} {group}"
    text = f"{action[1]} {obj} {group}. " + " ".join(rng.sample(SENTENCES, 3))
    leika = f"99{900000 + number // 1000:06d}{number % 1000:03d}000"
    module = (
        "<x:modulText><x:inhalt languageCode='de'>{}</x:inhalt>"
        "<x:leikaTextmodul><code>{}</code></x:leikaTextmodul></x:modulText>"
    )
    return (
        f"<x:leistung><x:id>bench-{number}</x:id><x:referenzLeiKa><code>{leika}</code>"
        "</x:referenzLeiKa>"
        + module.format(escape(name), "02")
        + module.format(escape(f"{obj}: {action[0]} {group}."), "05")
        + module.format(escape(text), "06")
        + "</x:leistung>"
    )


def export(count: int) -> bytes:
    rng = random.Random(17)
    combos = itertools.islice(itertools.cycle(itertools.product(OBJECTS, ACTIONS, GROUPS)), count)
    body = "".join(_leistung(n, *combo, rng) for n, combo in enumerate(combos))
    return f"<x:transfer xmlns:x='{NS}'><x:schreibe>{body}</x:schreibe></x:transfer>".encode()


def ensure_services(count: int) -> None:
    from catalogue.models import SearchSynonym, Service
    from catalogue.xzufi.apply import apply_catalogue
    from catalogue.xzufi.parse import parse_bytes
    from data import catalogue_spec

    for term, expansions in catalogue_spec.SYNONYMS.items():
        SearchSynonym.objects.get_or_create(
            term=term, defaults={"expansions": ", ".join(expansions)}
        )
    if Service.objects.filter(is_active=True, xzufi_id__startswith="bench-").count() == count:
        return
    started = time.perf_counter()
    summary = apply_catalogue(parse_bytes(export(count)), commit=True)
    took = time.perf_counter() - started
    print(f"import of {count} services (XZuFi): {took:.1f} s; {summary.lines()[0]}")


def interleaved(
    fn: Callable[[], object], baseline: Callable[[], object], *, repeat: int
) -> tuple[list[float], list[float]]:
    """Milliseconds of `fn` and `baseline`, called in turns after a few unmeasured rounds."""
    ours: list[float] = []
    base: list[float] = []
    for round_number in range(repeat + 3):
        for call, samples in ((baseline, base), (fn, ours)):
            started = time.perf_counter()
            call()
            if round_number >= 3:
                samples.append((time.perf_counter() - started) * 1000)
    return ours, base


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from catalogue.search_answer import answer_statements

    ensure_services(args.services)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalogue_service")
    client = WSGIClient()
    raw_db = raw_connection("SET jit = off")
    raw_db.prepare_threshold = 0  # every statement prepared on its first run
    api_samples: list[float] = []
    raw_samples: list[float] = []
    added: list[float] = []  # per query: what the endpoint adds to its SQL at p50
    for text in QUERIES:
        # The baseline runs the endpoint's own statements (built outside the timing) until one
        # finds something, as the endpoint does.
        statements = answer_statements(text, URL_BEFORE, URL_AFTER)

        def api(text: str = text) -> None:
            client.get("/api/v1/services", urlencode({"q": text}))

        def raw(statements: list[tuple[str, list[object]]] = statements) -> None:
            for sql, params in statements:
                if raw_db.execute(sql, params).fetchall():
                    break

        # Interleaved, so the machine's load weighs on both sides alike.
        ours, base = interleaved(api, raw, repeat=args.repeat)
        api_samples += ours
        raw_samples += base
        added.append(percentile(ours, 50) - percentile(base, 50))
        body = json.loads(client.get("/api/v1/services", urlencode({"q": text})))
        hits = body["count"]
        for sql, params in statements:  # the baseline's rows are the answer's
            rows = raw_db.execute(sql, params).fetchall()
            if rows:
                break
        assert [list(row) for row in rows] == [list(item.values()) for item in body["results"]]
        print(
            f"  {text!r}: {hits} hits, p50 {percentile(ours, 50):.2f} ms "
            f"(raw SQL {percentile(base, 50):.2f} ms)"
        )
    report("search", api_samples, raw_samples, "raw SQL")
    # The machine's load moves both sides; what the endpoint adds per request is steadier.
    print(f"search adds (median over the queries' p50): {percentile(added, 50):.2f} ms per request")


if __name__ == "__main__":
    main()
