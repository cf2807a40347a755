"""A request on a new thread, as runserver serves every request (issue 18), pays
nothing its process has already paid: no search schema built again, no cache
connection opened again, and the same answers as on a long-lived thread.

The two per-thread costs this guards against (docs/benchmarks.md, "Threading
models"): haystack's backend setup (search/whoosh_setup.py) and diskcache's
connections per shard (config/cache_connections.py).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client

from search.backend import ArchiveWhooshBackend

from .test_shared_caches import tokenless

ADDRESSES = [
    ("/api/search", {"q": "人才"}),
    ("/api/search", {"q": "住房補貼", "sort": "newest"}),
    ("/search/", {"q": "人才公寓"}),
]
FRESH_THREADS = 8


def ask_all() -> list[tuple[int, bytes]]:
    """Every address, from a new client on the calling thread (took_ms and the
    reader's own CSRF token aside)."""
    client, out = Client(), []
    for path, params in ADDRESSES:
        response = client.get(path, params)
        if path.startswith("/api/"):
            body = {k: v for k, v in response.json().items() if k != "took_ms"}
        else:
            body = tokenless(response.content)
        out.append((response.status_code, body))
    return out


def on_fresh_threads(work, count: int = FRESH_THREADS) -> list:
    """``work()`` on ``count`` threads one after another, each started for it and
    ended after it, as runserver does for each request."""
    results: list = []
    for _ in range(count):
        thread = threading.Thread(target=lambda: results.append(work()))
        thread.start()
        thread.join()
    return results


@pytest.fixture
def counted(monkeypatch, settings) -> dict[str, list]:
    """The search schemas built and the SQLite connections opened to the cache."""
    seen: dict[str, list] = {"schemas": [], "cache_connections": []}
    building, connecting = ArchiveWhooshBackend.build_schema, sqlite3.connect
    cache_dir = str(Path(settings.CACHES["default"]["LOCATION"]))

    def build_schema(backend, fields):
        seen["schemas"].append(threading.get_ident())
        return building(backend, fields)

    def connect(database, *args, **kwargs):
        if str(database).startswith(cache_dir):
            seen["cache_connections"].append(threading.get_ident())
        return connecting(database, *args, **kwargs)

    monkeypatch.setattr(ArchiveWhooshBackend, "build_schema", build_schema)
    monkeypatch.setattr(sqlite3, "connect", connect)
    return seen


@pytest.mark.django_db(transaction=True)
def test_fresh_threads_answer_as_the_first_thread_and_reopen_nothing(
    indexed_seeds, counted, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "off"}
    first = ask_all()
    assert [status for status, _ in first] == [200] * len(ADDRESSES)
    assert first[0][1]["count"] > 0
    counted["schemas"].clear()
    counted["cache_connections"].clear()
    answers = on_fresh_threads(ask_all)
    assert answers == [first] * FRESH_THREADS
    assert counted["schemas"] == []
    # The first fresh thread may open a connection per shard (this thread keeps its
    # own); the next ones take those back when the thread before them has ended.
    shards = settings.CACHES["default"]["SHARDS"]
    assert len(counted["cache_connections"]) <= shards
    assert len(set(counted["cache_connections"])) <= 1


@pytest.mark.django_db
def test_threads_at_once_never_share_a_cache_connection():
    """diskcache's increments are transactions of several statements on a thread's
    connection: two threads on one connection would fail them or lose counts."""
    cache = caches["default"]
    cache.set("thread-per-request-count", 0)

    def add(times: int) -> None:
        for _ in range(times):
            caches["default"].incr("thread-per-request-count")

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(add, [40] * 12))
    on_fresh_threads(lambda: add(5), count=10)
    with ThreadPoolExecutor(max_workers=6) as pool:  # threads ending while others run
        list(pool.map(lambda _: on_fresh_threads(lambda: add(3), count=4), range(6)))
    assert cache.get("thread-per-request-count") == 12 * 40 + 10 * 5 + 6 * 4 * 3


@pytest.mark.django_db
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork, as gunicorn's workers")
def test_a_forked_child_uses_none_of_its_parents_cache_connections(counted):
    """SQLite connections must not cross a fork (gunicorn forks its workers after
    loading the app): the child opens its own, on its main thread and on new ones,
    even when the parent holds idle ones."""
    cache = caches["default"]
    cache.set("before-the-fork", "parent")
    on_fresh_threads(lambda: cache.get("before-the-fork"), count=2)  # left idle
    child = os.fork()
    if child == 0:  # pragma: no cover (the child's exit code is the assertion)
        signal.alarm(30)  # a child stuck on a lock copied mid-use dies, never hangs the suite
        opened = counted["cache_connections"]
        before = len(opened)
        ok = cache.get("before-the-fork") == "parent" and len(opened) == before + 1
        ok = ok and on_fresh_threads(lambda: cache.get("before-the-fork"), 1) == ["parent"]
        ok = ok and len(opened) == before + 2
        cache.set("from-the-child", "child")
        os._exit(0 if ok else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert cache.get("from-the-child") == "child"
