"""One staff upload: every file (and zip member, and WARC page) through
``report_ingest``, each in its own transaction, into rows for the result table.

A file that fails (unreadable, too large, a bug in an extractor) becomes a failed
row and the next file goes on; nothing of it is stored, because
``report_ingest`` writes a report, its figures and its audit entry in one
transaction and only after every check has passed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.core.files.uploadedfile import UploadedFile

from archive.ingest.inputs import InputItem, iter_upload_items
from archive.services import IngestOutcome, report_ingest

log = logging.getLogger(__name__)


@dataclass
class ResultRow:
    """One line of the result table, small enough to keep in the session."""

    file: str
    status: str  # created | needs_review | duplicate | failed
    report_id: int | None = None
    duplicate_of: int | None = None
    near_duplicate_of: int | None = None
    near_duplicate_score: float | None = None
    source_url: str = ""
    error: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def upload_batch(
    *,
    files: Iterable[UploadedFile],
    too_large: Iterable[tuple[str, int]] = (),
    user,
    max_bytes: int,
) -> list[ResultRow]:
    """Ingest every uploaded file; one row per file, zip member or WARC page."""
    rows = [
        ResultRow(name, "failed", error=_too_large(size, max_bytes)) for name, size in too_large
    ]
    for upload in files:
        name = upload.name or "(无名文件)"
        for item in iter_upload_items(name, upload, size=upload.size or 0, max_bytes=max_bytes):
            rows.append(_ingest_item(item, user=user))
    return rows


def _ingest_item(item: InputItem, *, user) -> ResultRow:
    if item.error is not None or item.data is None:
        return ResultRow(item.name, "failed", error=item.error or "没有内容 / no content")
    try:
        outcome = report_ingest(
            data=item.data,
            filename=item.name,
            uploaded_by=user,
            hints=item.hints,
            review_missing=True,
        )
    except Exception:
        # A bug in one extractor must not lose the rest of the batch; the
        # traceback goes to the log, the row says the file was not stored.
        log.exception("upload of %s failed", item.name)
        return ResultRow(
            item.name,
            "failed",
            error="处理时出现内部错误，文件未保存（已记录日志）/ internal error; nothing stored",
        )
    return _row(outcome, source_url=item.hints.get("source_url", ""))


def _row(outcome: IngestOutcome, *, source_url: str) -> ResultRow:
    row = ResultRow(outcome.filename, outcome.status, source_url=source_url, error=outcome.error)
    if outcome.duplicate_of is not None:
        row.duplicate_of = outcome.duplicate_of.pk
    report = outcome.report
    if report is not None:
        row.report_id = report.pk
        row.near_duplicate_of = report.near_duplicate_of_id
        row.near_duplicate_score = report.near_duplicate_score
        if report.needs_review:
            row.status = "needs_review"
    return row


def _too_large(size: int, max_bytes: int) -> str:
    return (
        f"文件过大（超过 {max_bytes // 1048576} MB 上限，已读 {size} 字节时停止），未保存 / "
        f"file larger than the {max_bytes // 1048576} MB limit; nothing stored"
    )
