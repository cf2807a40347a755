"""Writes staff make after an upload: edits, review and publication, duplicate
marks, deletion. Each one is audited in the transaction of the change.

Edits of detected metadata become ``Report.overrides`` so ``reprocess`` keeps
them (issue 2); the admin and the upload result page both come through here.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from archive.ingest.types import PartialDate
from archive.models import AuditEntry, City, DatePrecision, Report
from archive.services import OVERRIDABLE, audit_record, audit_values

#: fields staff may edit besides the overridable metadata.
EDITABLE_FLAGS = ("duplicate_of", "near_duplicate_of", "needs_review")


def report_update(*, report: Report, changes: dict[str, object], user) -> Report:
    """Apply staff edits to a report fresh from the database; audit old -> new.

    A new city brings its province unless the province was edited too, so a
    report never shows 兰州市 in 山东省.
    """
    unknown = set(changes) - set(OVERRIDABLE) - set(EDITABLE_FLAGS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changes = dict(changes)
    city = changes.get("city")
    if isinstance(city, City) and "province" not in changes:
        changes["province"] = city.province
    if "published_on" in changes and "date_precision" not in changes:
        # A typed date is a full date; a cleared one has no precision.
        changes["date_precision"] = DatePrecision.DAY if changes["published_on"] else ""
    before, near_before = audit_values(report), report.near_duplicate_of_id
    for field, value in changes.items():
        setattr(report, field, value)
        if field in OVERRIDABLE:
            report.overrides[field] = _override_value(value)
    if report.near_duplicate_of_id is None:
        report.near_duplicate_score = None
    after = audit_values(report)
    diff = {f: [before[f], after[f]] for f in after if before[f] != after[f]}
    if report.near_duplicate_of_id != near_before:
        diff["near_duplicate_of"] = [near_before, report.near_duplicate_of_id]
    with transaction.atomic():
        report.save()
        audit_record(report=report, action=AuditEntry.Action.UPDATED, user=user, changes=diff)
    return report


def report_publish(
    *, report: Report, user, city: City | None = None, published: PartialDate | None = None
) -> Report:
    """Staff checked a report held for review: fill what detection missed, make it public."""
    before = audit_values(report)
    if city is not None:
        report.city, report.province = city, city.province
        report.overrides.update(city=city.pk, province=city.province_id)
    if published is not None:
        report.published_on = published.value
        report.date_precision = DatePrecision(published.precision)
        report.overrides.update(
            published_on=published.value.isoformat(), date_precision=published.precision
        )
    report.needs_review = False
    after = audit_values(report)
    diff = {f: [before[f], after[f]] for f in after if before[f] != after[f]}
    with transaction.atomic():
        report.save()
        audit_record(report=report, action=AuditEntry.Action.REVIEWED, user=user, changes=diff)
    return report


def report_mark_duplicate(*, report: Report, of: Report, user) -> Report:
    """Confirm that ``report`` repeats ``of`` (usually its near-duplicate candidate)."""
    if of.pk == report.pk:
        raise ValueError("a report cannot duplicate itself")
    return report_update(report=report, changes={"duplicate_of": of}, user=user)


def report_unmark_duplicate(*, report: Report, user) -> Report:
    """Dismiss a duplicate mark and the near-duplicate suggestion with it."""
    return report_update(
        report=report,
        changes={"duplicate_of": None, "near_duplicate_of": None},
        user=user,
    )


def report_delete(*, report: Report, user) -> None:
    """Delete a report; the audit entry keeps its label after the row is gone."""
    with transaction.atomic():
        audit_record(
            report=report,
            action=AuditEntry.Action.DELETED,
            user=user,
            changes={"file": report.original_name, "sha256": report.original_sha256},
        )
        report.delete()


def _override_value(value: object) -> object:
    """Overrides hold ids and ISO dates (see services._apply_overrides)."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    return value
