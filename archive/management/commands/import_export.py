"""``import_export``: restore an ``export_reports`` file into this archive.

Reports whose original is not here yet are ingested from ``--originals`` (in the
exported order); then staff overrides, review flags and duplicate links are
restored and each report is compared with its exported record (api/bulk.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from api.bulk import (
    Codes,
    flags_pending,
    links_restore,
    record_differences,
    record_flags,
    record_restore,
)
from search.engine import deferred_indexing


class Command(BaseCommand):
    help = "Restore reports from an export_reports JSON Lines file (and its originals)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the JSON Lines written by export_reports")
        parser.add_argument(
            "--originals", type=Path, help="the folder export_reports --originals wrote"
        )

    def handle(self, *args, file: Path, originals: Path | None, **options):
        if not file.is_file():
            raise CommandError(f"no such file: {file}")
        if originals is not None and not originals.is_dir():
            raise CommandError(f"no such folder: {originals}")
        codes = Codes.load()
        counts = {"created": 0, "restored": 0, "unchanged": 0, "failed": 0, "differs": 0}
        pending: dict[str, dict] = {}  # sha256 -> flags to check once all reports are in
        total = sum(1 for _ in file.open(encoding="utf-8"))
        bar = tqdm(total=total, unit="report", file=sys.stderr, disable=not sys.stderr.isatty())
        with deferred_indexing(), file.open(encoding="utf-8") as lines:
            for lineno, line in enumerate(lines, 1):
                bar.update(1)
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    counts["failed"] += 1
                    bar.write(
                        f"failed     line {lineno}: not JSON ({exc.msg})", file=self.stdout._out
                    )
                    continue
                self._restore(record, lineno, codes, originals, counts, pending, bar)
            for report, fields in links_restore(pending):
                bar.write(f"flags      #{report.pk}: {', '.join(fields)}", file=self.stdout._out)
        bar.close()
        summary = ", ".join(f"{n} {status}" for status, n in counts.items())
        self.stderr.write(f"Done: {summary}.")
        if counts["failed"] or counts["differs"]:
            sys.exit(1)

    def _restore(self, record, lineno, codes, originals, counts, pending, bar) -> None:
        outcome = record_restore(record, codes=codes, originals=originals)
        counts[outcome.status] += 1
        if outcome.report is None:
            bar.write(f"failed     line {lineno}: {outcome.error}", file=self.stdout._out)
            return
        report = outcome.report
        flags = record_flags(record)
        if flags_pending(report, flags):
            pending[record["sha256"]] = flags
        differences = record_differences(report, record, codes=codes)
        if differences:
            counts["differs"] += 1
            bar.write(f"differs    #{report.pk}: {', '.join(differences)}", file=self.stdout._out)
        bar.write(
            f"{outcome.status:<10} #{report.pk} (was #{record.get('id')}) {report.title}",
            file=self.stdout._out,
        )
