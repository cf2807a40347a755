"""Compare the index with the database; ``--repair`` reindexes the difference.

The database is the truth: a report missing from the index, indexed at an older
version, or indexed but deleted is drift (a crash between commit and indexing,
an index edited behind the application's back).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from archive.models import Report
from search.engine import indexed_versions
from search.indexing import drain_queue, enqueue
from search.locking import writer_lock
from search.search_indexes import index_version


class Command(BaseCommand):
    help = "Report reports missing from the search index or stale in it; --repair fixes them."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true")

    def handle(self, *args, repair: bool, **options):
        with writer_lock():
            indexed = indexed_versions()
        current = {
            pk: index_version(Report(pk=pk, updated_at=updated))
            for pk, updated in Report.objects.filter(needs_review=False)
            .values_list("pk", "updated_at")
            .iterator()
        }
        missing = sorted(set(current) - set(indexed))
        extra = sorted(set(indexed) - set(current))
        stale = sorted(pk for pk in set(current) & set(indexed) if current[pk] != indexed[pk])
        for label, ids in (("missing", missing), ("stale", stale), ("orphaned", extra)):
            for pk in ids:
                self.stdout.write(f"{label:9} report #{pk}")
        drift = missing + stale + extra
        self.stdout.write(
            f"{len(current)} reports, {len(indexed)} indexed: {len(missing)} missing, "
            f"{len(stale)} stale, {len(extra)} orphaned."
        )
        if drift and repair:
            enqueue(drift)
            drain_queue()
            self.stdout.write(f"Repaired {len(drift)} index entries.")
        elif drift:
            self.stdout.write("Run with --repair to fix.")
