"""XZuFi 2.2 import (manage.py import_xzufi): dry run and commit, idempotency, updates and
removals, unknown elements kept, broken files named by element path, authorities updated from
their Organisationseinheit, and the Zuständigkeitsfinder answering from imported data."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from boundaries.models import Authority
from catalogue.models import ImportRun, OrganisationalUnit, Service, ServiceResponsibility
from catalogue.responsibility import responsibility_at
from tests.catalogue import xzufi_sample
from tests.catalogue.conftest import IN_AUEDORF, IN_LINDENHOF, IN_STADT, Region

pytestmark = pytest.mark.django_db


def run(tmp_path: Path, data: bytes, *, commit: bool = True) -> str:
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    out = io.StringIO()
    args = [str(path), "--commit"] if commit else [str(path)]
    call_command("import_xzufi", *args, stdout=out)
    return out.getvalue()


def test_dry_run_writes_nothing_and_commit_writes_everything(
    region: Region, tmp_path: Path
) -> None:
    output = run(tmp_path, xzufi_sample.document(), commit=False)
    assert "dry run" in output
    assert "services: 2 created, 0 updated, 0 unchanged, 0 removed" in output
    assert "units: 3 created" in output
    assert "responsibilities: 3 created" in output
    assert not Service.objects.exists() and not OrganisationalUnit.objects.exists()
    assert not ImportRun.objects.exists()

    output = run(tmp_path, xzufi_sample.document())
    assert "services: 2 created" in output
    gewerbe = Service.objects.get(xzufi_id="8957937")
    assert gewerbe.leika_key == "99050012104000"
    assert gewerbe.name == "Gewerbe anmelden"  # the German text, not the English one
    assert gewerbe.summary == "Wer ein Gewerbe beginnt, zeigt es beim Gewerbeamt an."
    assert gewerbe.description.endswith("Die Anzeige ist Pflicht.")
    assert gewerbe.document_list == ["Personalausweis", "Handelsregisterauszug"]
    assert gewerbe.prerequisites == "Sie sind volljährig."
    assert (gewerbe.fees, gewerbe.deadlines) == ("26 Euro", "Bei Beginn des Gewerbes")
    assert gewerbe.legal_basis == "§ 14 Gewerbeordnung (GewO)"
    assert gewerbe.processing_time == "sofort"
    assert gewerbe.keywords == "Firma, Selbstständigkeit"
    assert {"title": "§ 14 GewO", "url": "https://www.gesetze-im-internet.de/gewo/__14.html"} in (
        gewerbe.links
    )
    online = [link for link in gewerbe.links if link.get("online")]
    assert online == [
        {
            "title": "Gewerbe online anmelden",
            "url": "https://gewerbe.example.org/antrag",
            "online": True,
        }
    ]
    assert gewerbe.slug == "gewerbe-anmelden"
    assert gewerbe.level == "kreis"  # from the area of its Zuständigkeit
    assert ImportRun.objects.get().ok


def test_second_import_changes_nothing(region: Region, tmp_path: Path) -> None:
    run(tmp_path, xzufi_sample.document())
    before = list(Service.objects.values().order_by("id"))
    output = run(tmp_path, xzufi_sample.document())
    assert "services: 0 created, 0 updated, 2 unchanged, 0 removed" in output
    assert "units: 0 created, 0 updated, 3 unchanged, 0 removed" in output
    assert "responsibilities: 0 created, 0 updated, 3 unchanged, 0 removed" in output
    assert "authorities: 0 created, 0 updated, 2 unchanged" in output
    assert list(Service.objects.values().order_by("id")) == before
    assert ImportRun.objects.count() == 2


def test_changed_export_updates_and_deactivates_what_is_gone(
    region: Region, tmp_path: Path
) -> None:
    run(tmp_path, xzufi_sample.document())
    changed = xzufi_sample.document(
        xzufi_sample.GEWERBE,
        xzufi_sample.UNITS.split("<xzufi:organisationseinheit>\n      <xzufi:id>oe-stadt")[0],
        volltext="Neue Fassung.",
    )
    output = run(tmp_path, changed)
    assert "services: 0 created, 1 updated, 0 unchanged, 1 removed" in output
    assert Service.objects.get(xzufi_id="8957937").description.startswith("Neue Fassung.")
    hund = Service.objects.get(xzufi_id="hund-1")
    assert not hund.is_active  # kept for its applications, gone from the portal
    assert not ServiceResponsibility.objects.filter(service=hund).exists()
    assert "units: 0 created, 0 updated, 1 unchanged, 2 removed" in output


def test_unknown_elements_are_kept(region: Region, tmp_path: Path) -> None:
    run(tmp_path, xzufi_sample.document())
    gewerbe = Service.objects.get(xzufi_id="8957937")
    (kept,) = gewerbe.xzufi_extra["modulUrsprungsportal"]
    assert "https://redaktion.example.org/8957937" in kept and kept.startswith("<xzufi:")
    unit = OrganisationalUnit.objects.get(xzufi_id="oe-kreis")
    assert "Verwaltung" in unit.extra["kategorie"][0]
    rolle = ServiceResponsibility.objects.get(unit__xzufi_id="oe-buergerbuero").extra["rolle"]
    assert "<code>01</code>" in rolle[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<xzufi:transfer xmlns:xzufi='x'><unclosed>", "kein wohlgeformtes XML (Zeile 1)"),
        (
            b"<transfer xmlns='http://xoev.de/schemata/xzufi/2_1_0'/>",
            "kein XZuFi-2.2-Dokument",
        ),
        (
            xzufi_sample.document(
                xzufi_sample.HUND, "<xzufi:leistung><xzufi:name/></xzufi:leistung>"
            ),
            "<leistung> ohne <id> bei /transfer.schreibe.0101/schreibe[1]/leistung[2] (Zeile 12)",
        ),
        (
            xzufi_sample.document(
                xzufi_sample.HUND,
                "<xzufi:organisationseinheit><xzufi:id>x</xzufi:id><xzufi:zustaendigkeit>"
                "<xzufi:leistungID>hund-1</xzufi:leistungID></xzufi:zustaendigkeit>"
                "</xzufi:organisationseinheit>",
            ),
            "Zuständigkeit ohne gültige <gebietID> (ARS) bei "
            "/transfer.schreibe.0101/schreibe[1]/organisationseinheit[1]/zustaendigkeit[1]",
        ),
    ],
)
def test_broken_file_names_the_element_and_writes_nothing(
    region: Region, tmp_path: Path, data: bytes, message: str
) -> None:
    with pytest.raises(CommandError) as caught:
        run(tmp_path, data)
    assert message in str(caught.value)
    assert not Service.objects.exists() and not OrganisationalUnit.objects.exists()
    assert not ImportRun.objects.get().ok  # the failed run is logged for staff


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="nicht lesbar"):
        call_command("import_xzufi", str(tmp_path / "fehlt.xml"))


def test_service_without_valid_leika_key_is_skipped_with_a_warning(
    region: Region, tmp_path: Path
) -> None:
    broken = xzufi_sample.HUND.replace("99102013104000", "12345")
    output = run(tmp_path, xzufi_sample.document(xzufi_sample.GEWERBE, broken))
    assert "services: 1 created" in output
    assert "warning: /transfer.schreibe.0101/schreibe[1]/leistung[2] (Zeile" in output
    assert "Leistung hund-1 übersprungen – Ein LeiKa-Schlüssel hat genau 14 Ziffern" in output


def test_units_update_the_authority_with_their_official_key(region: Region, tmp_path: Path) -> None:
    run(tmp_path, xzufi_sample.document())
    kreis = Authority.objects.get(pk=region.kreis.pk)
    assert kreis.address == "Kreishaus\nAm Markt 1\n99001 Kreisstadt"
    assert kreis.opening_hours_lines == ["Mo–Fr 8:00–12:00 Uhr", "Do 14:00–18:00 Uhr"]
    assert (kreis.email, kreis.phone) == ("gewerbe@kreis-test.example.org", "04199 777-0")
    assert kreis.website == "https://kreis-test.example.org/"
    assert OrganisationalUnit.objects.get(xzufi_id="oe-stadt").authority == region.stadt
    assert OrganisationalUnit.objects.get(xzufi_id="oe-buergerbuero").authority is None


def test_finder_answers_from_imported_zustaendigkeiten(region: Region, tmp_path: Path) -> None:
    run(tmp_path, xzufi_sample.document())
    gewerbe = Service.objects.get(xzufi_id="8957937")
    hund = Service.objects.get(xzufi_id="hund-1")
    # Gewerbe: the Kreis's unit for the whole Kreis, with the unit's contact.
    found = responsibility_at(gewerbe, IN_LINDENHOF)
    assert found.authority == region.kreis
    assert found.email == "gewerbe@kreis-test.example.org"
    # Hundesteuer in the Stadt: the Stadt's Steueramt.
    assert responsibility_at(hund, IN_STADT).authority == region.stadt
    # Hundesteuer in Auedorf: the Bürgerbüro (no official key) for Auedorf's area — not the
    # Samtgemeinde the level rules would pick.
    found = responsibility_at(hund, IN_AUEDORF)
    assert found.authority == region.auedorf
    assert (found.contact_note, found.phone) == ("Bürgerbüro Auedorf", "04199 555-1")
    # Lindenhof has no Zuständigkeit for it: the level rules answer (Gemeinde → Samtgemeinde).
    hund.level = "gemeinde"
    hund.save()
    assert responsibility_at(hund, IN_LINDENHOF).authority == region.samtgemeinde


def test_search_api_names_the_imported_office(region: Region, tmp_path: Path) -> None:
    run(tmp_path, xzufi_sample.document())
    answer = Client().get(
        "/api/v1/services", {"q": "Gewerbe", "lat": str(IN_AUEDORF.y), "lon": str(IN_AUEDORF.x)}
    )
    assert answer.status_code == 200
    (hit,) = answer.json()["results"]
    assert hit["responsible"]["authority"]["slug"] == region.kreis.slug
    assert hit["responsible"]["email"] == "gewerbe@kreis-test.example.org"


def test_duplicate_ids_keep_the_first_object_and_are_reported(
    region: Region, tmp_path: Path
) -> None:
    twice = xzufi_sample.HUND.replace("Hundesteuer Anmeldung", "Hundesteuer (zweimal)")
    output = run(tmp_path, xzufi_sample.document(xzufi_sample.HUND, twice))
    assert "services: 1 created" in output
    assert "Leistung hund-1 doppelt, übergangen" in output
    assert Service.objects.get().name == "Hundesteuer Anmeldung"


def test_imported_texts_are_shown_on_the_service_page_and_in_the_api(
    region: Region, tmp_path: Path
) -> None:
    run(tmp_path, xzufi_sample.document())
    page = Client().get("/dienstleistungen/gewerbe-anmelden/").content.decode()
    for text in ("Voraussetzungen", "Sie sind volljährig.", "Bei Beginn des Gewerbes"):
        assert text in page
    assert "§ 14 Gewerbeordnung (GewO)" in page
    body = Client().get("/api/v1/services/gewerbe-anmelden").json()
    assert body["prerequisites"] == "Sie sind volljährig."
    assert body["legal_basis"] == "§ 14 Gewerbeordnung (GewO)"
    assert body["required_documents"] == ["Personalausweis", "Handelsregisterauszug"]
