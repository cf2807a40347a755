"""Search-at-scale changes (issue 18) give the same answers as before them.

The seeds and the labelled dev captures are imported; every query of the
benchmark mix (bench/queries.py) runs through the engine with each sort, three
pages and two filter sets, as typed and widened by the synonym groups (as the
API runs it: unions of conjunctions with phrases inside), and the whole answer
(total, hits in order with their scores, every facet count) is compared with
``tests/golden/search_scale.json``, written by the code before any issue-18
change. Reports are named by the first 12 hex digits of their original's SHA-256,
so database ids do not matter.

Regenerate (only when a change of answers is intended and reviewed):
``SEARCH_SCALE_GOLDEN=write .venv/bin/python -m pytest tests/test_search_scale_equivalence.py``.
"""

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from archive.models import Report
from bench.queries import QUERY_MIX
from search.engine import search
from search.indexing import drain_queue
from search.query import parse_query, query_to_run
from search.selectors import synonym_table

from .conftest import SEEDS_DIR, rebuild_index

pytestmark = pytest.mark.django_db
RAW_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "labelled" / "dev" / "raw"
GOLDEN = Path(__file__).resolve().parent / "golden" / "search_scale.json"
EXTRA = ["房 补贴", "人才 -公寓", '"人才" OR "住房"', "高层次人才引进 补贴", "小编", "京籍"]
PAGES = ((0, 10), (7, 5), (0, 200))
SORTS = ("relevance", "newest", "oldest")
FILTER_SETS = (
    ({}, (None, None)),
    ({"province": ["四川省", "山东省"], "doc_type": ["news", "proposal_reply"]}, ("2019", None)),
)


def _cases() -> list[tuple[str, bool, dict, tuple, str, int, int]]:
    queries = [params for _, params in QUERY_MIX] + [{"q": q} for q in EXTRA]
    cases = []
    for params in queries:
        own = {k: [v] for k, v in params.items() if k in ("province", "doc_type")}
        own_years = (params.get("year_from"), params.get("year_to"))
        for filters, years in ((own, own_years), *FILTER_SETS[1:]):
            for sort in SORTS:
                for offset, limit in PAGES:
                    for widened in (False, True):
                        cases.append((params["q"], widened, filters, years, sort, offset, limit))
    return cases


def _answers() -> dict[str, dict]:
    names = {pk: sha[:12] for pk, sha in Report.objects.values_list("pk", "original_sha256")}
    answers = {}
    table = synonym_table()
    for q, widened, filters, years, sort, offset, limit in _cases():
        query = query_to_run(parse_query(q, **({"synonyms": table} if widened else {})))
        if query is None:
            continue
        hits = search(query, filters=filters, years=years, sort=sort, offset=offset, limit=limit)
        key = json.dumps([q, widened, filters, years, sort, offset, limit], ensure_ascii=False)
        answers[key] = {
            "total": hits.total,
            "hits": [[names[pk], round(hits.scores[pk], 6)] for pk in hits.ids],
            "facets": {name: [list(item) for item in items] for name, items in hits.facets.items()},
        }
    return answers


def _one_line_each(answers: dict) -> str:
    """JSON with one answer per line: a changed answer is a one-line diff."""

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    lines = [f"{dump(key)}:{dump(answer)}" for key, answer in sorted(answers.items())]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def test_the_query_mix_answers_as_before_issue_18(settings):
    settings.SEARCH_RESULT_CACHE = 0  # every case computed, none remembered
    rebuild_index()
    call_command(
        "import_reports", str(SEEDS_DIR), str(RAW_DIR), stdout=io.StringIO(), stderr=io.StringIO()
    )
    drain_queue()
    try:
        got = _answers()
    finally:
        rebuild_index()
    if os.environ.get("SEARCH_SCALE_GOLDEN") == "write":
        GOLDEN.write_text(_one_line_each(got), encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert sum(bool(a["hits"]) for a in expected.values()) > 200  # the mix does match
    assert got.keys() == expected.keys()
    for key, answer in expected.items():
        assert got[key] == answer, key
