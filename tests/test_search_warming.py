"""Issue 18, stop 17: a worker's searcher opened and warmed before readers ask, and
segment files read in place from their memory map. Speed only: every answer must
be the one the slow path gives (Whoosh's own copying files, a cold process), and
a write must be seen by the next search, warmed or not."""

from __future__ import annotations

import io
import pickle
import time

import pytest
from django.core.management import call_command

from search import backend as search_backend
from search import whoosh_order
from search.indexing import backend, drain_queue
from search.warming import start_rewarming, warm_before_fork, warm_worker
from search.whoosh_files import ViewStream, read_segments_in_place

from .conftest import SEEDS_DIR, rebuild_index
from .test_search_caches import answers, forget_everything

pytestmark = pytest.mark.django_db

NEW_REPORT = "德州市人才公寓申请须知\n新引进的博士可申请德州人才公寓，租金减半。\n"


@pytest.fixture
def seeded(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "off"}  # one client, many queries
    settings.SEARCH_RESULT_CACHE = 0  # every answer computed, none remembered
    settings.SEARCH_REWARM_SECONDS = 0
    rebuild_index()
    call_command("import_reports", str(SEEDS_DIR), stdout=io.StringIO(), stderr=io.StringIO())
    drain_queue()
    yield
    read_segments_in_place()
    rebuild_index()


@pytest.fixture
def opened(monkeypatch) -> list[int]:
    """One entry per searcher the index opens from now on."""
    count: list[int] = []
    index_type = type(backend().index)
    real = index_type.searcher
    monkeypatch.setattr(index_type, "searcher", lambda ix, **kw: count.append(1) or real(ix, **kw))
    return count


def add_report(folder) -> None:
    path = folder / "德州.txt"
    path.write_text(NEW_REPORT, encoding="utf-8")
    call_command("import_reports", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    drain_queue()


def test_segments_read_in_place_give_whooshs_answers(client, seeded):
    read_segments_in_place(False)  # Whoosh's BytesIO copy of every segment file
    forget_everything()
    copied = answers(client)
    read_segments_in_place()
    forget_everything()
    in_place = answers(client)
    assert sum(page.get("count", 0) for page in copied) > 50
    assert in_place == copied


@pytest.mark.parametrize("size", [0, 1, 511, 512, 513, 5000])
def test_a_view_stream_reads_as_bytesio_does(size):
    data = bytes(range(256)) * 40 + b"line one\nline two\n"
    values = [list(range(size)), {"k": "人才" * size}, (1, 2.5, None)]
    blob = data + b"".join(pickle.dumps(v, protocol=4) for v in values) + b"tail"
    ours, theirs = ViewStream(memoryview(blob)), io.BytesIO(blob)
    for stream in (ours, theirs):
        stream.seek(100)
    assert ours.read(7) == theirs.read(7)
    assert ours.seek(-3, io.SEEK_CUR) == theirs.seek(-3, io.SEEK_CUR)
    assert ours.seek(len(data) - 18) == theirs.seek(len(data) - 18)
    assert [ours.readline(), ours.readline()] == [theirs.readline(), theirs.readline()]
    assert [pickle.load(ours) for _ in values] == [pickle.load(theirs) for _ in values] == values
    assert (ours.tell(), ours.read(), ours.read(3)) == (theirs.tell(), theirs.read(), b"")
    with pytest.raises(ValueError):
        ours.seek(-1)


def test_a_warmed_worker_answers_as_a_cold_one_without_opening_again(client, seeded, opened):
    forget_everything()
    cold = answers(client)
    forget_everything()
    assert warm_before_fork()
    assert search_backend._pool._idle.get(backend().path, ((), []))[1] == []  # none kept
    assert whoosh_order._SEGMENT_VALUES  # the lists a forked worker inherits
    opened.clear()
    assert warm_worker() is None  # SEARCH_REWARM_SECONDS = 0: no thread
    assert len(opened) == 1
    assert answers(client) == cold
    assert len(opened) == 1  # the warmed searcher served every search


def test_a_write_is_seen_by_the_next_search_after_warming(client, seeded, tmp_path):
    warm_worker()
    before = client.get("/api/search", {"q": "德州"}).json()["count"]
    add_report(tmp_path)
    assert client.get("/api/search", {"q": "德州"}).json()["count"] == before + 1


def test_the_rewarming_thread_opens_the_new_index_before_the_next_reader(
    client, seeded, tmp_path, opened
):
    forget_everything()
    before = found(client, "德州")
    opened.clear()
    thread = start_rewarming(0.05)
    try:
        time.sleep(0.2)  # a few turns: an unchanged index is not reopened
        opened_unchanged = len(opened)
        add_report(tmp_path)
        deadline = time.monotonic() + 10
        while len(opened) == opened_unchanged and time.monotonic() < deadline:
            time.sleep(0.05)
        # the import may commit to the index more than once (its batch, then the
        # drain) and a turn may fall between; wait until the thread has had five
        # turns without opening anything new
        settled = len(opened)
        while time.monotonic() < deadline:
            time.sleep(0.25)
            if len(opened) == settled:
                break
            settled = len(opened)
    finally:
        thread.stop.set()
        thread.join(5)
    assert opened_unchanged == 0
    assert len(opened) >= 1  # the thread opened the changed index
    by_thread = len(opened)
    after = found(client, "德州")
    assert len(opened) == by_thread  # and the next reader found it open
    assert after["count"] == before["count"] + 1
    forget_everything()
    assert found(client, "德州") == after  # what a cold process answers


def found(client, q: str) -> dict:
    body = client.get("/api/search", {"q": q}).json()
    return {k: v for k, v in body.items() if k != "took_ms"}


def test_warming_a_drifted_index_schedules_no_rebuild_before_the_fork(client, seeded, settings):
    """A rebuild thread started in gunicorn's master would be copied into no worker;
    the first request schedules it instead (search/health.py)."""
    import threading

    settings.SEARCH_REBUILD = "background"
    backend().clear()
    assert warm_before_fork() is False
    assert not any(t.name == "index-rebuild" for t in threading.enumerate())
    assert backend().index_status().documents == 0
    settings.SEARCH_REBUILD = "off"  # no rebuild thread under the test's transaction
    assert client.get("/api/search", {"q": "人才"}).status_code == 503  # "being rebuilt"
