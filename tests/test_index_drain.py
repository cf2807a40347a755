"""A drain writes the whole queue in one index commit (issue 7), and stays exact:
a report queued twice is indexed once, one held back for review in the same drain
leaves the index, and a drain that fails commits nothing and keeps the queue."""

import io

import pytest
from django.core.management import call_command

from archive.models import Report
from search import indexing
from search.indexing import backend, drain_queue, enqueue
from search.models import IndexQueue

from .conftest import SEEDS_DIR
from .test_faults_index import rebuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch) -> dict[str, Report]:
    """The five seeds imported and queued, not yet indexed; batches of two."""
    rebuild()
    call_command("import_reports", str(SEEDS_DIR), stdout=io.StringIO(), stderr=io.StringIO())
    backend().clear()  # the import drained its queue: queue the seeds again
    enqueue(Report.objects.order_by("pk").values_list("pk", flat=True))
    monkeypatch.setattr(indexing, "BATCH", 2)
    yield {r.original_name.rsplit("/", 1)[-1][:3]: r for r in Report.objects.all()}
    rebuild()


def generation() -> int:
    return backend().index.refresh().latest_generation()


def indexed_ids() -> list[int]:
    with backend().index.refresh().searcher() as searcher:
        return sorted(int(fields["django_id"]) for fields in searcher.all_stored_fields())


def test_three_batches_are_one_commit(queued):
    before = generation()
    assert drain_queue() == 5
    assert generation() == before + 1
    assert indexed_ids() == sorted(r.pk for r in queued.values())
    assert not IndexQueue.objects.exists()


def test_a_report_queued_twice_in_one_drain_is_indexed_once(queued):
    lanzhou = queued["000"]
    enqueue([lanzhou.pk])  # after the import's rows: a later batch writes it again
    drain_queue()
    assert indexed_ids() == sorted(r.pk for r in queued.values())


def test_a_report_held_back_in_the_same_drain_leaves_the_index(queued):
    drain_queue()
    luzhou = queued["004"]
    Report.objects.filter(pk=luzhou.pk).update(needs_review=True)
    enqueue([queued["000"].pk, luzhou.pk, queued["001"].pk])
    drain_queue()
    assert luzhou.pk not in indexed_ids()
    assert len(indexed_ids()) == 4


def test_a_failed_drain_commits_nothing_and_keeps_the_queue(queued, monkeypatch):
    before, rows = generation(), IndexQueue.objects.count()
    written = []
    real = indexing.index_reports

    def fail_on_the_second_batch(report_ids):
        written.append(report_ids)
        if len(written) == 2:
            raise RuntimeError("disk full")
        real(report_ids)

    monkeypatch.setattr(indexing, "index_reports", fail_on_the_second_batch)
    with pytest.raises(RuntimeError):
        drain_queue()
    assert (generation(), IndexQueue.objects.count()) == (before, rows)
    assert indexed_ids() == []


def test_a_row_committed_behind_the_drain_stays_queued_for_its_own_drain(queued, monkeypatch):
    """PostgreSQL hands out queue ids at insert, not at commit: an upload still in
    its transaction can hold a lower id than one already drained. Here that row
    becomes visible while the drain writes the index; the drain must leave it."""
    late = queued["002"]
    IndexQueue.objects.filter(report_id=late.pk).delete()  # not yet committed
    lowest = IndexQueue.objects.order_by("pk").first().pk
    real = indexing.index_reports

    def commit_a_lower_id_meanwhile(report_ids):
        real(report_ids)
        if not IndexQueue.objects.filter(report_id=late.pk).exists():
            IndexQueue.objects.create(pk=lowest - 1, report_id=late.pk)

    monkeypatch.setattr(indexing, "index_reports", commit_a_lower_id_meanwhile)
    assert drain_queue() == 4
    assert list(IndexQueue.objects.values_list("report_id", flat=True)) == [late.pk]
    monkeypatch.setattr(indexing, "index_reports", real)
    assert drain_queue() == 1  # the upload's on-commit drain
    assert indexed_ids() == sorted(r.pk for r in queued.values())
    assert not IndexQueue.objects.exists()
