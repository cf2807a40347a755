"""The whole archive as JSON Lines plus originals, and back (issue 9).

``export_reports`` writes one record per report: the API's report JSON (metadata,
clean text, figures) plus what a restore needs — the original's name, sha256 and
path under ``--originals``, staff overrides with cities and provinces as adcodes
(database ids differ between archives), the review flag, WARC capture hints and
duplicate links by sha256. ``import_export`` reads it back: originals go through
``report_ingest`` (the one way a report is created) in the exported order, so
ids, near-duplicate flags and the pipeline's output come out the same; overrides
and flags are then restored through the services staff use (reprocess, update),
and every restored report is compared with its record.

The database stays the source of truth and the originals its raw material:
clean text and figures are re-derived, not copied, and any difference (a
cleaning rule changed since the export) is reported, never silently accepted.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from django.db.models import F, QuerySet

from archive.models import City, Province, Report
from archive.serializers import figure_json, report_json
from archive.services import report_ingest, report_reprocess
from archive.storage import original_path, sha256_hex
from archive.upload.services import report_update

FORMAT = 1
#: record keys compared after a restore (figures without ids, urls and their report's
#: title and date: those are compared once, as the report's, and exports made before
#: figures carried them restore without a spurious difference).
COMPARED = (
    "title",
    "city",
    "province",
    "published_on",
    "date_precision",
    "doc_type",
    "source",
    "source_url",
    "script",
    "clean_text",
    "sha256",
    "figures",
)
_FIGURE_IDS = ("report_id", "url", "report_title", "report_date")


def export_queryset() -> QuerySet[Report]:
    """Every report in creation order, with what a record needs, in bulk."""
    return (
        Report.objects.order_by("pk")
        .select_related("city", "province")
        .defer("decoded_text", "removed")
        .annotate(
            duplicate_sha=F("duplicate_of__original_sha256"),
            near_duplicate_sha=F("near_duplicate_of__original_sha256"),
        )
        .prefetch_related("figures")
    )


@dataclass
class Codes:
    """Database ids <-> adcodes of the gazetteer, loaded once per command."""

    city_by_pk: dict[int, str]
    province_by_pk: dict[int, str]

    @classmethod
    def load(cls) -> Codes:
        return cls(
            dict(City.objects.values_list("pk", "adcode")),
            dict(Province.objects.values_list("pk", "adcode")),
        )

    def overrides_out(self, overrides: dict) -> dict:
        """Overrides with city/province ids replaced by adcodes (portable)."""
        out = dict(overrides)
        for key, table in (("city", self.city_by_pk), ("province", self.province_by_pk)):
            if out.get(key) is not None:
                out[key] = table.get(out[key])
        return out

    def overrides_in(self, overrides: dict) -> dict:
        """The inverse of ``overrides_out``; an unknown adcode raises ValueError."""
        out = dict(overrides)
        for key, table in (("city", self.city_by_pk), ("province", self.province_by_pk)):
            if out.get(key) is not None:
                by_code = {code: pk for pk, code in table.items()}
                if out[key] not in by_code:
                    raise ValueError(f"unknown {key} adcode {out[key]!r} in overrides")
                out[key] = by_code[out[key]]
        return out


def original_relpath(report: Report) -> str:
    """Where ``--originals`` puts a report's file: sorted paths keep creation order,
    the original's own name keeps its extension (the extractor depends on it)."""
    name = report.original_name.replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "")
    if not name.strip(". "):
        name = "original"
    elif name.startswith("."):
        name = "_" + name  # import_reports skips hidden files
    return f"{report.pk:09d}-{report.original_sha256[:12]}/{name}"


def export_record(report: Report, *, codes: Codes, originals: bool) -> dict:
    """One JSON Lines record: the API's report JSON plus what a restore needs."""
    record = report_json(report)
    record["figures"] = [figure_json(f) for f in report.figures.all()]
    evidence = report.evidence or {}
    record.update(
        format=FORMAT,
        city_adcode=report.city.adcode if report.city else None,
        province_adcode=report.province.adcode if report.province else None,
        needs_review=report.needs_review,
        overrides=codes.overrides_out(report.overrides or {}),
        hints=evidence.get("hints") or {},
        links={
            "duplicate_of": getattr(report, "duplicate_sha", None),
            "near_duplicate_of": getattr(report, "near_duplicate_sha", None),
            "near_duplicate_score": report.near_duplicate_score,
        },
        original={
            "name": report.original_name,
            "sha256": report.original_sha256,
            "size": report.original_size,
            "encoding": report.encoding,
            "path": original_relpath(report) if originals else None,
        },
        created_at=report.created_at.isoformat(),
        updated_at=report.updated_at.isoformat(),
    )
    return record


def copy_original(report: Report, dest: Path) -> Path:
    """Copy the stored original to ``dest/<relpath>`` (skipped when already there)."""
    target = dest / original_relpath(report)
    if target.exists() and target.stat().st_size == report.original_size:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(original_path(report.original_sha256), target)
    return target


