"""The in-memory sketch index behind near-duplicate flags stays true to the database."""

import pytest

from archive.ingest import neardup
from archive.models import Report
from archive.near_duplicates import most_similar
from archive.services import report_ingest

from .conftest import seed_path

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memoized_pipeline")]


def variant(chrome: str) -> bytes:
    """Seed 002's article under another site's chrome, its last paragraphs cut."""
    lines = seed_path("002").read_text(encoding="utf-8").split("\n")
    body = "\n".join(lines[3:-20])
    return f"{chrome}新闻网\n\n{body}\n版权所有 © {chrome}新闻网\n".encode()


def test_a_recapture_is_flagged_and_a_deleted_original_is_never_linked():
    original = report_ingest(data=seed_path("002").read_bytes(), filename="002.txt").report
    first = report_ingest(data=variant("北疆"), filename="a.txt").report
    assert first.near_duplicate_of_id == original.pk
    assert first.near_duplicate_score >= 0.7
    Report.objects.filter(pk__in=[original.pk, first.pk]).delete()
    again = report_ingest(data=variant("草原"), filename="b.txt").report
    assert again.near_duplicate_of_id is None


def test_unrelated_reports_are_not_flagged():
    report_ingest(data=seed_path("000").read_bytes(), filename="000.txt")
    other = report_ingest(data=seed_path("004").read_bytes(), filename="004.txt").report
    assert other.near_duplicate_of_id is None


def test_a_stored_report_saved_with_another_sketch_is_matched_by_its_new_one():
    """The index reloads rows saved since it last looked, not only new rows."""
    other = report_ingest(data=seed_path("000").read_bytes(), filename="000.txt").report
    candidate = neardup.sketch(seed_path("002").read_text(encoding="utf-8"))
    assert most_similar(candidate) is None  # the index now holds 000's sketch
    other.evidence = {**other.evidence, "minhash": neardup.to_hex(candidate)}
    other.save()
    assert most_similar(candidate) == neardup.NearMatch(other.pk, 1.0)
