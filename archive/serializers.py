"""JSON shapes of ../shared/API.md, built in one place for every endpoint."""

from __future__ import annotations

from django.urls import reverse

from .models import Figure, Report

#: evidence keys kept out of the API: internal signatures, not evidence a reader checks.
PRIVATE_EVIDENCE = frozenset({"minhash"})


def figure_json(figure: Figure) -> dict:
    """API.md's figure shape (plus ``dimension``)."""
    value = int(figure.value) if float(figure.value).is_integer() else figure.value
    return {
        "value": value,
        "unit": figure.unit,
        "text": figure.text,
        "qualifier": figure.qualifier,
        "year": figure.year,
        "dimension": figure.dimension,
        "kind": figure.kind,
        "beneficiary": figure.beneficiary,
        "evidence": {"kind": figure.kind_cue, "beneficiary": figure.beneficiary_cue},
        "report_id": figure.report_id,
        "sentence": figure.sentence,
        "url": figure.get_absolute_url(),
    }


def report_json(report: Report) -> dict:
    return {
        "id": report.pk,
        "title": report.title,
        "city": report.city.name if report.city else None,
        "province": report.province.name if report.province else None,
        "published_on": report.published_on_display,
        "date_precision": report.date_precision or None,
        "doc_type": report.doc_type,
        "source": report.source_name,
        "source_url": report.source_url,
        "doc_number": report.doc_number,
        "issuer": report.issuer,
        "script": report.script,
        "clean_text": report.clean_text,
        "original_url": reverse("archive:report_original", args=[report.pk]),
        "sha256": report.original_sha256,
        "duplicate_of": report.duplicate_of_id,
        "near_duplicate_of": report.near_duplicate_of_id,
        "figures": [figure_json(f) for f in report.figures.select_related("report")],
        "evidence": {k: v for k, v in report.evidence.items() if k not in PRIVATE_EVIDENCE},
    }
