"""``export_reports``: every report as JSON Lines, optionally with its original file.

The output is what ``import_export`` (or ``import_reports`` on the originals
folder, then ``import_export``) reads back into an empty archive; see api/bulk.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from api.bulk import Codes, copy_original, export_queryset, export_record
from archive.models import Report


class Command(BaseCommand):
    help = "Export all reports as JSON Lines (metadata, clean text, figures, overrides)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", type=Path, help="write the JSON Lines here (default: stdout)"
        )
        parser.add_argument(
            "--originals", type=Path, help="also copy each original file into this folder"
        )

    def handle(self, *args, output: Path | None, originals: Path | None, **options):
        if originals is not None:
            if originals.exists() and not originals.is_dir():
                raise CommandError(f"--originals must be a folder: {originals}")
            originals.mkdir(parents=True, exist_ok=True)
        if output is not None and not output.parent.is_dir():
            raise CommandError(f"no such folder: {output.parent}")
        codes = Codes.load()
        total = Report.objects.count()
        bar = tqdm(total=total, unit="report", file=sys.stderr, disable=not sys.stderr.isatty())
        missing = 0
        stream = output.open("w", encoding="utf-8") if output else self.stdout._out
        try:
            for report in export_queryset().iterator(chunk_size=200):
                record = export_record(report, codes=codes, originals=originals is not None)
                if originals is not None:
                    try:
                        copy_original(report, originals)
                    except OSError as exc:
                        missing += 1
                        record["original"]["path"] = None
                        bar.write(f"missing original of #{report.pk}: {exc}", file=sys.stderr)
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
                bar.update(1)
        finally:
            bar.close()
            if output:
                stream.close()
        where = f" to {output}" if output else ""
        copied = f", originals in {originals}" if originals else ""
        self.stderr.write(f"Done: {total - missing} exported{where}{copied}, {missing} missing.")
        if missing:
            sys.exit(1)
