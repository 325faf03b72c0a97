"""Seal after commit: an entry is written with its row, its place in the chain (seq, hashes)
is assigned after the commit by the one sealer. Entries chained before keep their hashes and
get their position (seq) in id order, which was their chain order."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_chain_existing_events"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="sealed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="seq",
            field=models.BigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="content_hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="entry_hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(
                condition=models.Q(("seq__isnull", True)), fields=["id"], name="ledger_unsealed"
            ),
        ),
        migrations.RunSQL(
            """
            UPDATE inspections_ledgerentry AS e SET seq = n.seq, sealed_at = e.created_at
            FROM (SELECT id, row_number() OVER (ORDER BY id) AS seq
                  FROM inspections_ledgerentry) AS n
            WHERE n.id = e.id
            """,
            migrations.RunSQL.noop,
        ),
    ]
