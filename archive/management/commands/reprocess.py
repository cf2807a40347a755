"""Re-run decode/extract/clean/detect on stored originals.

Use after a cleaning or detection rule changes: the database keeps every
original, so the whole archive can be regenerated; staff overrides are kept.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive.ingest.types import IngestError
from archive.models import Report
from archive.services import report_reprocess


class Command(BaseCommand):
    help = "Re-clean and re-detect reports from their stored originals."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="report ids (default: all)")

    def handle(self, *args, ids: list[int], **options):
        reports = Report.objects.order_by("pk")
        if ids:
            reports = reports.filter(pk__in=ids)
            missing = set(ids) - set(reports.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no report with id {', '.join(map(str, sorted(missing)))}")
        failed = 0
        bar = tqdm(
            total=reports.count(), unit="report", file=sys.stderr, disable=not sys.stderr.isatty()
        )
        for report in reports.iterator():
            try:
                report_reprocess(report=report)
            except (IngestError, OSError) as exc:
                failed += 1
                bar.write(
                    f"failed     #{report.pk}: {getattr(exc, 'reason', exc)}", file=sys.stderr
                )
            else:
                bar.write(f"reprocessed #{report.pk} {report.title}", file=self.stdout._out)
            bar.update(1)
        bar.close()
        self.stderr.write(f"Done: {bar.n - failed} reprocessed, {failed} failed.")
        if failed:
            sys.exit(1)
