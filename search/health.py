"""Is the index the database's? If not, search says "being rebuilt" and rebuilds it.

The database is the truth (DESIGN.md). An index can stop being its index without
any error: the folder lost and recreated by the next import (3 of 711 reports,
served as if complete), a copied data dir or a shared Elasticsearch index name
(another archive's reports under our ids). Before every read ``search.engine``
compares the index with the database (``drift``); on drift the read raises
``SearchUnavailable`` (the 503 "being rebuilt" page and JSON) and ``schedule_rebuild``
rebuilds the index from the database:

- ``background`` (settings.SEARCH_REBUILD, the default): a daemon thread of the
  process that noticed, at most one per data dir (a non-blocking flock on
  ``index.rebuild.lock``; other workers skip) and one start per ``RETRY_AFTER``;
- ``inline``: in the request that noticed (tests); ``off``: wait for an operator
  (``check_index --repair`` or ``rebuild_index``, which cron can run on
  ``check_index``'s exit status).

The rebuild clears the index, then writes every public report in one commit
(the engine's ``batched_writes``) holding the writer lock: until that commit the
index is empty, so search keeps answering "being rebuilt", never a partial page.
Drains of the queue wait for the lock meanwhile (search/indexing.py).
"""

from __future__ import annotations

import fcntl
import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connections

from archive import cache_versions

from .indexing import BATCH, backend, index_reports, report_index
from .locking import writer_lock
from .models import IndexQueue
from .search_indexes import archive_id

if TYPE_CHECKING:
    from .engine import IndexStatus

log = logging.getLogger(__name__)
#: seconds between two rebuild starts in one process (a failing rebuild is not a loop).
RETRY_AFTER = 60.0
_guard = threading.Lock()
_state: dict[str, float | threading.Thread | None] = {"thread": None, "started": -RETRY_AFTER}


FOREIGN = "the index belongs to another archive"


def is_foreign(status: IndexStatus, archive: str) -> bool:
    """Documents stamped by another archive, or unstamped (an index older than the stamp)."""
    return bool(status.documents) and status.archives != {archive}


def drift(status: IndexStatus, *, public: int, queued: int, archive: str) -> str | None:
    """Why the index is not this database's, or None when it is.

    Reports still in the queue are on their way (an upload drains after its
    commit; a bulk import at its end), so only reports neither indexed nor queued
    count as missing. More documents than reports (orphans) do not stop search:
    their hits are dropped when the reports are loaded; ``check_index`` lists them.
    """
    if is_foreign(status, archive):
        return FOREIGN
    missing = public - status.documents - queued
    if missing > 0:
        return f"{missing} of {public} reports are missing from the index"
    return None


def index_drift(status: IndexStatus) -> str | None:
    """``drift`` of ``status`` against this database.

    Asked before every search, so the answer is kept until the archive's version
    changes (every report write, drain and rebuild bumps it) or the index does
    (``status`` is part of the key): its two counts cost ~10 ms a search.
    """
    key = ("index_drift", status.documents, tuple(sorted(status.archives)))
    return cache_versions.cached(key, [cache_versions.ARCHIVE], lambda: _drift_now(status))


def _drift_now(status: IndexStatus) -> str | None:
    public = report_index().index_queryset().count()
    if not public and not status.documents:
        return None
    return drift(status, public=public, queued=IndexQueue.objects.count(), archive=archive_id())


def rebuild() -> int:
    """Clear the index and write every public report, committed once; returns how many."""
    engine = backend()
    ids = list(report_index().index_queryset().order_by("pk").values_list("pk", flat=True))
    with writer_lock():
        engine.clear()
        with engine.batched_writes():
            for start in range(0, len(ids), BATCH):
                index_reports(ids[start : start + BATCH])
    cache_versions.bump(index=True)  # report pages: similar reports, from the index
    log.warning("search index rebuilt from the database: %d reports", len(ids))
    return len(ids)


def schedule_rebuild(reason: str) -> None:
    """Rebuild the index as settings.SEARCH_REBUILD says (module docstring)."""
    mode = settings.SEARCH_REBUILD
    if mode == "off":
        return
    if mode == "inline":
        log.warning("search index rebuild (%s)", reason)
        rebuild()
        return
    with _guard:
        running = _state["thread"]
        if isinstance(running, threading.Thread) and running.is_alive():
            return
        if time.monotonic() - float(_state["started"] or 0) < RETRY_AFTER:
            return
        log.warning("search index rebuild scheduled (%s)", reason)
        thread = threading.Thread(target=_rebuild_in_background, name="index-rebuild", daemon=True)
        _state["thread"], _state["started"] = thread, time.monotonic()
        thread.start()


def _rebuild_in_background() -> None:
    """The thread's body: one rebuild per data dir at a time, errors logged."""
    path = Path(settings.DATA_DIR) / "index.rebuild.lock"
    try:
        with path.open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # another worker is rebuilding it
            rebuild()
    except Exception:
        log.exception("search index rebuild failed; retried on a later search")
    finally:
        connections.close_all()  # this thread's own database connections
