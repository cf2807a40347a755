"""Compare the index with the database; ``--repair`` reindexes the difference.

The database is the truth: a report missing from the index, indexed at an older
version, or indexed but deleted is drift (a crash between commit and indexing,
an index edited behind the application's back); so is an index of another
archive (search/health.py). Drift without ``--repair`` exits with status 1, so
cron can run ``check_index || check_index --repair`` (or ``rebuild_index``).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from archive.models import Report
from search import engine, health
from search.indexing import drain_queue, enqueue
from search.locking import writer_lock
from search.search_indexes import archive_id, index_version


class Command(BaseCommand):
    help = "Report reports missing from the search index or stale in it; --repair fixes them."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true")

    def handle(self, *args, repair: bool, **options):
        with writer_lock():
            indexed = engine.indexed_versions()
            foreign = health.is_foreign(engine.current().index_status(), archive_id())
        current = {
            pk: index_version(Report(pk=pk, updated_at=updated))
            for pk, updated in Report.objects.public().values_list("pk", "updated_at").iterator()
        }
        missing = sorted(set(current) - set(indexed))
        extra = sorted(set(indexed) - set(current))
        stale = sorted(pk for pk in set(current) & set(indexed) if current[pk] != indexed[pk])
        for label, ids in (("missing", missing), ("stale", stale), ("orphaned", extra)):
            for pk in ids:
                self.stdout.write(f"{label:9} report #{pk}")
        drift = missing + stale + extra
        if foreign and not drift:  # same ids and versions, another archive's stamp
            self.stdout.write(f"index     {health.FOREIGN}")
        self.stdout.write(
            f"{len(current)} reports, {len(indexed)} indexed: {len(missing)} missing, "
            f"{len(stale)} stale, {len(extra)} orphaned."
        )
        if foreign and repair:
            self.stdout.write(f"Rebuilt the index: {health.rebuild()} reports.")
        elif drift and repair:
            enqueue(drift)
            drain_queue()
            self.stdout.write(f"Repaired {len(drift)} index entries.")
        elif drift or foreign:
            raise CommandError("the index has drifted from the database: run with --repair")
