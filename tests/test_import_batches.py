"""``import_reports`` commits its reports in batches and bumps the cache versions once
per batch, after it commits (archive/cache_versions.py ``one_bump_per_batch``).

These tests commit for real (``transaction=True``): inside a test's own transaction
there is no batch, and the writes bump as they always did.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from archive import cache_versions
from archive.management.commands import import_reports
from archive.models import Report

from .conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db(transaction=True)
SEEDS = sorted(map(str, SEEDS_DIR.glob("*.txt")))


@pytest.fixture
def bumps(monkeypatch) -> list[tuple[set[int], bool, bool]]:
    """Every bump of the versions store, as (city ids, listed, index)."""
    seen: list[tuple[set[int], bool, bool]] = []
    real = cache_versions._bump_now

    def spy(city_ids, listed=False, index=False):
        seen.append((set(city_ids), listed, index))
        real(city_ids, listed, index)

    monkeypatch.setattr(cache_versions, "_bump_now", spy)
    return seen


def _import(*paths: str) -> list[dict]:
    out = io.StringIO()
    try:
        call_command("import_reports", "--json", *paths, stdout=out, stderr=io.StringIO())
    except SystemExit as exc:  # a failed file: exit status 1, the others imported
        assert exc.code == 1
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_an_import_bumps_once_per_batch_of_reports_after_it_commits(bumps, monkeypatch):
    monkeypatch.setattr(import_reports, "BATCH_REPORTS", 2)
    monkeypatch.setattr(import_reports, "BATCH_SECONDS", 3600.0)
    rows = _import(*SEEDS)
    assert [row["status"] for row in rows] == ["created"] * 5  # every row, in input order
    assert [row["file"] for row in rows] == [p.rsplit("/", 1)[-1] for p in SEEDS]
    saves = [ids for ids, _listed, index in bumps if not index]
    assert len(saves) == 3  # 2 + 2 + 1 reports, where each report bumped before
    cities = {r.city_id for r in Report.objects.all()}
    assert set().union(*saves) >= cities
    assert len(bumps) == 3 + 1  # and the index drain, once, at the end
    assert bumps[-1][2] is True


def test_the_next_request_after_a_batch_sees_its_reports(client, monkeypatch):
    monkeypatch.setattr(import_reports, "BATCH_REPORTS", 3)
    _import(SEEDS[0])
    before = client.get("/").content.decode()  # the home page, now cached per version
    rows = _import(*SEEDS[1:])
    after = client.get("/").content.decode()
    for row in rows:
        assert f'href="/reports/{row["report_id"]}/"' in after
        assert f'href="/reports/{row["report_id"]}/"' not in before


def test_a_batch_is_seen_by_the_next_request_while_the_import_goes_on(client, monkeypatch):
    """Between two batches (before the import's index drain, which bumps too)."""
    from pathlib import Path

    from archive import city_resum
    from archive.ingest.inputs import iter_file_items
    from search.engine import deferred_indexing

    monkeypatch.setattr(import_reports, "BATCH_REPORTS", 2)
    _import(SEEDS[0])
    before = client.get("/").content.decode()  # cached for this version
    files = [Path(p) for p in SEEDS[1:]]
    items = [(item, None) for f in files for item in iter_file_items(f, max_bytes=1 << 24)]
    with deferred_indexing(), city_resum.deferred():
        outcomes = import_reports._committed_in_batches(items, None)
        first = [next(outcomes), next(outcomes)]  # the first batch, committed
        during = client.get("/").content.decode()
        rest = list(outcomes)
    assert len(rest) == 2
    for outcome in first:
        link = f'href="/reports/{outcome.report.pk}/"'
        assert link not in before and link in during
    for outcome in rest:
        assert f'href="/reports/{outcome.report.pk}/"' not in during


def test_a_report_that_fails_in_a_batch_leaves_the_others(monkeypatch, tmp_path):
    monkeypatch.setattr(import_reports, "BATCH_REPORTS", 10)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    rows = _import(SEEDS[0], str(empty), SEEDS[1], SEEDS[0])
    assert [row["status"] for row in rows] == ["created", "failed", "created", "duplicate"]
    assert Report.objects.count() == 2


def test_inside_a_callers_transaction_there_is_no_batch(bumps):
    from django.db import transaction

    with transaction.atomic():
        with cache_versions.one_bump_per_batch():
            assert cache_versions._batch.get() is None
            cache_versions.bump(city_ids=[1])
        assert len(bumps) == 1  # at once, for the transaction's own later reads
    assert len(bumps) == 2  # and after the commit
