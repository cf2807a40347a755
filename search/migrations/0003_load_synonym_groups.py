"""Seed the curated talent-policy synonym groups (search/fixtures/synonym_groups.json).

Read from the JSON here rather than ``loaddata``: a data migration must use the
historical model, and later edits by staff are left alone (rows are only added
when the table is empty).
"""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "synonym_groups.json"


def load_groups(apps, schema_editor):
    group = apps.get_model("search", "SynonymGroup")
    if group.objects.exists():
        return
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    group.objects.bulk_create(
        group(terms="、".join(row["terms"]), note=row.get("note", "")[:200]) for row in rows
    )


def drop_groups(apps, schema_editor):
    apps.get_model("search", "SynonymGroup").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_synonym_group")]

    operations = [migrations.RunPython(load_groups, drop_groups)]
