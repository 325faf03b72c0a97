"""What the FIT-Connect tests share (test_fitconnect.py, test_fitconnect_trust.py): the steps of
an application's hand-over as the citizen, beat and staff take them. The platform on loopback
and the dog-tax service routed to it are fixtures in conftest.py (`platform`, `dog_tax`)."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from celery import current_app
from django.test import Client
from django.utils import timezone

from accounts.models import User
from catalogue.models import Application, FitConnectRoute, Handover, Service
from catalogue.services import Upload, application_submit
from tests.catalogue.conftest import DOG_FORM, IN_STADT, PDF_BYTES, Region
from tests.fitconnect.server import FitConnectServer


def route(region: Region, platform: FitConnectServer, mode: str = "both", **extra: Any) -> None:
    values = {"destination_id": platform.destination_id, **extra}
    FitConnectRoute.objects.create(authority=region.stadt, mode=mode, **values)


def apply(service: Service, citizen: User, capture: Any, *, with_pdf: bool = True) -> Application:
    uploads = [Upload("haftpflicht", io.BytesIO(PDF_BYTES), "Police.pdf")] if with_pdf else []
    with capture(execute=True):
        return application_submit(
            service, applicant=citizen, point=IN_STADT, data=DOG_FORM, uploads=uploads
        )


def sync(capture: Any) -> Any:
    """The beat task, called by name as beat does."""
    with capture(execute=True):
        return current_app.tasks["catalogue.fitconnect_sync"].apply().get()


def page(client: Client, user: User, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def due(application: Application) -> None:
    Handover.objects.filter(application=application).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
