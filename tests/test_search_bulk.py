"""Bulk scoring (search/whoosh_bulk.py) gives every match the very float Whoosh's
``searcher.search(limit=None)`` gives it: the benchmark mix, the judged queries and
synonym-expanded compounds, on the labelled captures and over several segments;
restricted to a candidate set, the same floats for those candidates; and the pages
built from it equal Whoosh's own with bulk scoring switched off."""

import json
import random

import pytest
from whoosh.matching import NullMatcherClass
from whoosh.util import make_weighted_tree

from bench.queries import QUERY_MIX
from search import whoosh_bulk, whoosh_phrases, whoosh_top
from search.indexing import backend
from search.query import parse_query
from search.synonyms import build_table
from search.whoosh_collect import matching_docs
from search.whoosh_order import relevance_order
from search.whoosh_query import compile_query
from search.whoosh_ranking import rank_all, score_docs, top_page
from tests.conftest import LABELLED_RAW_DIR
from tests.test_search_speed_facets import segmented  # noqa: F401 (the fixture, by name)

pytestmark = pytest.mark.django_db

#: compounds whose And/Or trees have three and more parts (weighted trees, ties),
#: unions of phrases, an exclusion.
COMPOUNDS = (
    "高层次人才引进", "人才 住房 补贴", "安家补贴 博士 落户", "高校毕业生 -博士",
    "人才 住房 补贴 落户 博士", "人才 OR 住房 OR 补贴 OR 落户 OR 博士",
    "人才公寓 OR 安家补贴 OR 博士后", "\"人才公寓\" OR \"高层次人才\"",
)  # fmt: skip
SYNONYMS = build_table([("人才公寓", "人才住房"), ("安家补贴", "安家费")])


def queries() -> list:
    judged = json.loads((LABELLED_RAW_DIR.parent / "queries.json").read_text(encoding="utf-8"))
    texts = [params["q"] for _, params in QUERY_MIX]
    texts += [item["query"] for item in judged] + list(COMPOUNDS)
    parsed = [parse_query(text, synonyms=SYNONYMS) for text in texts]
    compiled = [compile_query(p.query) for p in parsed if not p.is_empty]
    return compiled + [compile_query(p.widened) for p in parsed if p.widened is not None]


def whoosh_scores(searcher, query) -> dict[int, float]:
    """Whoosh's scores of the query's matches (``matching_docs``: Whoosh's own
    ``AndNotMatcher`` keeps an excluded first document when the exclusion's first
    posting comes before it, as in 高校毕业生 -博士 on the captures)."""
    matching = matching_docs(searcher, query)
    scored = searcher.search(query, limit=None).top_n
    return {docnum: score for score, docnum in scored if docnum in matching}


def bulk_scores(searcher, query, among=None) -> dict[int, float]:
    docs, scores = whoosh_bulk.scored_matches(searcher, query, among)
    assert list(docs) == sorted(docs)
    return dict(zip(docs.tolist(), scores.tolist(), strict=True))


def assert_same_floats(searcher) -> int:
    matched = 0
    for query in queries():
        expected = whoosh_scores(searcher, query)
        assert bulk_scores(searcher, query) == expected, query
        among = set(list(expected)[::3]) | {max(expected, default=0) + 1}
        assert bulk_scores(searcher, query, among) == {
            d: expected[d] for d in among & set(expected)
        }
        matched += len(expected)
    return matched


def test_every_match_scores_as_whoosh_scores_it(labelled_archive):
    with backend()._searcher() as searcher:
        assert assert_same_floats(searcher) > 500


@pytest.mark.usefixtures("segmented")
def test_every_match_scores_as_whoosh_over_several_segments():
    with backend()._searcher() as searcher:
        assert len(searcher.leaf_searchers()) > 1
        assert assert_same_floats(searcher) > 100


def test_pages_from_bulk_scores_equal_whoosh_pages(labelled_archive, monkeypatch):
    """``rank_all``, ``score_docs`` and ``top_page`` with bulk scoring on and off."""

    def pages(searcher) -> list:
        found = []
        for query in queries():
            matching = matching_docs(searcher, query)
            some = set(sorted(matching)[::2])
            ranked = rank_all(searcher, query)  # Whoosh's keeps its AndNot stray: left out
            pairs = zip(ranked.docnums, ranked.scores, strict=True)
            found.append([p for p in pairs if p[0] in matching])
            found.append(score_docs(searcher, query, some))
            found.append(top_page(searcher, query, matching, 0, 10))
            found.append(top_page(searcher, query, some, 3, 5))
        return found

    with backend()._searcher() as searcher:
        bulk = pages(searcher)
        monkeypatch.setattr(whoosh_bulk, "ENABLED", False)
        assert pages(searcher) == bulk
    assert sum(len(page) for page in bulk) > 1000