# --- restore ---------------------------------------------------------------------------

Status = Literal["created", "restored", "unchanged", "failed"]


@dataclass
class Restored:
    status: Status
    report: Report | None = None
    error: str = ""
    differences: list[str] = field(default_factory=list)


class RestoreError(ValueError):
    pass


def record_restore(record: dict, *, codes: Codes, originals: Path | None) -> Restored:
    """Bring one exported report into this archive: ingest its original if missing,
    then restore its name, capture hints and staff overrides (flags come later,
    once every report is in: see ``links_restore``)."""
    try:
        sha, original = record["sha256"], record["original"]
        overrides = codes.overrides_in(record.get("overrides") or {})
    except (KeyError, TypeError, ValueError) as exc:
        return Restored("failed", error=f"malformed record: {exc}")
    report = Report.objects.filter(original_sha256=sha).first()
    status: Status = "unchanged"
    if report is None:
        try:
            report = _ingest(record, originals)
        except RestoreError as exc:
            return Restored("failed", error=str(exc))
        status = "created"
    hints = record.get("hints") or {}
    if (
        report.original_name != original["name"]
        or (report.evidence or {}).get("hints", {}) != hints
        or report.overrides != overrides
    ):
        report.original_name = original["name"]
        report.overrides = overrides
        if hints:
            report.evidence = {**(report.evidence or {}), "hints": hints}
        report = report_reprocess(report=report)
        status = "restored" if status == "unchanged" else status
    return Restored(status, report)


def _ingest(record: dict, originals: Path | None) -> Report:
    relpath = record["original"].get("path")
    if originals is None or not relpath:
        raise RestoreError("original not in this archive; pass --originals DIR")
    path = (originals / relpath).resolve()
    if originals.resolve() not in path.parents:
        raise RestoreError(f"original path leaves {originals}: {relpath!r}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RestoreError(f"cannot read {path}: {exc.strerror}") from None
    if sha256_hex(data) != record["sha256"]:
        raise RestoreError(f"{path} does not match sha256 {record['sha256']}")
    outcome = report_ingest(
        data=data, filename=record["original"]["name"], hints=record.get("hints") or None
    )
    if outcome.report is None:
        other = outcome.duplicate_of.pk if outcome.duplicate_of else None
        raise RestoreError(f"{outcome.status}: {outcome.error or f'duplicate of #{other}'}")
    return outcome.report


def links_restore(flags: dict[str, dict]) -> Iterator[tuple[Report, list[str]]]:
    """Restore review flags and duplicate links, by sha256, through report_update.

    ``flags``: sha256 -> {"needs_review", "duplicate_of", "near_duplicate_of"}
    (the linked reports' sha256). Yields each report changed with the field names.
    """
    by_sha = dict(
        Report.objects.filter(original_sha256__in=flags).values_list("original_sha256", "pk")
    )
    for sha, wanted in flags.items():
        report = Report.objects.filter(pk=by_sha.get(sha)).first()
        if report is None:
            continue
        changes: dict[str, object] = {}
        if report.needs_review != wanted["needs_review"]:
            changes["needs_review"] = wanted["needs_review"]
        for key in ("duplicate_of", "near_duplicate_of"):
            target = wanted[key] and Report.objects.filter(original_sha256=wanted[key]).first()
            if getattr(report, f"{key}_id") != (target.pk if target else None):
                changes[key] = target or None
        if changes:
            yield report_update(report=report, changes=changes, user=None), sorted(changes)


def record_differences(report: Report, record: dict, *, codes: Codes) -> list[str]:
    """Keys of ``COMPARED`` whose restored value differs from the exported one."""
    fresh = Report.objects.select_related("city", "province").prefetch_related("figures")
    now = export_record(fresh.get(pk=report.pk), codes=codes, originals=False)
    return [key for key in COMPARED if _comparable(key, now) != _comparable(key, record)]


def _comparable(key: str, record: dict) -> object:
    if key != "figures":
        return record.get(key)
    return [{k: v for k, v in f.items() if k not in _FIGURE_IDS} for f in record.get(key, [])]


def record_flags(record: dict) -> dict:
    """What ``links_restore`` needs from a record: review flag and linked sha256s."""
    links = record.get("links") or {}
    return {
        "needs_review": bool(record.get("needs_review")),
        "duplicate_of": links.get("duplicate_of"),
        "near_duplicate_of": links.get("near_duplicate_of"),
    }


def flags_pending(report: Report, flags: dict) -> bool:
    """Whether ``links_restore`` has anything to check for this report (most have
    no flag on either side; leaving them out keeps a million-report restore small)."""
    here = (report.needs_review, report.duplicate_of_id, report.near_duplicate_of_id)
    return any(flags.values()) or any(here)
