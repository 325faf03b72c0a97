"""Chain the report history written before the ledger existed (in id order), so the whole
history is tamper-evident from this migration on. Their actor label stays empty: the record
shows the person from the row for them."""

from typing import Any

from django.db import migrations

from tracker.inspections.hashing import CONTENT_FIELDS, GENESIS, content_hash, entry_hash

SOURCE = "report_event"


def chain(apps: Any, schema_editor: Any) -> None:
    ReportEvent = apps.get_model("tracker", "ReportEvent")
    LedgerEntry = apps.get_model("inspections", "LedgerEntry")
    if LedgerEntry.objects.exists():
        return
    prev = GENESIS
    batch = []
    rows = ReportEvent.objects.order_by("id").values(*CONTENT_FIELDS[SOURCE])
    for values in rows.iterator(chunk_size=2000):
        content = content_hash(SOURCE, values)
        entry = entry_hash(SOURCE, values["id"], content, "", prev)
        batch.append(
            LedgerEntry(
                source=SOURCE,
                row_id=values["id"],
                content_hash=content,
                actor_label="",
                prev_hash=prev,
                entry_hash=entry,
            )
        )
        prev = entry
        if len(batch) >= 2000:
            LedgerEntry.objects.bulk_create(batch)
            batch = []
    LedgerEntry.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_initial"),
        ("tracker", "0013_report_source_inspection_measure_event"),
    ]

    operations = [migrations.RunPython(chain, migrations.RunPython.noop)]