def test_a_phrase_is_read_once_per_document(labelled_archive, monkeypatch):
    """The second ask of a phrase decodes no positions: each document's answer is kept."""
    query = compile_query(parse_query("高层次人才引进").query)
    reads = []
    positions = whoosh_phrases.positions_of
    monkeypatch.setattr(
        whoosh_phrases, "positions_of", lambda *args: reads.append(args[3]) or positions(*args)
    )
    with backend()._searcher() as searcher:
        first = bulk_scores(searcher, query)
        assert reads
        reads.clear()
        assert bulk_scores(searcher, query) == first == whoosh_scores(searcher, query)
    assert reads == []


class _Leaf(NullMatcherClass):
    """A matcher standing for a tree's part: compares as Whoosh's matchers do."""

    def __init__(self, name: int) -> None:
        self.name = name


class _Joined(NullMatcherClass):
    def __init__(self, a, b) -> None:
        self.parts = (a, b)


def _shape(node) -> object:
    return node.name if isinstance(node, _Leaf) else tuple(_shape(p) for p in node.parts)


def _random_weights(seed: int) -> list[int]:
    rng = random.Random(seed)
    return [rng.choice((1, 2, 3, 5, 8)) * rng.choice((1, -1)) for _ in range(rng.randint(1, 7))]


@pytest.mark.parametrize(
    "weights",
    [[1, 2, 3, 3], [3, 3, 1, 2], [2, 2, 2, 2, 2], [-4, -4, -1, -3], [5, 1, 4]]
    + [_random_weights(seed) for seed in range(40)],
)
def test_weighted_trees_nest_as_whoosh_nests_them(weights):
    """Whoosh's ``make_weighted_tree`` and ``_weighted_tree`` join the same parts in
    the same nesting, ties included (the nesting decides the sum's last bits)."""
    expected = make_weighted_tree(_Joined, [(w, _Leaf(i)) for i, w in enumerate(weights)])
    got = whoosh_bulk._weighted_tree([(w, i) for i, w in enumerate(weights)], lambda a, b: (a, b))
    assert _shape(expected) == got


def test_scores_after_a_deletion_in_a_kept_segment(labelled_archive):
    """Postings are kept per segment across searchers (``whoosh_kept.SegmentMemo``); a report
    deleted after they were read is gone from the next searcher's matches, and every
    other score still equals Whoosh's (the average lengths and idf moved)."""
    from archive.models import Report
    from search.indexing import drain_queue

    with backend()._searcher() as searcher:
        assert assert_same_floats(searcher) > 500
        before = searcher.doc_count()
    gone = Report.objects.get(pk=labelled_archive["06.html"])
    gone.delete()
    drain_queue()
    with backend()._searcher() as searcher:
        assert searcher.doc_count() == before - 1
        assert searcher.reader().has_deletions()
        assert assert_same_floats(searcher) > 500
        docnum = searcher.document_number(id=f"archive.report.{labelled_archive['06.html']}")
        assert docnum is None


def test_a_first_page_is_the_top_of_the_whole_ranking(labelled_archive):
    """``top_matches`` (a compound's phrase checked in order of the bound only) gives
    the first places of the whole bulk ranking, documents and floats, also among a
    candidate set and for pages as long as the matches."""
    with backend()._searcher() as searcher:

        def order(docs, scores):
            return relevance_order(docs, scores, searcher)

        compared = 0
        for query in queries():
            docs, scores = whoosh_bulk.scored_matches(searcher, query)
            for among in (None, set(docs.tolist()[::2])):
                ranked = whoosh_bulk.scored_matches(searcher, query, among)
                best = order(*ranked)
                for wanted in (1, 2, 5, 20):
                    got = whoosh_top.top_matches(searcher, query, among, wanted, order)
                    assert got[0].tolist() == ranked[0][best][:wanted].tolist(), (query, wanted)
                    assert got[1].tolist() == ranked[1][best][:wanted].tolist(), (query, wanted)
                    compared += len(got[0])
    assert compared > 1000


def test_a_first_page_reads_fewer_phrase_positions(labelled_archive, monkeypatch):
    query = compile_query(parse_query("人才服务").query)
    assert type(query).__name__ == "AndMaybe"
    read = []
    positions = whoosh_phrases.positions_of
    monkeypatch.setattr(
        whoosh_phrases, "positions_of", lambda *args: read.extend(args[3]) or positions(*args)
    )
    with backend()._searcher() as searcher:
        top = whoosh_top.top_matches(
            searcher, query, None, 1, lambda d, s: relevance_order(d, s, searcher)
        )
        assert len(top[0]) == 1
        first = len(set(read))
        whoosh_bulk.scored_matches(searcher, query)
        assert first < len(set(read))
