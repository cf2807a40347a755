"""``import_reports`` exactly as in ../shared/API.md."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive.ingest.inputs import expand_paths, iter_file_items
from archive.models import City
from archive.selectors import city_by_name
from archive.services import IngestOutcome, report_ingest
from search.indexing import deferred_indexing


class Command(BaseCommand):
    help = "Import report files, folders (recursive) or zip archives into the archive."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--json", action="store_true", help="one JSON object per file on stdout"
        )
        parser.add_argument("--city", help="force this city (name, Traditional name or slug)")

    def handle(self, *args, paths: list[Path], json: bool, city: str | None, **options):
        forced = self._forced_city(city)
        missing = [p for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(map(str, missing))}")
        max_bytes = settings.MAX_UPLOAD_MB * 1024 * 1024
        files = expand_paths(paths)
        bar = tqdm(total=len(files), unit="file", file=sys.stderr, disable=not sys.stderr.isatty())
        counts = {"created": 0, "duplicate": 0, "failed": 0}
        with deferred_indexing():
            for path in files:
                for item in iter_file_items(path, max_bytes=max_bytes):
                    if item.error is not None:
                        outcome = IngestOutcome(item.name, "failed", error=item.error)
                    else:
                        outcome = report_ingest(data=item.data, filename=item.name, city=forced)
                    counts[outcome.status] += 1
                    self._emit(outcome, as_json=json, bar=bar)
                bar.update(1)
        bar.close()
        summary = ", ".join(f"{n} {status}" for status, n in counts.items())
        self.stderr.write(f"Done: {summary}.")
        if counts["failed"]:
            sys.exit(1)

    def _forced_city(self, name: str | None) -> City | None:
        if name is None:
            return None
        city = city_by_name(name)
        if city is None:
            raise CommandError(f"unknown city {name!r}: use a gazetteer name, e.g. 兰州市")
        return city

    def _emit(self, outcome: IngestOutcome, *, as_json: bool, bar: tqdm) -> None:
        row = outcome.as_row()
        if as_json:
            self.stdout.write(json.dumps(row, ensure_ascii=False))
            return
        if outcome.status == "failed":
            line = f"failed     {row['file']}: {row['error']}"
        elif outcome.status == "duplicate":
            line = f"duplicate  {row['file']} (of #{row['duplicate_of']})"
        else:
            line = (
                f"created    #{row['report_id']} {row['city'] or '?'} "
                f"{row['published_on'] or '?'} {row['title']}"
            )
        bar.write(line, file=self.stdout._out)
