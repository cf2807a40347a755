"""The in-memory sketch index behind near-duplicate flags stays true to the database."""

import random
from collections import Counter

import pytest

from archive.ingest import neardup
from archive.models import Report
from archive.near_duplicates import SketchIndex, most_similar
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


def _counted(index: SketchIndex, candidate: tuple[int, ...], needed: float) -> set[int]:
    """Every report counted on every hash of ``candidate``: the way before stop 22."""
    shared = Counter(pk for h in candidate for pk in index._postings.get(h, ()))
    return {pk for pk, n in shared.items() if n >= needed}


@pytest.mark.parametrize("seed", range(30))
def test_the_reports_sharing_enough_hashes_are_those_every_count_finds(seed):
    """Common hashes (on most reports' lists), near copies, short sketches, and a
    candidate holding a hash twice (a damaged sketch): the pigeonhole filter finds
    exactly the reports a count over every list finds."""
    rng = random.Random(seed)
    common = [rng.getrandbits(64) for _ in range(40)]
    base = [rng.getrandbits(64) for _ in range(128)]
    index = SketchIndex()
    for pk in range(1, 400):
        size = rng.choice((128, 128, 128, 20, 5))
        kind = rng.random()
        if kind < 0.2:  # a near copy of ``base``
            kept = rng.sample(base, rng.randint(60, 128))
            values = kept + [rng.getrandbits(64) for _ in range(128 - len(kept))]
        else:
            values = rng.sample(common, rng.randint(0, 40))
            values += [rng.getrandbits(64) for _ in range(size)]
        index._put(pk, tuple(sorted(set(values))[:size]))
    candidates = [tuple(base), tuple(base[:10]), tuple(rng.sample(common, 30) + base[:98])]
    candidates.append((*base[:60], *base[:60], *common[:8]))  # hashes held twice
    for candidate in candidates:
        for fraction in (neardup.THRESHOLD, 0.3, 0.9):
            needed = fraction * len(candidate)
            assert set(index._sharing(candidate, needed)) == _counted(index, candidate, needed)
    assert _counted(index, tuple(base), neardup.THRESHOLD * 128)  # some qualify
