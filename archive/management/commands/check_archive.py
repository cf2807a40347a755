"""``check_archive [--repair]``: are the originals intact and the clean text reproducible?

DESIGN.md promises that nothing uploaded is lost or silently altered and that the
clean text can always be regenerated from the original. This command checks both
for every report:
- ``missing``/``damaged``: the original is gone, or its bytes no longer hash to
  its name (disk fault, a hand edit). Never repaired here: restore it from a
  backup (``backup``/``restore``); originals are never deleted or rewritten.
- ``drifted``: re-running the pipeline on the original gives other clean text
  (a rule changed since import, or the row was edited behind the app's back).
  ``--repair`` re-cleans it through ``report_reprocess`` (staff overrides kept).
- ``failing``: the pipeline now rejects the original (a rule regression).
- ``term statistics``: the stored keyword counts (archive/term_stats.py) no longer
  match the reports (rows written behind the app's back); ``--repair`` recomputes.
Leftover temporary files of writes killed mid-way are reported too, and removed
by ``--repair`` once an hour old (a live import may be writing one right now).
Exit status 1 while any problem remains.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from archive import term_stats
from archive.backup import file_sha256
from archive.gazetteer import Gazetteer
from archive.ingest.pipeline import process_document
from archive.ingest.types import IngestError
from archive.models import Report
from archive.services import report_reprocess
from archive.storage import original_path, read_original

STALE_TMP_SECONDS = 3600
FIELDS = ("id", "original_sha256", "original_name", "clean_text", "title")


class Command(BaseCommand):
    help = "Check every original against its sha256 and every clean text against the pipeline."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="re-clean drifted reports")
        parser.add_argument(
            "--originals-only",
            action="store_true",
            help="only check the originals' checksums (fast; skips re-running the pipeline)",
        )

    def handle(self, *args, repair: bool, originals_only: bool, **options):
        reports = Report.objects.order_by("pk").only(*FIELDS)
        bar = tqdm(
            total=reports.count(), unit="report", file=sys.stderr, disable=not sys.stderr.isatty()
        )
        problems = {"missing": 0, "damaged": 0, "drifted": 0, "failing": 0}
        repaired = checked = 0
        gazetteer = Gazetteer.load_default()
        for report in reports.iterator(chunk_size=200):
            status = self._check(report, gazetteer, originals_only=originals_only)
            if status is not None:
                label, detail = status
                if label == "drifted" and repair:
                    report_reprocess(report=Report.objects.get(pk=report.pk))
                    repaired += 1
                    label, detail = "repaired", "re-cleaned from the original"
                else:
                    problems[label] += 1
                bar.write(f"{label:10} report #{report.pk}: {detail}", file=self.stdout._out)
            checked += 1
            bar.update(1)
        bar.close()
        leftovers = self._temporary_files(remove=repair)
        problems["term statistics"] = self._term_statistics(repair=repair)
        summary = ", ".join(f"{n} {label}" for label, n in problems.items())
        self.stdout.write(
            f"{checked} reports checked: {summary}; {repaired} repaired; "
            f"{leftovers} stale temporary files{' removed' if repair else ''}."
        )
        if any(problems.values()):
            if problems["drifted"] or problems["term statistics"]:
                self.stdout.write("Run with --repair to re-clean drifted reports.")
            sys.exit(1)

    def _check(
        self, report: Report, gazetteer: Gazetteer, *, originals_only: bool
    ) -> tuple[str, str] | None:
        path = original_path(report.original_sha256)
        if not path.exists():
            return "missing", f"no original at {path}"
        if file_sha256(path) != report.original_sha256:
            return "damaged", f"{path} no longer matches its sha256"
        if originals_only:
            return None
        try:
            processed = process_document(
                read_original(report.original_sha256),
                filename=report.original_name,
                gazetteer=gazetteer,
            )
        except IngestError as exc:
            return "failing", f"the pipeline now rejects the original: {exc.reason}"
        if processed.clean_text != report.clean_text:
            return "drifted", "stored clean text differs from a fresh run of the pipeline"
        return None

    def _term_statistics(self, *, repair: bool) -> int:
        """Stored keyword counts (archive/term_stats.py) against the reports;
        ``--repair`` recomputes them all from clean text. Returns what remains."""
        stale = term_stats.drift()
        if stale and repair:
            term_stats.rebuild()
            self.stdout.write(f"repaired   term statistics: {stale} stale entries recomputed")
            return term_stats.drift()
        if stale:
            self.stdout.write(f"drifted    term statistics: {stale} stale entries")
        return stale

    def _temporary_files(self, *, remove: bool) -> int:
        """Count (and with ``remove`` delete) write leftovers older than an hour."""
        root = Path(settings.ORIGINALS_DIR)
        if not root.exists():
            return 0
        cutoff = time.time() - STALE_TMP_SECONDS
        stale = [p for p in root.glob("*/.tmp-*") if p.stat().st_mtime < cutoff]
        for path in stale:
            self.stdout.write(f"leftover   {path}")
            if remove:
                path.unlink(missing_ok=True)
        return len(stale)
