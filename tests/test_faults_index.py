"""A deleted or corrupted search index: reading pages serve, search says it is rebuilding.

The database is the source of truth (DESIGN.md), so losing the index must cost
search only, and ``rebuild_index`` must bring it back from the database.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from archive.models import Report
from search.indexing import backend, drain_queue

from .conftest import SEEDS_DIR, rebuild_index

pytestmark = pytest.mark.django_db
REBUILDING = "检索索引正在重建"


def index_dir() -> Path:
    return Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])


rebuild = rebuild_index


@pytest.fixture
def seeded():
    """The five seeds, indexed; the index is rebuilt afterwards whatever the test did."""
    rebuild()
    call_command("import_reports", str(SEEDS_DIR), stdout=io.StringIO(), stderr=io.StringIO())
    drain_queue()
    yield {r.original_name.rsplit("/", 1)[-1][:3]: r for r in Report.objects.all()}
    shutil.rmtree(index_dir(), ignore_errors=True)  # leave a sound index for later tests
    rebuild()


def reading_pages(reports: dict[str, Report]) -> list[str]:
    luzhou = reports["004"]
    return [
        "/",
        luzhou.get_absolute_url(),
        reverse("archive:city_detail", args=[luzhou.city.slug]),
        f"/api/reports/{luzhou.pk}",
        "/compare/?cities=兰州市,泸州市",
    ]


def assert_search_is_down_and_reading_is_up(client, reports) -> None:
    page = client.get("/search/", {"q": "人才"})
    assert page.status_code == 503
    assert REBUILDING in page.content.decode()
    api = client.get("/api/search", {"q": "人才"})
    assert api.status_code == 503
    assert api.json() == {"error": "search index unavailable; it is being rebuilt"}
    for url in reading_pages(reports):
        assert client.get(url).status_code == 200, url


def assert_search_finds_the_seeds(client, reports) -> None:
    found = {hit["id"] for hit in client.get("/api/search", {"q": "人才"}).json()["results"]}
    assert found == {r.pk for r in reports.values()}


def test_a_deleted_index_leaves_reading_pages_up_until_rebuild_index(client, seeded):
    assert_search_finds_the_seeds(client, seeded)
    shutil.rmtree(index_dir())
    assert_search_is_down_and_reading_is_up(client, seeded)
    rebuild()
    assert_search_finds_the_seeds(client, seeded)


@pytest.mark.parametrize("damage", ["toc", "segments"])
def test_a_corrupted_index_leaves_reading_pages_up_until_rebuild_index(client, seeded, damage):
    assert_search_finds_the_seeds(client, seeded)
    pattern = "_MAIN_*.toc" if damage == "toc" else "*.seg"
    for path in index_dir().glob(pattern):
        path.write_bytes(b"\x00garbage" * 64)
    assert_search_is_down_and_reading_is_up(client, seeded)
    rebuild()
    assert_search_finds_the_seeds(client, seeded)


def test_a_save_while_the_index_is_gone_still_lands_and_is_indexed_by_the_rebuild(
    client, seeded, tmp_path
):
    shutil.rmtree(index_dir())
    extra = tmp_path / "extra.txt"
    extra.write_text(
        "泸州市人才驿站简报\n泸州市人才驿站本月接待来泸求职高校毕业生一千二百人。\n",
        encoding="utf-8",
    )
    call_command("import_reports", str(extra), stdout=io.StringIO(), stderr=io.StringIO())
    report = Report.objects.get(original_name=extra.name)
    assert client.get(report.get_absolute_url()).status_code == 200
    rebuild()
    found = {hit["id"] for hit in client.get("/api/search", {"q": "人才驿站"}).json()["results"]}
    assert report.pk in found
    assert backend().indexed_versions().keys() >= {report.pk}
