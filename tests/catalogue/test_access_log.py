"""The catalogue's staff doors to applicants' personal data leave a row in the access log
(privacy.AccessLogEntry): the staff application page, the admin page and every staff
download of an attachment; the applicant's own reads do not."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from accounts.models import Role, User
from catalogue.models import Application, Attachment, Service
from privacy.models import AccessLogEntry
from tests.factories import staff

from .conftest import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(region: Region, catalogue: dict[str, Service], citizen: User) -> Application:
    service = next(iter(catalogue.values()))
    return Application.objects.create(
        reference="2026-A-000001",
        service=service,
        applicant=citizen,
        authority=region.kreis,
        data={"name": "Erika"},
    )


def test_staff_page_admin_page_and_attachment_download_are_logged(
    region: Region, application: Application, citizen: User, client: Client
) -> None:
    attachment = Attachment.objects.create(
        application=application,
        file=default_storage.save("applications/test/nachweis.pdf", ContentFile(b"%PDF-1.4")),
        original_name="nachweis.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
        uploaded_by=citizen,
    )
    # The applicant reads her own application and attachment: nothing is logged.
    client.force_login(citizen)
    assert client.get(f"/media/{attachment.file.name}").status_code == 200
    assert not AccessLogEntry.objects.exists()

    clerk = staff(region.kreis, Role.ADMIN, email="sachbearbeitung@kreis.example.org")
    clerk.is_staff = True
    clerk.save(update_fields=["is_staff"])
    client.force_login(clerk)
    assert client.get(f"/dienstleistungen/bearbeitung/{application.pk}/").status_code == 200
    assert client.get(f"/media/{attachment.file.name}").status_code == 200
    # The admin's application page is the superuser's (ApplicationAdmin is not scoped).
    admin_user = User.objects.create_superuser(
        email="sachbearbeitung-admin@kreis.example.org", password="x-Passwort-42"
    )
    client.force_login(admin_user)
    assert client.get(f"/admin/catalogue/application/{application.pk}/change/").status_code == 200
    rows = list(AccessLogEntry.objects.order_by("pk"))
    assert [(r.action, r.channel) for r in rows] == [
        ("view", "page"),
        ("export", "download"),
        ("view", "admin"),
    ]
    assert [r.actor_email for r in rows] == [
        "sachbearbeitung@kreis.example.org",
        "sachbearbeitung@kreis.example.org",
        "sachbearbeitung-admin@kreis.example.org",
    ]
    for row in rows:
        assert row.kind == "application" and row.reference == "2026-A-000001"
        assert row.authority_id == region.kreis.pk
    assert rows[1].fields == "attachment:nachweis.pdf"
    assert "applicant" in rows[0].fields
