"""Re-run decode/extract/clean/detect on stored originals.

Use after a cleaning or detection rule changes: the database keeps every
original, so the whole archive can be regenerated; staff overrides are kept.
Each report's line says what changed (field: old → new, characters of text
removed or regained) so an operator can review the effect of a new rule; the
summary counts the reports whose metadata or text changed.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive.ingest.types import IngestError
from archive.models import Report
from archive.services import audit_values, report_reprocess


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
        failed = changed = 0
        bar = tqdm(
            total=reports.count(), unit="report", file=sys.stderr, disable=not sys.stderr.isatty()
        )
        for report in reports.iterator():
            before, chars = audit_values(report), len(report.clean_text)
            try:
                report_reprocess(report=report)
            except (IngestError, OSError) as exc:
                failed += 1
                bar.write(
                    f"failed     #{report.pk}: {getattr(exc, 'reason', exc)}", file=sys.stderr
                )
            else:
                summary = change_summary(before, audit_values(report), chars, report)
                changed += bool(summary)
                line = f"reprocessed #{report.pk} {report.title}"
                bar.write(f"{line}: {summary}" if summary else line, file=self.stdout._out)
            bar.update(1)
        bar.close()
        self.stderr.write(
            f"Done: {bar.n - failed} reprocessed ({changed} changed), {failed} failed."
        )
        if failed:
            sys.exit(1)


def change_summary(before: dict, after: dict, chars: int, report: Report) -> str:
    """ "doc_type: news → policy_document; text: 1,204 characters of chrome removed"."""
    parts = [
        f"{name}: {before[name]} → {after[name]}" for name in after if before[name] != after[name]
    ]
    delta = chars - len(report.clean_text)
    if delta > 0:
        parts.append(f"text: {delta:,} characters removed")
    elif delta < 0:
        parts.append(f"text: {-delta:,} characters regained")
    return "; ".join(parts)
