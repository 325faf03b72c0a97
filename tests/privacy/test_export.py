"""Subject access (Art. 15/20 DSGVO): the citizen's ZIP from the Bürgerkonto holds everything
of hers (JSON + files) and nothing of anyone else; the download is hers only and expires; the
guest procedure runs from the staff form over the mailed confirmation link to the guest's
download, and is in the access log."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from accounts.models import Role, User
from boundaries.models import Authority, Level
from catalogue.models import (
    Application,
    Attachment,
    Favourite,
    Message,
    Payment,
    SamlIdentity,
    SavedPlace,
    Service,
)
from events.models import Event, EventCategory, EventFavourite
from notifications.models import AreaAlert, EmailOptOut, Follow
from outbox import delivery
from outbox.models import OutboxMessage
from privacy import exports
from privacy.models import AccessLogEntry, DataExport
from tests.factories import CategoryFactory, ReportFactory, UserFactory, box, staff, territory
from tracker.models import Photo, Report, ReportEvent, Support
from waste.models import CollectionDistrict, WasteSubscription

pytestmark = pytest.mark.django_db


def drain() -> None:
    """Deliver the outbox the way the worker does, fan-out rows included."""
    for _round in range(6):
        ids = list(
            OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).values_list(
                "pk", flat=True
            )
        )
        if not ids:
            return
        for message_id in ids:
            delivery.deliver(message_id)


@dataclass
class World:
    kreis: Authority
    anna: User
    bob: User


def _stored(name: str, data: bytes) -> str:
    return default_storage.save(name, ContentFile(data))


def _photo(report: Report, marker: bytes) -> Photo:
    image = _stored("photos/test/foto.jpg", b"\xff\xd8JPEG " + marker)
    return Photo.objects.create(
        report=report,
        image=image,
        thumbnail=_stored("photos/test/thumbs/foto.jpg", b"thumb"),
        content_type="image/jpeg",
        width=4,
        height=3,
        sha256="0" * 64,
    )


def _person_data(who: User, tag: str, kreis: Authority, other_report: Report | None) -> Report:
    """One of everything the portal keeps about a person; every text carries `tag`."""
    category = CategoryFactory.create()
    report = ReportFactory.create(
        reporter=who,
        reporter_email=who.email,
        reporter_name=f"{tag} Name",
        authority=kreis,
        category=category,
        description=f"Schlagloch von {tag}",
    )
    _photo(report, f"photo-of-{tag}".encode())
    ReportEvent.objects.create(report=report, kind="status", note=f"Antwort an {tag}")
    if other_report is not None:
        ReportEvent.objects.create(
            report=other_report, kind="comment", actor=who, note=f"Kommentar von {tag}"
        )
        Support.objects.create(report=other_report, user=who)
        Follow.objects.create(report=other_report, user=who)
    service = Service.objects.create(
        name=f"Dienst {tag}", slug=f"dienst-{tag}", level="kreis", leika_key="99050012104000"
    )
    application = Application.objects.create(
        reference=f"A-{tag}",
        service=service,
        applicant=who,
        authority=kreis,
        address=f"Hauptstr. 1 ({tag})",
        data={"kennzeichen": f"KFZ-{tag}"},
    )
    Attachment.objects.create(
        application=application,
        file=_stored("applications/test/scan.pdf", f"%PDF scan of {tag}".encode()),
        original_name="scan.pdf",
        content_type="application/pdf",
        size=10,
        sha256="1" * 64,
        uploaded_by=who,
    )
    message = Message.objects.create(application=application, sender=who, body=f"Frage {tag}")
    Attachment.objects.create(
        application=application,
        message=message,
        file=_stored("applications/test/scan.pdf", f"%PDF reply to {tag}".encode()),
        original_name="scan.pdf",
        content_type="application/pdf",
        size=10,
        sha256="2" * 64,
    )
    Payment.objects.create(
        application=application, amount=Decimal("12.50"), label=f"Gebühr {tag}", provider="bar"
    )
    Favourite.objects.create(user=who, service=service)
    SavedPlace.objects.create(user=who, label=f"Gartenweg ({tag})", location=Point(10.0, 53.0))
    AreaAlert.objects.create(
        user=who,
        name=f"Alarm {tag}",
        area=MultiPolygon(Polygon.from_bbox((10.0, 53.0, 10.1, 53.1))),
    )
    EmailOptOut.objects.create(email=who.email, scope="digest")
    event = Event.objects.create(
        authority=kreis,
        category=EventCategory.objects.get_or_create(name="Markt", slug="markt")[0],
        title=f"Markt bei {tag}",
        starts_at=timezone.now(),
    )
    EventFavourite.objects.create(user=who, event=event)
    district = CollectionDistrict.objects.get_or_create(town=kreis, name="Nord")[0]
    WasteSubscription.objects.create(district=district, email=who.email, user=who)
    return report


@pytest.fixture
def world() -> World:
    kreis = territory("Landkreis Test", Level.KREIS, box(10.0, 53.0, 10.2, 53.1), ags="99001")
    anna = UserFactory.create(email="anna@example.org", display_name="Anna A.")
    EmailAddress.objects.create(user=anna, email=anna.email, verified=True, primary=True)
    bob = UserFactory.create(email="zoe.other@example.org", display_name="Zoe Z.")
    zoe_report = _person_data(bob, "Zoe", kreis, None)
    anna_report = _person_data(anna, "Anna", kreis, zoe_report)
    # The other person comments on Anna's report (from an app, without account) and supports it.
    ReportEvent.objects.create(
        report=anna_report, kind="comment", actor=None, note="Zoe meint dazu", is_public=True
    )
    Support.objects.create(report=anna_report, user=bob)
    for person, subject in ((anna, "bpk2-anna"), (bob, "bpk2-zoe")):
        SamlIdentity.objects.create(
            user=person,
            issuer="https://id.example.org/",
            subject=subject,
            level="high",
            last_login_at=timezone.now(),
        )
    return World(kreis, anna, bob)


def _zip(response: Any) -> zipfile.ZipFile:
    body = b"".join(response.streaming_content)
    return zipfile.ZipFile(io.BytesIO(body))


def _request_and_build(client: Client, user: User) -> DataExport:
    client.force_login(user)
    response = client.post("/konto/daten/")
    assert response.status_code == 302
    assert "wird gerade erstellt" in client.get("/konto/daten/").content.decode()
    drain()
    item = DataExport.objects.get(user=user)
    assert item.status == DataExport.Status.READY
    return item


def test_the_citizens_zip_holds_all_of_her_data_and_nothing_of_anyone_else(
    client: Client, world: World
) -> None:
    item = _request_and_build(client, world.anna)
    page = client.get("/konto/daten/").content.decode()
    assert "Archiv herunterladen (ZIP)" in page
    response = client.get(f"/konto/daten/{item.token}/archiv.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = _zip(response)
    names = set(archive.namelist())
    assert {
        "README.txt",
        "konto.json",
        "meldungen.json",
        "kommentare.json",
        "unterstuetzungen.json",
        "antraege.json",
        "dienstleistungen.json",
        "benachrichtigungen.json",
        "veranstaltungen.json",
        "abfall_erinnerungen.json",
    } <= names
    readme = archive.read("README.txt").decode()
    assert "Auskunft über Ihre Daten" in readme and "meldungen.json" in readme

    def read(name: str) -> Any:
        return json.loads(archive.read(name))

    account = read("konto.json")
    assert account["email"] == "anna@example.org"
    assert account["email_addresses"][0]["verified"] is True
    reports = read("meldungen.json")
    assert [r["description"] for r in reports] == ["Schlagloch von Anna"]
    photo_path = reports[0]["photos"][0]["file"]
    assert archive.read(photo_path).endswith(b"photo-of-Anna")
    assert reports[0]["history"][-1]["note"] == "Antwort an Anna"
    assert read("kommentare.json")[0]["note"] == "Kommentar von Anna"
    assert len(read("unterstuetzungen.json")) == 1
    applications = read("antraege.json")
    assert applications[0]["data"] == {"kennzeichen": "KFZ-Anna"}
    assert applications[0]["payment"]["amount"] == "12.50"
    attachment_paths = [applications[0]["attachments"][0]["file"]]
    attachment_paths.append(applications[0]["messages"][0]["attachments"][0]["file"])
    assert len(set(attachment_paths)) == 2  # two files called scan.pdf, both kept
    assert archive.read(attachment_paths[0]) == b"%PDF scan of Anna"
    assert archive.read(attachment_paths[1]) == b"%PDF reply to Anna"
    alerts = read("benachrichtigungen.json")
    assert alerts["area_alerts"][0]["name"] == "Alarm Anna"
    assert len(alerts["followed_reports"]) == 1
    assert alerts["email_opt_outs"][0]["scope"] == "digest"
    assert read("veranstaltungen.json")[0]["title"] == "Markt bei Anna"
    assert read("abfall_erinnerungen.json")[0]["email"] == "anna@example.org"
    assert read("dienstleistungen.json")["saved_place"]["label"] == "Gartenweg (Anna)"
    assert read("dienstleistungen.json")["bundid_logins"][0]["subject"] == "bpk2-anna"
    # Nothing of the other person, in any file.
    for name in names:
        data = archive.read(name).lower()
        assert b"zoe" not in data, name
    # The citizen was told by mail; the link leads to her account page, not to the file.
    assert any("bereit" in m.subject for m in mail.outbox)


def test_download_is_hers_only_and_expires(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    item = _request_and_build(client, world.anna)
    url = f"/konto/daten/{item.token}/archiv.zip"
    other = Client()
    other.force_login(world.bob)
    refused = other.get(url)
    assert refused.status_code == 403
    assert "gehört zu einem anderen Konto" in refused.content.decode()
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/konto/login/" in anonymous["Location"]
    assert Client().get(f"/datenauskunft/{item.token}/").status_code == 403
    unknown = client.get("/konto/daten/gibt-es-nicht/archiv.zip")
    assert unknown.status_code == 404
    assert "gibt es nicht" in unknown.content.decode()
    DataExport.objects.filter(pk=item.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = client.get(url)
    assert expired.status_code == 404
    assert "abgelaufen" in expired.content.decode()
    # The nightly retention run deletes the expired archive with its file.
    name = item.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert exports.purge_expired(timezone.now(), 100) == {"data_exports_deleted": 1}
    assert not DataExport.objects.filter(pk=item.pk).exists()
    assert not default_storage.exists(name)


def test_guest_procedure_from_staff_form_to_the_guests_download(
    client: Client, world: World
) -> None:
    guest_report = ReportFactory.create(
        authority=world.kreis,
        reporter_email="Gast@Example.org",
        reporter_name="Gustav Gast",
        description="Laterne kaputt (Gast)",
    )
    _photo(guest_report, b"photo-of-guest")
    ReportFactory.create(authority=world.kreis, reporter_email="jemand@example.org")
    dpo = staff(world.kreis, Role.DATA_PROTECTION, email="dsb@kreis.example.org", is_staff=True)
    client.force_login(dpo)
    assert (
        "Auskunft für Personen ohne Konto"
        in client.get("/datenschutz/gast-auskunft/").content.decode()
    )
    bad = client.post(
        "/datenschutz/gast-auskunft/", {"email": "kein-at", "authority": world.kreis.pk}
    )
    assert bad.status_code == 400
    assert "gültige E-Mail-Adresse" in bad.content.decode()
    response = client.post(
        "/datenschutz/gast-auskunft/",
        {"email": "gast@example.org", "authority": world.kreis.pk, "reason": "Brief vom 3.12."},
        follow=True,
    )
    assert "Bestätigungslink an gast@example.org gesendet" in response.content.decode()
    item = DataExport.objects.get(email="gast@example.org")
    assert item.status == DataExport.Status.AWAITING
    # Staff see neither the link nor the archive.
    assert item.token not in response.content.decode()
    drain()
    assert DataExport.objects.get(pk=item.pk).status == DataExport.Status.AWAITING  # not built
    assert len(mail.outbox) == 1
    confirm = mail.outbox[0]
    assert confirm.to == ["gast@example.org"] and "bestätigen" in confirm.subject
    link = re.search(r"https?://[^/\s]+(/datenauskunft/[^/\s]+/)", str(confirm.body))
    assert link is not None
    path = link.group(1)
    guest = Client()
    page = guest.get(path).content.decode()  # a mail scanner's GET confirms nothing
    assert "Auskunft bestätigen" in page
    assert DataExport.objects.get(pk=item.pk).status == DataExport.Status.AWAITING
    guest.post(path)
    assert "wird gerade erstellt" in guest.get(path).content.decode()
    drain()
    ready_mail = mail.outbox[-1]
    assert "bereit" in ready_mail.subject and path in ready_mail.body
    page = guest.get(path).content.decode()
    assert "Archiv herunterladen (ZIP)" in page
    item.refresh_from_db()
    archive = _zip(guest.get(f"/konto/daten/{item.token}/archiv.zip"))
    reports = json.loads(archive.read("meldungen.json"))
    assert [r["description"] for r in reports] == ["Laterne kaputt (Gast)"]
    assert archive.read(reports[0]["photos"][0]["file"]).endswith(b"photo-of-guest")
    assert "konto.json" not in archive.namelist()
    for name in archive.namelist():
        assert b"jemand@" not in archive.read(name) and b"anna" not in archive.read(name).lower()
    log = AccessLogEntry.objects.filter(kind="subject", object_id=item.pk).order_by("pk")
    assert [(e.actor_email, e.action, e.channel) for e in log] == [
        ("dsb@kreis.example.org", "export", "page"),
        ("dsb@kreis.example.org", "export", "guest-link"),
    ]
    assert log[0].reason == "Brief vom 3.12."


def test_only_admins_and_data_protection_officers_start_the_guest_procedure(
    client: Client, world: World
) -> None:
    dispatcher = staff(world.kreis, Role.DISPATCHER)
    client.force_login(dispatcher)
    assert client.get("/datenschutz/gast-auskunft/").status_code == 403
    client.force_login(world.anna)
    assert client.get("/datenschutz/gast-auskunft/").status_code == 403


def test_expired_confirmation_link_is_refused(client: Client, world: World) -> None:
    dpo = staff(world.kreis, Role.ADMIN, is_staff=True)
    item = exports.request_for_guest("gast@example.org", by=dpo, authority_id=world.kreis.pk)
    DataExport.objects.filter(pk=item.pk).update(expires_at=timezone.now() - timedelta(days=1))
    response = client.post(f"/datenauskunft/{item.token}/")
    assert response.status_code == 404
    assert "abgelaufen" in response.content.decode()
    assert DataExport.objects.get(pk=item.pk).status == DataExport.Status.AWAITING


def test_account_deletion_takes_the_archive_along(client: Client, world: World) -> None:
    from accounts.services import account_delete

    item = _request_and_build(client, world.anna)
    name = item.file.name
    account_delete(world.anna)
    assert not DataExport.objects.filter(pk=item.pk).exists()
    assert name  # the file itself goes on commit (tests run inside a transaction)


def test_english_page(client: Client, world: World) -> None:
    client.force_login(world.anna)
    html = client.get("/konto/daten/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Download my data" in html
