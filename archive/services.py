"""Writes: the one way a report enters or changes in the archive.

``report_ingest`` is used by the CLI, the admin and the tests alike, so a rule
about duplicates, storage or metadata lives here once. Every write that creates
or changes a report also writes an ``AuditEntry`` in the same transaction.
Staff-only writes (edits, review, duplicate marks) are in archive/upload/services.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Literal

from django.db import IntegrityError, transaction

from . import cache_versions, city_sums
from .figure_rows import insert_figures
from .gazetteer import Gazetteer
from .ingest import neardup
from .ingest.pipeline import Processed, process_document
from .ingest.types import IngestError
from .models import AuditEntry, City, DatePrecision, Province, Report
from .near_duplicates import most_similar
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
    "doc_number",
    "issuer",
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


def web_url(url: str) -> str:
    """Only http(s) URLs are kept as a source link: a saved page can claim any
    ``canonical`` URL, including ``javascript:`` ones that would run on click."""
    url = url.strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


def report_ingest(
    *,
    data: bytes,
    filename: str,
    uploaded_by=None,
    city: City | None = None,
    hints: dict | None = None,
    review_missing: bool = False,
    processed: Processed | None = None,
) -> IngestOutcome:
    """Store one file as a report unless it is a duplicate or unreadable.

    A failure leaves nothing behind: the row is written in one transaction and
    the original file is content-addressed (an orphan is harmless and reused).
    ``hints`` come from the container (a WARC page's URL and capture time).
    ``review_missing`` (web uploads) holds a report without a detected city or
    date back from the public until staff review it; the CLI leaves it off, so
    an operator's bulk import (and seed 003, a reply letter with no date) stays
    public as before.
    ``processed`` is this file's pipeline result when a worker process computed
    it already (``import_reports --workers N``); it must come from
    ``process_document`` on these same bytes and name.
    """
    digest = sha256_hex(data)
    same_bytes = Report.objects.filter(original_sha256=digest).first()
    if same_bytes:
        return IngestOutcome(filename, "duplicate", duplicate_of=same_bytes)
    if processed is None:
        try:
            processed = process_document(
                data, filename=filename, gazetteer=Gazetteer.load_default()
            )
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
        evidence={"hints": _clean_hints(hints)} if hints else {},
    )
    if city is not None:
        report.overrides = {"city": city.pk, "province": city.province_id}
    _apply_processed(report, processed)
    report.needs_review = review_missing and (report.city_id is None or not report.published_on)
    _flag_near_duplicate(report)
    try:
        with cache_versions.bumps_at_commit(), transaction.atomic():
            store_original(data)
            with city_sums.figures_follow():
                report.save()
            _save_figures(report, processed, new=True)
            audit_record(
                report=report,
                action=AuditEntry.Action.CREATED,
                user=uploaded_by,
                changes=_creation_summary(report, filename),
            )
    except IntegrityError:
        # Another writer stored the same bytes between our check and save.
        existing = Report.objects.filter(original_sha256=digest).first()
        if existing is None:
            raise
        return IngestOutcome(filename, "duplicate", duplicate_of=existing)
    return IngestOutcome(filename, "created", report=report)


def report_reprocess(*, report: Report, user=None) -> Report:
    """Re-run the pure pipeline on the stored original; staff overrides survive.

    The near-duplicate flag is decided once, at upload: staff may have confirmed
    or dismissed it since, and reprocessing must not undo their decision.
    """
    data = read_original(report.original_sha256)
    processed = process_document(
        data, filename=report.original_name, gazetteer=Gazetteer.load_default()
    )
    before = audit_values(report)
    _apply_processed(report, processed)
    after = audit_values(report)
    with transaction.atomic():
        with city_sums.figures_follow():
            report.save()
        _save_figures(report, processed)
        changes = {f: [before[f], after[f]] for f in after if before[f] != after[f]}
        audit_record(
            report=report, action=AuditEntry.Action.REPROCESSED, user=user, changes=changes
        )
    return report


def audit_record(*, report: Report, action: str, user=None, changes: dict | None = None) -> None:
    """Write who did what to which report; call inside the change's transaction."""
    AuditEntry.objects.create(
        report=report,
        report_label=f"#{report.pk} {report.title}"[:520],
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        changes=changes or {},
    )


def audit_values(report: Report) -> dict[str, object]:
    """The audited fields as JSON-friendly values (names, not ids; ISO dates)."""
    values: dict[str, object] = {}
    for field in (*OVERRIDABLE, "needs_review", "duplicate_of", "text_hash"):
        value = getattr(report, field)
        if isinstance(value, Report):
            value = value.pk
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif value is not None and not isinstance(value, (str, int, float, bool)):
            value = str(value)
        values[field] = value
    return values


def _creation_summary(report: Report, filename: str) -> dict:
    summary: dict = {"file": filename[-500:], **audit_values(report)}
    summary.pop("text_hash", None)
    if report.near_duplicate_of_id:
        summary["near_duplicate_of"] = report.near_duplicate_of_id
        summary["near_duplicate_score"] = report.near_duplicate_score
    return summary


def _clean_hints(hints: dict) -> dict[str, str]:
    """Keep the hints we understand, as short strings (they end up in JSON and pages)."""
    return {key: str(hints[key])[:1000] for key in ("source_url", "captured_at") if hints.get(key)}


def _flag_near_duplicate(report: Report) -> None:
    """Link a new report to the most similar stored one ("possible duplicate of #N")."""
    match = most_similar(neardup.from_hex(report.evidence.get("minhash")))
    if match is not None:
        report.near_duplicate_of_id = match.report_id
        report.near_duplicate_score = match.score


def _save_figures(report: Report, processed: Processed, *, new: bool = False) -> None:
    """Replace the report's figures with those of this processing run (a new
    report has none to delete: one query less per imported report)."""
    if not new:
        report.figures.all().delete()
    insert_figures(report, processed)
    city_sums.sync(report)  # its figures per dimension, now that they are stored


def _apply_processed(report: Report, processed: Processed) -> None:
    hints = (report.evidence or {}).get("hints") or {}  # kept across reprocess
    report.encoding = processed.encoding
    report.decoded_text = processed.decoded_text
    report.clean_text = processed.clean_text
    report.removed = [[r.rule, r.text] for r in processed.removed]
    report.text_hash = processed.text_hash
    report.script = processed.script.value or "simplified"
    report.evidence = {
        **processed.evidence(),
        **_hint_evidence(hints),
        "minhash": neardup.to_hex(processed.sketch),
    }
    # No headline found: the file's own name, never the folder it came from.
    report.title = (processed.title.value or PurePath(report.original_name).name)[:500]
    report.doc_type = processed.doc_type.value or "other"
    report.source_name = (processed.source.value or "")[:200]
    report.doc_number = (processed.doc_number.value or "")[:100]
    report.issuer = (processed.issuer.value or "")[:200]
    # A WARC names the URL it fetched: that beats a canonical link in the page.
    report.source_url = web_url(hints.get("source_url") or processed.source_url or "")[:1000]
    date = processed.date.value
    report.published_on = date.value if date else None
    report.date_precision = DatePrecision(date.precision) if date else ""
    report.city, report.province = _place_rows(processed)
    _apply_overrides(report)


def _hint_evidence(hints: dict) -> dict:
    """Evidence entries for a WARC capture: the URL fetched and when (no model field
    holds a capture time, so it lives here, next to the rule that used it)."""
    if not hints:
        return {}
    found: dict = {"hints": hints}
    if hints.get("source_url"):
        found["source_url"] = f"网页存档 WARC-Target-URI：{hints['source_url']}"
    if hints.get("captured_at"):
        found["captured_at"] = hints["captured_at"]
    return found


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
