"""Bringing the index up to date from the queue, one writer at a time.

Whoosh allows a single writer per index. Web workers and commands therefore
never write from inside a request's transaction: a change enqueues a row (same
transaction as the change) and, after commit, whoever holds the inter-process
lock drains the whole queue. A failure leaves the rows queued for the next
drain or ``check_index --repair``: a save never fails because the index does.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from haystack import connections

from archive import cache_versions
from archive.models import Report

from .locking import writer_lock
from .models import IndexQueue
from .search_indexes import ReportIndex, document_id

if TYPE_CHECKING:  # search.engine builds on this module
    from .engine import Engine

log = logging.getLogger(__name__)
BATCH = 200
_deferred = threading.local()


def backend() -> Engine:
    """The configured engine backend (``search.engine.current`` for other apps)."""
    return connections["default"].get_backend()


def report_index() -> ReportIndex:
    return connections["default"].get_unified_index().get_index(Report)


def enqueue(report_ids: Iterable[int]) -> None:
    IndexQueue.objects.bulk_create([IndexQueue(report_id=pk) for pk in report_ids])


def index_reports(report_ids: list[int]) -> None:
    """Write the current state of these reports to the index.

    Reports awaiting staff review are not public, so they leave the index until
    reviewed; deleted reports leave it too.
    """
    reports = list(
        report_index().index_queryset().filter(pk__in=report_ids).select_related("city", "province")
    )
    public = {r.pk for r in reports}
    if reports:
        backend().update(report_index(), reports)
    for pk in set(report_ids) - public:
        backend().remove(document_id(pk))


def drain_queue() -> int:
    """Index every queued report in one index commit; returns how many were handled.

    Reports are read in batches (memory stays flat), written to one writer and
    committed once (the engine's ``batched_writes``); the queue rows go only after that commit, so
    a drain killed part-way leaves them for the next one.

    Only the rows this drain read are deleted, by primary key. It used to delete
    ``pk <= last read``, which assumed queue ids become visible in id order. They
    do on SQLite (one writer at a time), not on PostgreSQL: a sequence hands out
    ids at insert, so an upload still in its transaction can hold id 10 while
    another upload's id 11 commits and is drained. If id 10 committed while that
    drain was writing the index, the range delete removed it unindexed, and the
    drain run by its own on-commit hook then found an empty queue: the report
    was in the database and never in the index (2 of 40 concurrent uploads).
    A row committed behind the drain's cursor now stays queued for that hook.
    """
    handled = 0
    claimed: list[list[int]] = []
    with writer_lock():
        with backend().batched_writes():
            while True:
                last = claimed[-1][-1] if claimed else 0
                rows = list(
                    IndexQueue.objects.filter(pk__gt=last)
                    .order_by("pk")
                    .values_list("pk", "report_id")[:BATCH]
                )
                if not rows:
                    break
                report_ids = sorted({report_id for _, report_id in rows})
                index_reports(report_ids)
                claimed.append([pk for pk, _ in rows])
                handled += len(report_ids)
        for pks in claimed:
            IndexQueue.objects.filter(pk__in=pks).delete()
    if handled:
        cache_versions.bump(index=True)  # report pages: similar reports, from the index
    return handled


@contextmanager
def deferred_indexing() -> Iterator[None]:
    """Queue index updates during a bulk command and drain once at the end.

    Draining after every report's commit would write one tiny Whoosh segment
    per report; the queue makes deferring safe (a crash leaves rows queued).
    """
    _deferred.depth = getattr(_deferred, "depth", 0) + 1
    try:
        yield
    finally:
        _deferred.depth -= 1
    if _deferred.depth == 0:
        drain_queue_quietly()


def drain_queue_quietly() -> None:
    """The on-commit hook: index now, or log and leave the queue for later."""
    if getattr(_deferred, "depth", 0):
        return
    try:
        drain_queue()
    except Exception:
        log.exception("index update failed; reports stay queued for check_index --repair")
