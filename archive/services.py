"""Writes: the one way a report enters or changes in the archive.

``report_ingest`` is used by the CLI, the admin and the tests alike, so a rule
about duplicates, storage or metadata lives here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.db import IntegrityError, transaction

from .gazetteer import Gazetteer
from .ingest.pipeline import Processed, process_document
from .ingest.types import IngestError
from .models import City, DatePrecision, Figure, Province, Report
from .storage import read_original, sha256_hex, store_original

Status = Literal["created", "duplicate", "failed"]

#: fields staff may override; reprocess never touches them (issue 2).
OVERRIDABLE = (
    "title",
    "city",
    "province",
    "published_on",
    "date_precision",
    "source_name",
    "source_url",
    "doc_type",
)


@dataclass
class IngestOutcome:
    filename: str
    status: Status
    report: Report | None = None
    duplicate_of: Report | None = None
    error: str | None = None

    def as_row(self) -> dict:
        """The JSON row of API.md's ``import_reports --json``."""
        shown = self.report or self.duplicate_of
        return {
            "file": self.filename,
            "status": self.status,
            "report_id": self.report.pk if self.report else None,
            "duplicate_of": self.duplicate_of.pk if self.duplicate_of else None,
            "title": shown.title if shown else "",
            "city": shown.city.name if shown and shown.city else None,
            "province": shown.province.name if shown and shown.province else None,
            "published_on": shown.published_on_display if shown else None,
            "doc_type": shown.doc_type if shown else "",
            "source": shown.source_name if shown else "",
            "script": shown.script if shown else "",
            "error": self.error,
        }


def report_ingest(
    *, data: bytes, filename: str, uploaded_by=None, city: City | None = None
) -> IngestOutcome:
    """Store one file as a report unless it is a duplicate or unreadable.

    A failure leaves nothing behind: the row is written in one transaction and
    the original file is content-addressed (an orphan is harmless and reused).
    """
    digest = sha256_hex(data)
    same_bytes = Report.objects.filter(original_sha256=digest).first()
    if same_bytes:
        return IngestOutcome(filename, "duplicate", duplicate_of=same_bytes)
    try:
        processed = process_document(data, filename=filename, gazetteer=Gazetteer.load_default())
    except IngestError as exc:
        return IngestOutcome(filename, "failed", error=exc.reason)
    same_text = Report.objects.filter(text_hash=processed.text_hash).order_by("pk").first()
    if same_text:
        return IngestOutcome(filename, "duplicate", duplicate_of=same_text)

    report = Report(
        original_name=filename[-500:],
        original_sha256=digest,
        original_size=len(data),
        uploaded_by=uploaded_by,
    )
    if city is not None:
        report.overrides = {"city": city.pk, "province": city.province_id}
    _apply_processed(report, processed)
    try:
        with transaction.atomic():
            store_original(data)
            report.save()
            _save_figures(report, processed)
    except IntegrityError:
        # Another writer stored the same bytes between our check and save.
        existing = Report.objects.filter(original_sha256=digest).first()
        if existing is None:
            raise
        return IngestOutcome(filename, "duplicate", duplicate_of=existing)
    return IngestOutcome(filename, "created", report=report)


def report_reprocess(*, report: Report) -> Report:
    """Re-run the pure pipeline on the stored original; staff overrides survive."""
    data = read_original(report.original_sha256)
    processed = process_document(
        data, filename=report.original_name, gazetteer=Gazetteer.load_default()
    )
    _apply_processed(report, processed)
    with transaction.atomic():
        report.save()
        _save_figures(report, processed)
    return report


def _save_figures(report: Report, processed: Processed) -> None:
    """Replace the report's figures with those of this processing run."""
    report.figures.all().delete()
    Figure.objects.bulk_create(
        Figure(
            report=report,
            ordinal=ordinal,
            value=f.value,
            unit=f.unit,
            text=f.text[:100],
            qualifier=f.qualifier[:40],
            year=f.year,
            dimension=f.dimension or "",
            cue=f.cue[:30],
            sentence=f.sentence,
            start=f.start,
            end=f.end,
            sentence_start=f.sentence_start,
            sentence_end=f.sentence_end,
        )
        for ordinal, f in enumerate(processed.figures, start=1)
    )


def _apply_processed(report: Report, processed: Processed) -> None:
    report.encoding = processed.encoding
    report.decoded_text = processed.decoded_text
    report.clean_text = processed.clean_text
    report.removed = [[r.rule, r.text] for r in processed.removed]
    report.text_hash = processed.text_hash
    report.script = processed.script.value or "simplified"
    report.evidence = processed.evidence()
    report.title = (processed.title.value or report.original_name)[:500]
    report.doc_type = processed.doc_type.value or "other"
    report.source_name = (processed.source.value or "")[:200]
    report.source_url = (processed.source_url or "")[:1000]
    date = processed.date.value
    report.published_on = date.value if date else None
    report.date_precision = DatePrecision(date.precision) if date else ""
    report.city, report.province = _place_rows(processed)
    _apply_overrides(report)


def _place_rows(processed: Processed) -> tuple[City | None, Province | None]:
    place = processed.place
    city = City.objects.filter(adcode=place.city.adcode).first() if place.city else None
    province = (
        Province.objects.filter(adcode=place.province.adcode).first() if place.province else None
    )
    if city is not None and province is None:
        province = city.province
    return city, province


def _apply_overrides(report: Report) -> None:
    for field, value in report.overrides.items():
        if field not in OVERRIDABLE:
            continue
        if field == "city":
            report.city = City.objects.filter(pk=value).first()
        elif field == "province":
            report.province = Province.objects.filter(pk=value).first()
        elif field == "published_on":
            report.published_on = date.fromisoformat(value) if value else None
        else:
            setattr(report, field, value)
