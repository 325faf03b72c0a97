"""The demo catalogue ships as an XZuFi 2.2 file that `make run` imports after the demo loader
(scripts/setup.sh): the committed file is current, importing it changes no text of the demo
services, a second run changes nothing, and every office the Zuständigkeitsfinder names in
the demo region is the same before and after the import."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from boundaries.models import Boundary, Level
from catalogue.models import Service, ServiceResponsibility
from catalogue.responsibility import responsibility_at
from data import xzufi_demo

pytestmark = pytest.mark.django_db

DEMO_FILE = str(xzufi_demo.PATH)
TEXT_FIELDS = [
    "name",
    "summary",
    "description",
    "keywords",
    "leika_key",
    "required_documents",
    "fees",
    "processing_time",
    "links",
]


def test_committed_demo_file_is_current() -> None:
    assert Path(DEMO_FILE).read_bytes() == xzufi_demo.build(), (
        "data/xzufi/demo-catalogue.xml is out of date: run manage.py write_demo_xzufi"
    )


def _offices() -> dict[tuple[str, str], tuple[str, str, str]]:
    """(place, service) → (office, detail, e-mail) at a point inside every demo Gemeinde."""
    found = {}
    gemeinden = Boundary.objects.filter(
        authority__level=Level.GEMEINDE, boundary_set__is_active=True
    ).select_related("authority")
    for boundary in gemeinden:
        point = boundary.geom.point_on_surface
        for service in Service.objects.filter(is_active=True):
            office = responsibility_at(service, point)
            found[(boundary.authority.slug, service.slug)] = (
                office.authority.slug,
                office.detail,
                office.email,
            )
    return found


def test_demo_import_keeps_the_demo_catalogue_and_its_offices() -> None:
    call_command("load_demo", "--commit", stdout=io.StringIO())
    call_command("load_catalogue", "--commit", stdout=io.StringIO())
    texts = {s.slug: [getattr(s, f) for f in TEXT_FIELDS] for s in Service.objects.all()}
    offices = _offices()

    out = io.StringIO()
    call_command("import_xzufi", DEMO_FILE, "--commit", stdout=out)
    assert "services: 0 created, 29 updated, 0 unchanged, 0 removed" in out.getvalue()
    assert "authorities: 0 created, 0 updated, 5 unchanged" in out.getvalue()
    after = {s.slug: [getattr(s, f) for f in TEXT_FIELDS] for s in Service.objects.all()}
    assert after == texts
    assert ServiceResponsibility.objects.filter(area__isnull=False).count() == (
        ServiceResponsibility.objects.count()
    )
    assert _offices() == offices

    out = io.StringIO()
    call_command("import_xzufi", DEMO_FILE, "--commit", stdout=out)
    assert "services: 0 created, 0 updated, 29 unchanged, 0 removed" in out.getvalue()
    # The demo loader (forms, fees, Lebenslagen) still finds its services by LeiKa key.
    call_command("load_catalogue", "--commit", stdout=out)
    assert "Catalogue: nothing new created." in out.getvalue()
    assert Service.objects.get(slug="hundesteueranmeldung").form_schema["properties"]
