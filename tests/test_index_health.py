"""An index that is not the database's is never served: search says "being rebuilt",
rebuilds it, and ``check_index`` exits non-zero so cron can act (search/health.py).

Seen in production: the index folder lost, then the next import created a fresh
index holding only its own reports; /search/ answered 200 with 3 of 711 reports.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from haystack import connections

from archive.models import Report
from archive.services import report_ingest
from search import search_indexes
from search.indexing import drain_queue

from .conftest import SEEDS_DIR, rebuild_index

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memoized_pipeline")]
REBUILDING = "检索索引正在重建"
SEEDS = sorted(SEEDS_DIR.glob("*.txt"))


def quiet(*args: str) -> None:
    call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())


def found(client) -> set[int]:
    response = client.get("/api/search", {"q": "人才"})
    assert response.status_code == 200, response.content
    return {hit["id"] for hit in response.json()["results"]}


def assert_being_rebuilt(client) -> None:
    page = client.get("/search/", {"q": "人才"})
    assert page.status_code == 503 and REBUILDING in page.content.decode()
    api = client.get("/api/search", {"q": "人才"})
    assert api.status_code == 503
    assert api.json() == {"error": "search index unavailable; it is being rebuilt"}


@pytest.fixture
def four_seeds():
    """Four seeds imported and indexed; the fifth is left for a later import."""
    rebuild_index()
    quiet("import_reports", *map(str, SEEDS[:4]))
    drain_queue()
    yield {r.pk for r in Report.objects.all()}
    rebuild_index()


def lose_the_index_then_import_the_fifth_seed() -> None:
    """The folder deleted; a new process's import creates a fresh, partial index."""
    shutil.rmtree(Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"]))
    connections.reload("default")
    quiet("import_reports", str(SEEDS[4]))
    drain_queue()


def test_a_partial_index_is_not_served_and_check_index_exits_non_zero(client, four_seeds):
    lose_the_index_then_import_the_fifth_seed()
    assert_being_rebuilt(client)
    with pytest.raises(CommandError) as failed:
        call_command("check_index", stdout=(out := io.StringIO()))
    assert failed.value.returncode == 1
    assert "4 missing, 0 stale, 0 orphaned" in out.getvalue()


def test_a_partial_index_is_rebuilt_from_the_database(client, four_seeds, settings):
    settings.SEARCH_REBUILD = "inline"
    lose_the_index_then_import_the_fifth_seed()
    first = client.get("/api/search", {"q": "人才"})  # notices, answers 503, rebuilds
    assert first.status_code == 503
    assert found(client) == set(Report.objects.values_list("pk", flat=True))
    quiet("check_index")  # no drift: exits 0


def test_another_archives_index_is_not_served_until_rebuilt(client, four_seeds, monkeypatch):
    monkeypatch.setattr(search_indexes, "archive_id", lambda: "another-archive")
    quiet("rebuild_index", "--noinput")  # same ids, documents stamped elsewhere
    monkeypatch.undo()
    assert_being_rebuilt(client)
    with pytest.raises(CommandError):
        quiet("check_index")
    quiet("check_index", "--repair")
    assert found(client) == four_seeds
    quiet("check_index")


def test_reports_waiting_in_the_queue_do_not_stop_search(client, four_seeds):
    # In a test the on-commit drain never runs: the report stays queued.
    report_ingest(data=SEEDS[4].read_bytes(), filename=SEEDS[4].name)
    assert Report.objects.count() == 5
    assert found(client) == four_seeds
