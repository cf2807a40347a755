"""Caches every gunicorn worker shares (issue 18): a search answer, a page or a
search result computed by one worker is served by any other, and a write by
another process (an import) is seen by the next request of every worker.

Through a real gunicorn on a real data dir: its workers are killed after the
first answer, so the next request meets a process that has never computed
anything; with per-process caches it would be a miss.
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from .conftest import SEEDS_DIR
from .test_faults_support import fresh_data_dir, run, write_reports
from .test_security_serving import fetch, serving


def workers_of(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def answered(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fetch(base + "/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("gunicorn did not answer")


@pytest.fixture
def served(tmp_path):
    data_dir = fresh_data_dir(tmp_path / "data")
    code, _out, err = run(data_dir, "import_reports", str(SEEDS_DIR))
    assert code == 0, err
    code, _out, err = run(data_dir, "collectstatic", "--noinput")
    assert code == 0, err
    with serving(data_dir, GUNICORN_ACCESSLOG="/dev/null", RATE_LIMIT_SEARCH="off") as (
        base,
        server,
    ):
        yield base, server.pid, data_dir


def fresh_workers(master: int, base: str) -> None:
    """Kill every worker; gunicorn's master forks new ones, which have computed nothing."""
    old = workers_of(master)
    for pid in old:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        now = workers_of(master)
        if len(now) == len(old) and not now & old:
            answered(base)
            return
        time.sleep(0.2)
    raise AssertionError("gunicorn did not replace its workers")


def tokenless(page: bytes) -> bytes:
    """A page without its reader's own CSRF token (each reader gets theirs)."""
    return re.sub(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+', rb"\1", page)


def get(url: str) -> tuple[str, dict]:
    status, headers, body = fetch(url)
    assert status == 200, (url, status)
    return headers.get("X-Page-Cache", ""), json.loads(body) if "/api/" in url else {}


def test_an_answer_of_one_worker_is_served_by_a_new_one(served):
    base, master, _data_dir = served
    urls = [
        f"{base}/api/search?{urlencode({'q': '人才'})}",
        f"{base}/search/?{urlencode({'q': '人才公寓'})}",
        f"{base}/compare/?{urlencode({'cities': '兰州市,泸州市'})}",
    ]
    first = [fetch(url) for url in urls]
    assert [headers.get("X-Page-Cache") for _, headers, _ in first] == ["miss"] * 3
    fresh_workers(master, base)
    again = [fetch(url) for url in urls]
    assert [headers.get("X-Page-Cache") for _, headers, _ in again] == ["hit"] * 3
    assert [tokenless(body) for _, _, body in again] == [tokenless(body) for _, _, body in first]


def test_an_import_by_another_process_is_seen_by_the_next_search(served, tmp_path):
    base, _master, data_dir = served
    url = f"{base}/api/search?{urlencode({'q': '人才工作简报'})}"
    cache, before = get(url)
    assert (cache, get(url)[0]) == ("miss", "hit")
    folder = tmp_path / "more"
    write_reports(folder, 2)
    code, _out, err = run(data_dir, "import_reports", str(folder))
    assert code == 0, err
    cache, after = get(url)
    assert cache == "miss"
    assert after["count"] == before["count"] + 2


def test_every_thread_of_a_process_shares_one_opened_cache():
    """runserver's thread per request must not reopen the shards (config/shared_cache.py)."""
    from django.core.cache import caches

    main = caches["default"]
    main.set("shared-by-threads", [1, 2, 3])
    seen: list = []

    def in_a_new_thread() -> None:
        other = caches["default"]  # Django builds a backend per thread
        seen.append((other is main, other._cache is main._cache, other.get("shared-by-threads")))

    for _ in range(2):
        thread = threading.Thread(target=in_a_new_thread)
        thread.start()
        thread.join()
    assert seen == [(False, True, [1, 2, 3])] * 2


def test_many_values_are_stored_one_transaction_per_shard():
    """``set_many`` (search snippets, kept values) stores what ``set`` would, and a
    shard locked by another writer past the database timeout loses only its keys,
    which are said to be lost; nothing waits for it."""
    from django.core.cache import caches

    store = caches["default"]
    fanout = store._cache
    values = {f"many-{n}": [n, "人才" * n] for n in range(40)}
    assert store.set_many(values, timeout=60) == []
    assert store.get_many(list(values)) == values
    shard_of = {key: fanout._hash(store.make_key(key)) % fanout._count for key in values}
    assert len(set(shard_of.values())) == fanout._count  # every shard had some
    locked = fanout._shards[0]
    again = {key: ["again"] for key in values}
    holding, release = threading.Event(), threading.Event()

    def writer_holding_shard_0() -> None:
        with locked.transact(retry=True):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=writer_holding_shard_0)
    thread.start()
    holding.wait(10)
    started = time.monotonic()
    try:
        failed = store.set_many(again, timeout=60)
    finally:
        release.set()
        thread.join()
    assert time.monotonic() - started < 2
    assert sorted(failed) == sorted(key for key, shard in shard_of.items() if shard == 0)
    for key, value in store.get_many(list(values)).items():
        assert value == (values[key] if key in failed else ["again"])
