"""Retention periods: each period erases exactly what it should, nothing under a legal hold,
and bad configuration gets a clear message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from catalogue.models import Application, ApplicationEvent, Message, Service
from privacy import holds, retention
from privacy.models import RecordType, RetentionPolicy
from privacy.tasks import apply_retention
from tests.factories import AuthorityFactory, CategoryFactory, ReportEventFactory, ReportFactory
from tracker.models import Report, ReportEvent, Status, Support

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def closed_report(months_ago: float, **fields: object) -> Report:
    """A report closed `months_ago` months ago (30-day months), with a supporter and a note."""
    report = ReportFactory.create(status=Status.DONE, **fields)
    when = NOW - timedelta(days=30 * months_ago)
    ReportEventFactory.create(
        report=report, to_status=Status.DONE, note="Herr Meier rief an", created_at=when
    )
    Support.objects.create(report=report, email="nachbar@example.org")
    return report


def test_contact_data_goes_after_the_contact_period_and_not_before() -> None:
    due = closed_report(7)
    fresh = closed_report(5)
    open_report = ReportFactory.create(status=Status.IN_PROGRESS)

    result = retention.run_all(NOW)

    assert result["report_contact"] == {"report_contact_erased": 1}
    due.refresh_from_db()
    assert (due.reporter_email, due.reporter_name, due.reporter_phone) == ("", "", "")
    assert due.contact_erased_at is not None
    assert not due.supports.exists()
    assert due.description == "Schlagloch"  # anonymisation is later
    for kept in (fresh, open_report):
        kept.refresh_from_db()
        assert kept.reporter_email and kept.reporter_phone
    assert fresh.supports.exists()


def test_anonymisation_after_its_period_keeps_only_clean_descriptions() -> None:
    dirty = closed_report(40, description="Vor dem Haus von Frau Schulz, Tel. 0171 555")
    clean = closed_report(40, description="Schlagloch vor Hausnummer 5", description_is_clean=True)
    young = closed_report(30)

    result = retention.run_all(NOW)

    assert result["report_anonymise"] == {"report_anonymised": 2}
    dirty.refresh_from_db()
    clean.refresh_from_db()
    assert dirty.description == ""
    assert clean.description == "Schlagloch vor Hausnummer 5"
    for report in (dirty, clean):
        assert report.anonymised_at is not None
        assert report.reporter_email == ""
        assert not ReportEvent.objects.filter(report=report).exclude(note="").exists()
        assert report.category_id and report.location  # statistics stay
    young.refresh_from_db()
    assert young.anonymised_at is None
    assert young.reporter_email == ""  # its contact period (6) has ended, though
    assert young.description == "Schlagloch"


def test_authority_and_category_periods_override_the_portal_default() -> None:
    strict = AuthorityFactory.create()
    RetentionPolicy.objects.create(
        authority=strict, record_type=RecordType.REPORT_CONTACT, months=1
    )
    RetentionPolicy.objects.create(authority=None, record_type=RecordType.REPORT_CONTACT, months=12)
    patient = CategoryFactory.create(contact_retention_months=24)

    at_strict = closed_report(2, authority=strict)
    at_default = closed_report(7)
    in_patient_category = closed_report(13, authority=strict, category=patient)
    over_portal_period = closed_report(13)

    retention.run_all(NOW)

    erased = set(
        Report.objects.filter(contact_erased_at__isnull=False).values_list("pk", flat=True)
    )
    assert erased == {at_strict.pk, over_portal_period.pk}
    assert at_default.pk not in erased and in_patient_category.pk not in erased


def test_nothing_under_a_legal_hold_is_touched_until_it_is_released() -> None:
    staff = User.objects.create_user("dsb@example.org")
    held = closed_report(50)
    other = closed_report(50)
    hold = holds.hold_place(kind="report", reference=held.reference, reason="Klage", by=staff)
    assert hold.authority_id == held.authority_id

    retention.run_all(NOW)
    held.refresh_from_db()
    assert held.reporter_email and held.description and held.anonymised_at is None
    assert Report.objects.get(pk=other.pk).anonymised_at is not None

    holds.hold_release(hold, by=staff)
    retention.run_all(NOW)
    held.refresh_from_db()
    assert held.anonymised_at is not None


def test_a_hold_on_a_record_that_does_not_exist_is_refused_clearly() -> None:
    report = closed_report(1)
    reference = report.reference
    report.delete()
    with pytest.raises(ValidationError) as caught:
        holds.hold_place(kind="report", reference=reference, reason="Klage", by=None)
    assert "gelöscht" in str(caught.value.message_dict["reference"])
    with pytest.raises(ValidationError):
        holds.hold_place(kind="report", reference="2026-000001", reason=" ", by=None)


def test_negative_periods_are_refused_with_a_message_and_by_the_database() -> None:
    policy = RetentionPolicy(record_type=RecordType.REPORT, months=-3)
    with pytest.raises(ValidationError) as caught:
        policy.full_clean()
    assert "nicht negativ" in str(caught.value.message_dict["months"])
    category = CategoryFactory.build(anonymise_after_months=-1)
    with pytest.raises(ValidationError) as caught:
        category.full_clean()
    assert "nicht negativ" in str(caught.value.message_dict["anonymise_after_months"])
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionPolicy.objects.create(record_type=RecordType.REPORT, months=-3)


def _application(months_closed: float | None, reference: str) -> Application:
    service = Service.objects.get_or_create(
        slug="hundesteuer",
        defaults={"name": "Hund", "level": "gemeinde", "leika_key": "99102013104000"},
    )[0]
    applicant = User.objects.create_user(f"{reference.lower()}@example.org")
    application = Application.objects.create(
        reference=reference,
        service=service,
        applicant=applicant,
        authority=AuthorityFactory.create(),
        address="Lindenweg 3",
        data={"name": "Erika"},
        status="done" if months_closed is not None else "new",
    )
    Message.objects.create(application=application, sender=applicant, body="Meine IBAN …")
    if months_closed is not None:
        event = ApplicationEvent.objects.create(
            application=application, kind="status", to_status="done", note="Frau Erika"
        )
        ApplicationEvent.objects.filter(pk=event.pk).update(
            created_at=NOW - timedelta(days=30 * months_closed)
        )
    return application


def test_applications_and_messages_follow_their_own_periods() -> None:
    old = _application(80, "A-1")
    middle = _application(30, "A-2")
    young = _application(10, "A-3")
    running = _application(None, "A-4")
    held = _application(80, "A-5")
    holds.hold_place(kind="application", reference="a-5", reason="Prüfung", by=None)

    result = apply_retention.apply().get()

    # The anonymisation (first) takes the old application's messages with it.
    assert result["application_anonymise"] == {"applications_anonymised": 1}
    assert result["application_messages"] == {"messages_deleted": 1}
    assert not Message.objects.filter(application=old).exists()
    old.refresh_from_db()
    assert (old.applicant_id, old.data, old.address) == (None, {}, "")
    assert old.anonymised_at is not None and old.status == "done"
    assert not old.events.exclude(note="").exists()
    assert not Message.objects.filter(application=middle).exists()
    for kept in (young, running, held):
        assert Message.objects.filter(application=kept).exists()
        kept.refresh_from_db()
        assert kept.data == {"name": "Erika"}


def test_account_erasure_and_retention_share_the_contact_erasure() -> None:
    from accounts.services import account_delete

    user = User.objects.create_user("erika@example.org")
    report = ReportFactory.create(reporter=user)
    account_delete(user)
    report.refresh_from_db()
    assert report.reporter_id is None and report.reporter_email == ""
    assert report.contact_erased_at is not None


def test_access_log_entries_go_after_their_own_period() -> None:
    from privacy.access import log_access
    from privacy.models import AccessLogEntry

    old = log_access(None, action="view", channel="page", kind="report")
    AccessLogEntry.objects.filter(pk=old.pk).update(created_at=NOW - timedelta(days=800))
    new = log_access(None, action="view", channel="page", kind="report")
    retention.run_all(NOW)
    assert list(AccessLogEntry.objects.values_list("pk", flat=True)) == [new.pk]
