"""The searcher a first search would open, opened before any reader asks (issue 18).

At 10,000 reports a web worker's first search paid for opening the index and for
reading the order and facet columns and the field lengths (docs/benchmarks.md);
with four gunicorn workers four of the bench's 45 first asks did, and after every
upload the first reader of each worker did again. Here:

- ``warm_before_fork`` (config/wsgi.py, gunicorn's master with ``preload_app``)
  reads the per-segment values, plain lists every forked worker inherits, and
  closes its searcher: no open file or memory map is shared by workers (the
  ``pre_fork`` hook closes the database connection the drift check used; its
  answer stays in the per-process cache the workers inherit);
- ``warm_worker`` (gunicorn's ``post_worker_init``: the worker accepts no request
  before it returns) opens the worker's own searcher, then starts a thread that
  warms a new one whenever the index changed (``SEARCH_REWARM_SECONDS``), so the
  first reader after an upload finds it open. The answers are the same either
  way: warming runs the code a search runs (tests/test_search_warming.py).
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings

log = logging.getLogger(__name__)


def warm_search(*, keep_searcher: bool = True) -> bool:
    """Warm the configured engine's searcher; False when there was nothing to warm.

    Never raises: a missing or damaged index is the first search's to report.
    """
    from search import engine, health  # models: config/wsgi.py imports this before setup

    try:
        # The drift check's two counts, kept per archive version; only computed
        # here: a rebuild is scheduled by a request (a thread started in the
        # master before the fork would be copied into no worker and hold locks).
        health.index_drift(engine.current().index_status())
        return engine.current().warm(keep_searcher=keep_searcher)
    except Exception as exc:  # noqa: BLE001 - warming is an optimisation, never a failure
        log.warning("search warm-up skipped: %r", exc)
        return False


def warm_before_fork() -> bool:
    """Per-segment values read in the master; its searcher closed before the fork."""
    return warm_search(keep_searcher=False)


def warm_worker() -> threading.Thread | None:
    """This worker's searcher, and the thread keeping it current (None if disabled)."""
    warm_search()
    return start_rewarming(settings.SEARCH_REWARM_SECONDS)


def start_rewarming(interval: float) -> threading.Thread | None:
    """A daemon thread calling ``warm_search`` every ``interval`` seconds.

    When the index is unchanged a call costs a directory listing and a pool
    lookup (search/backend.py ``_searcher``); when it changed, the new searcher is
    opened and warmed here instead of in the next reader's request.
    """
    if interval <= 0:
        return None
    stop = threading.Event()
    thread = threading.Thread(
        target=_rewarm_until, args=(stop, interval), name="search-rewarm", daemon=True
    )
    thread.stop = stop  # type: ignore[attr-defined]
    thread.start()
    return thread


def _rewarm_until(stop: threading.Event, interval: float) -> None:
    from django.db import connections

    while not stop.wait(interval):
        warm_search()
        connections.close_all()  # this thread's own, opened by the drift check
