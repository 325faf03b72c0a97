"""import_waste_dates: CSV and iCalendar, dry run by default, idempotent, broken files
refused as a whole with a message per bad line."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from waste.models import PickupDate

pytestmark = pytest.mark.django_db

CSV = """gemeinde;bezirk;abfallart;datum
Stadt Heidestadt (Demo);Nord;Restmüll;2031-01-07
Stadt Heidestadt (Demo);Nord;Papier;08.01.2031
99001002;Gesamtes Gemeindegebiet;gelbe-tonne;2031-01-09
"""

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Entsorger//DE
BEGIN:VEVENT
UID:1@entsorger
DTSTAMP:20301201T000000Z
DTSTART;VALUE=DATE:20310114
SUMMARY:Abfuhr Bioabfall
END:VEVENT
BEGIN:VEVENT
UID:2@entsorger
DTSTAMP:20301201T000000Z
DTSTART;VALUE=DATE:20310115
SUMMARY:Gelbe Tonne
END:VEVENT
END:VCALENDAR
"""


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_waste_dates", *args, stdout=out)
    return out.getvalue()


def future() -> int:
    return PickupDate.objects.filter(date__year=2031).count()


def test_csv_dry_run_commit_and_again(tmp_path: Path, calendar_demo: None) -> None:
    path = tmp_path / "termine.csv"
    path.write_text(CSV, encoding="utf-8")
    assert "3 neu würden gespeichert (Probelauf" in run(str(path))
    assert future() == 0
    assert "3 neu gespeichert" in run(str(path), "--commit")
    assert future() == 3
    assert "0 neu gespeichert, 3 schon vorhanden" in run(str(path), "--commit")
    assert future() == 3


def test_ical_import_needs_the_district(tmp_path: Path, calendar_demo: None) -> None:
    path = tmp_path / "termine.ics"
    path.write_text(ICS, encoding="utf-8")
    with pytest.raises(CommandError, match="--district"):
        run(str(path), "--commit")
    output = run(str(path), "--commit", "--district", "Stadt Heidestadt (Demo)/Nord")
    assert "2 neu gespeichert" in output
    kinds = set(
        PickupDate.objects.filter(date__year=2031).values_list("waste_type__slug", flat=True)
    )
    assert kinds == {"bio", "gelbe-tonne"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (CSV + "Stadt Heidestadt (Demo);Süd;Restmüll;2031-01-10\n", "Zeile 5: Abfuhrbezirk „Süd“"),
        (
            CSV + "Stadt Heidestadt (Demo);Nord;Sperrmüll;2031-01-10\n",
            "Zeile 5: Abfallart „Sperrmüll“",
        ),
        (CSV + "Stadt Heidestadt (Demo);Nord;Papier;31.02.2031\n", "„31.02.2031“ ist kein Datum"),
        ("name;tag\nx;y\n", "Es fehlen die Spalten"),
    ],
)
def test_broken_csv_stores_nothing(
    tmp_path: Path, calendar_demo: None, content: str, message: str
) -> None:
    path = tmp_path / "termine.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        run(str(path), "--commit")
    assert message in str(raised.value) and "Nichts gespeichert" in str(raised.value)
    assert future() == 0


def test_broken_ical_and_missing_file(tmp_path: Path, calendar_demo: None) -> None:
    path = tmp_path / "kaputt.ics"
    path.write_text("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Restmüll\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"keine gültige iCalendar-Datei|ohne Datum"):
        run(str(path), "--commit", "--district", "Stadt Heidestadt (Demo)/Nord")
    with pytest.raises(CommandError, match="kann nicht gelesen werden"):
        run(str(tmp_path / "fehlt.csv"))
    assert future() == 0
