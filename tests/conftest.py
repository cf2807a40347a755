"""Shared fixtures: the seed reports as raw bytes, and an isolated data dir."""

import functools
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django.plugin import blocking_manager_key

SEEDS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
LABELLED_RAW_DIR = SEEDS_DIR.parent / "labelled" / "dev" / "raw"

#: what the archive must detect for each seed (issue 2, "What it must show").
SEED_EXPECTED = {
    "000": {"city": "兰州市", "province": "甘肃省", "doc_type": "press_conference"},
    "001": {
        "city": "运城市",
        "province": "山西省",
        "doc_type": "news",
        "published_on": "2023-02-06",
    },
    "002": {
        "city": "呼和浩特市",
        "province": "内蒙古自治区",
        "doc_type": "news",
        "published_on": "2024-09-28",
    },
    "003": {"city": "德州市", "province": "山东省", "doc_type": "proposal_reply"},
    "004": {
        "city": "泸州市",
        "province": "四川省",
        "doc_type": "proposal_reply",
        "published_on": "2024-06-18",
        "script": "traditional",
    },
}


def seed_path(prefix: str) -> Path:
    """Path of the seed whose file name starts with ``prefix`` (e.g. "004")."""
    (match,) = sorted(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    return match


@pytest.fixture
def seed_bytes():
    return lambda prefix: seed_path(prefix).read_bytes()


@pytest.fixture(autouse=True)
def isolated_originals(settings, tmp_path):
    """Every test stores originals in its own folder, never in var/."""
    settings.ORIGINALS_DIR = tmp_path / "originals"
    return settings.ORIGINALS_DIR


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts with empty caches: its database rolls back, so a version token
    or a value left by the previous test would describe rows that are gone."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@functools.lru_cache(maxsize=256)
def _processed(data: bytes, filename: str):
    from archive.ingest.pipeline import process_document

    return process_document(data, filename=filename)


@pytest.fixture
def memoized_pipeline(monkeypatch):
    """For the modules that ingest the same seeds in test after test (opt in with
    ``pytestmark = pytest.mark.usefixtures("memoized_pipeline")``): ``report_ingest``
    and ``report_reprocess`` reuse the pure pipeline's output for bytes and a file
    name seen before; the database writes still happen. Scoped to the test, so a test
    that changes a cleaning rule and reprocesses is never handed a stale answer; a
    call with its own gazetteer is never memoized."""
    from archive import services
    from archive.ingest.pipeline import process_document

    def memoized(data, *, filename, gazetteer=None):
        if gazetteer is not None:
            return process_document(data, filename=filename, gazetteer=gazetteer)
        return _processed(data, filename)

    monkeypatch.setattr(services, "process_document", memoized)


def rebuild_index() -> None:
    """``manage.py rebuild_index``, as an operator runs it: in a fresh process, whose
    backend has not opened the old index (the web workers' backends have)."""
    import io

    from django.core.management import call_command
    from haystack import connections

    connections.reload("default")
    call_command("rebuild_index", interactive=False, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def indexed_seeds() -> Iterator[None]:
    """The five seeds imported and indexed on a rebuilt index, rebuilt again after."""
    import io

    from django.core.management import call_command

    from search.indexing import drain_queue

    rebuild_index()
    call_command("import_reports", str(SEEDS_DIR), stdout=io.StringIO(), stderr=io.StringIO())
    drain_queue()
    yield
    rebuild_index()


@pytest.fixture
def labelled_archive(settings) -> Iterator[dict[str, int]]:
    """The seeds and the sixteen labelled captures, imported with ``import_reports``
    as operators do and indexed: file name -> report id (one client, many queries)."""
    import io

    from django.core.management import call_command

    from archive.models import Report
    from search.indexing import drain_queue

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "off"}
    rebuild_index()
    call_command(
        "import_reports",
        str(SEEDS_DIR),
        str(LABELLED_RAW_DIR),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    drain_queue()
    yield {r.original_name.rsplit("/", 1)[-1]: r.pk for r in Report.objects.public()}
    rebuild_index()


def ensure_gazetteer() -> None:
    """Load the provinces and cities (the data migration's own code) if they are gone."""
    from django.apps import apps

    from archive.models import Province

    if not Province.objects.exists():
        migration = importlib.import_module("archive.migrations.0002_load_gazetteer")
        migration.load_regions(apps, None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test's database is flushed after it, which also empties the
    gazetteer that a data migration loaded: it is loaded again here, after the
    flush, so the tests that run later, in any order, still find it."""
    yield  # the transactional flush has happened here
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction")
    if transactional or "transactional_db" in getattr(item, "fixturenames", ()):
        with item.config.stash[blocking_manager_key].unblock():
            ensure_gazetteer()
