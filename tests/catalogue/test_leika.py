"""Every service carries a valid 14-digit LeiKa key: checked by the model (admin forms), the
database (constraint) and the import."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalogue.models import Service
from data import catalogue_spec

pytestmark = pytest.mark.django_db


def service(leika_key: str) -> Service:
    return Service(name="Gewerbe anmelden", slug="gewerbe", level="gemeinde", leika_key=leika_key)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "Dieses Feld darf nicht leer sein."),
        ("9905001210400", "genau 14 Ziffern"),
        ("99050012104000x", "genau 14 Ziffern"),
        ("9905OO12104000", "genau 14 Ziffern"),
        ("42050012104000", "beginnt mit 99 (Bund) oder dem Schlüssel eines Landes"),
        ("99000000104000", "nennt kein Leistungsobjekt"),
    ],
)
def test_invalid_leika_keys_are_refused_with_a_reason(key: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        service(key).full_clean()
    assert message in str(caught.value.message_dict["leika_key"])


@pytest.mark.parametrize("key", ["99050012104000", "03123456001000"])
def test_federal_and_state_keys_are_accepted(key: str) -> None:
    service(key).full_clean()


def test_database_refuses_a_service_without_key() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        service("").save()


def test_every_demo_service_has_its_own_valid_key() -> None:
    keys = [catalogue_spec.LEIKA_KEYS[spec.slug] for spec in catalogue_spec.SERVICES]
    assert len(set(keys)) == len(keys) == 29
    for key in keys:
        service(key).full_clean()
