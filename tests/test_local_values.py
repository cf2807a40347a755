"""Values this process keeps as objects beside the shared cache (issue 18 stop 22).

``cache_versions.cached(..., local=True)`` must answer exactly what the shared
cache (and the computation behind it) answers: the same value while nothing was
written, the new one after a write, and a fresh computation once the shared
cache lost the value (cleared, culled, expired), never the copy this process kept.
"""

from __future__ import annotations

import threading

import pytest
from django.core.cache import caches

from archive import cache_versions
from archive.cache_versions import ARCHIVE, LocalValues, city_scope
from archive.selectors import city_keywords
from archive.services import report_ingest
from compare.selectors import cities_with_reports_for_picker, city_compare

from .test_city_sums import city, slow_keywords
from .visibility_archive import (  # noqa: F401  (the fixtures)
    archive_fixture,
    built_fixture,
)


class Counted:
    """A computation that says how often it ran, returning a new object each time."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> list[int]:
        self.calls += 1
        return [self.calls]


def test_a_kept_value_is_the_same_object_until_the_shared_cache_loses_it(db):
    compute = Counted()
    first = cache_versions.cached(("local-test",), [ARCHIVE], compute, local=True)
    again = cache_versions.cached(("local-test",), [ARCHIVE], compute, local=True)
    assert again is first and compute.calls == 1  # not even unpickled again
    caches["default"].clear()
    cleared = cache_versions.cached(("local-test",), [ARCHIVE], compute, local=True)
    assert cleared == [2] and compute.calls == 2


def test_another_process_reads_the_shared_value_and_keeps_its_own_copy(db):
    compute = Counted()
    cache_versions.cached(("local-shared",), [ARCHIVE], compute, local=True)
    elsewhere = LocalValues(4)  # a second worker's copy: it has computed nothing
    key = cache_versions.key_for(("local-shared",), [ARCHIVE])
    found = elsewhere.cached(key, compute)
    assert found == [1] and compute.calls == 1
    assert elsewhere.cached(key, compute) is found


def test_a_value_stored_again_by_another_process_replaces_the_kept_one(db):
    compute = Counted()
    assert cache_versions.cached(("local-again",), [ARCHIVE], compute, local=True) == [1]
    caches["default"].clear()
    elsewhere = LocalValues(4)  # another worker computes it again after the clear
    assert elsewhere.cached(cache_versions.key_for(("local-again",), [ARCHIVE]), compute) == [2]
    assert cache_versions.cached(("local-again",), [ARCHIVE], compute, local=True) == [2]
    assert compute.calls == 2


def test_a_bump_is_seen_at_once(db):
    compute = Counted()
    scope = city_scope(987654)
    assert cache_versions.cached(("local-bump",), [scope], compute, local=True) == [1]
    cache_versions.bump(city_ids=[987654])
    assert cache_versions.cached(("local-bump",), [scope], compute, local=True) == [2]
    assert cache_versions.cached(("local-bump",), [ARCHIVE], compute, local=True) == [3]


def test_the_process_keeps_at_most_its_size():
    kept = LocalValues(3)
    caches["default"].clear()
    for n in range(10):
        kept.cached(f"local-size-{n}", lambda n=n: n)
    assert len(kept) == 3
    assert kept.cached("local-size-9", lambda: "computed again") == 9


def test_threads_share_one_kept_value(db):
    compute = Counted()
    first = cache_versions.cached(("local-threads",), [ARCHIVE], compute, local=True)
    seen: list[object] = []

    def read() -> None:
        seen.append(cache_versions.cached(("local-threads",), [ARCHIVE], compute, local=True))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(value is first for value in seen) and compute.calls == 1


UPLOAD = (
    "泸州市萤火虫人才计划公告\n泸州市委人才办\n2026年3月1日\n"
    "萤火虫人才计划对新引进的萤火虫博士给予每人30万元安家补贴，萤火虫人才公寓免租三年。\n"
    "萤火虫人才计划另给予硕士每人5万元生活补贴。\n"
)


@pytest.mark.parametrize("kept_first", [True, False])
def test_compare_and_keywords_see_an_upload_at_once(archive, kept_first):
    """The values the compare page keeps per process, before and after an upload to
    one of its cities, equal the slow paths (every figure read; keywords summed)."""
    luzhou, lanzhou = city("泸州市"), city("兰州市")

    def shown() -> dict:
        capped = city_compare([luzhou, lanzhou], per_cell=2)
        return {
            "cells": {
                (row.key, pk): ([f.pk for f in cell], row.totals[pk])
                for row in capped.rows
                for pk, cell in row.cells.items()
            },
            "keywords": city_keywords(city=luzhou),
            "picker": [c.pk for c in cities_with_reports_for_picker()],
        }

    def slow() -> dict:
        full = city_compare([luzhou, lanzhou])
        return {
            "cells": {
                (row.key, pk): ([f.pk for f in cell[:2]], len(cell))
                for row in full.rows
                for pk, cell in row.cells.items()
            },
            "keywords": slow_keywords(luzhou, 12),
        }

    if kept_first:
        before = shown()
        assert shown() == before  # the kept copies
        assert {k: before[k] for k in ("cells", "keywords")} == slow()
    report = report_ingest(data=UPLOAD.encode(), filename="萤火虫.txt").report
    assert report.city == luzhou and not report.needs_review
    after = shown()
    assert {k: after[k] for k in ("cells", "keywords")} == slow()
    assert "萤火虫" in [k.term for k in after["keywords"]]
    assert any(report.pk in {f for f in ids} for ids, _n in _figure_reports(after["cells"]))


def _figure_reports(cells: dict) -> list[tuple[set[int], int]]:
    """The report ids behind each cell's figure ids."""
    from archive.models import Figure

    return [
        (set(Figure.objects.filter(pk__in=ids).values_list("report_id", flat=True)), n)
        for ids, n in cells.values()
    ]


def test_frequencies_are_kept_per_archive_version_and_follow_a_write(archive):
    """``city_sums.frequencies`` answers what the table holds: read once per
    version, read again after any write (an upload adds documents to a term)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from archive import city_sums
    from archive.models import TermFrequency

    def table(terms: list[str]) -> dict[str, int]:
        rows = TermFrequency.objects.filter(term__in=terms, documents__gt=0)
        return dict(rows.values_list("term", "documents"))

    terms = ["人才", "萤火虫", "安家补贴", "没有这个词语"]
    first = city_sums.frequencies(terms)
    assert first == table(terms) and "萤火虫" not in first and first["人才"] > 0
    with CaptureQueriesContext(connection) as read:
        assert city_sums.frequencies(terms[::-1]) == first
    assert not [q for q in read.captured_queries if "termfrequency" in q["sql"]]
    report_ingest(data=UPLOAD.encode(), filename="萤火虫.txt")
    after = city_sums.frequencies(terms)
    assert after == table(terms)
    assert after["萤火虫"] == 1 and after["人才"] == first["人才"] + 1
