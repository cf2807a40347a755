"""Result order does not depend on how the index's segments were built (issue 16).

The same archive is indexed in one pass (``rebuild_index``) and again in several
commits in the reverse order (several segments, other document numbers, as after
a restore and a rebuild in another order); whole result lists must be equal for
a mix of queries, every sort and several pages.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from haystack import connections

from archive.models import Report
from search.indexing import backend, drain_queue

from .conftest import SEEDS_DIR, rebuild_index

pytestmark = pytest.mark.django_db
RAW_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "labelled" / "dev" / "raw"
QUERIES = [
    "",
    "人才",
    "-德州",
    "补贴",
    "高层次人才引进",
    '"人才公寓"',
    "房",
    "深圳 OR 北京",
    "购房补贴",
]
SORTS = ["", "relevance", "newest", "oldest"]


def _lists(client) -> dict:
    answers = {}
    for q in QUERIES:
        for sort in SORTS:
            for page, size in ((1, 100), (2, 2), (1, 3)):  # page 2 exists for each query
                params = {"q": q, "page": page, "page_size": size}
                answer = client.get("/api/search", {**params, **({"sort": sort} if sort else {})})
                if answer.status_code == 404 and page > 1:  # past the last page: nothing to order
                    answers[(q, sort, page, size)] = []
                    continue
                assert answer.status_code == 200, answer.content
                answer = answer.json()
                answers[(q, sort, page, size)] = [
                    (hit["id"], hit["score"]) for hit in answer["results"]
                ]
    return answers


def _index_in_several_commits() -> None:
    """Clear, then index the public reports newest id first, three per commit."""
    engine = backend()
    engine.clear()
    index = connections["default"].get_unified_index().get_index(Report)
    reports = list(index.index_queryset().order_by("-pk"))
    for start in range(0, len(reports), 3):
        engine.update(index, reports[start : start + 3])


def test_one_pass_and_several_commits_give_the_same_result_lists(settings, client):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "off"}
    rebuild_index()
    call_command(
        "import_reports", str(SEEDS_DIR), str(RAW_DIR), stdout=io.StringIO(), stderr=io.StringIO()
    )
    drain_queue()
    rebuild_index()
    with backend()._searcher() as searcher:
        assert len(searcher.leaf_searchers()) == 1
    one_pass = _lists(client)
    _index_in_several_commits()
    with backend()._searcher() as searcher:
        assert len(searcher.leaf_searchers()) > 1
    several = _lists(client)
    rebuild_index()
    # ties exist, so the test can fail: equal scores, or undated reports by date
    everything = one_pass[("-德州", "relevance", 1, 100)]
    assert len({score for _, score in everything}) < len(everything)
    for key, listed in one_pass.items():
        assert several[key] == listed, key
