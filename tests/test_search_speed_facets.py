"""The search ranks every match once and counts facets from the in-memory columns.

``ArchiveWhooshBackend._search`` (single words, phrases, one character, OR,
exclusions) scores every match with Whoosh's unlimited collector, keeps the
ranking (search/whoosh_ranking.py), filters and pages it, and counts facets from
``_facet_columns``, not with ``groupedby``. Compared here with
Whoosh's own ``groupedby`` search: the same hits in the documented order (ties
by date then report id, issue 16) with the same unrounded scores, the same
totals and facet counts, on the seed reports, for every query of the benchmark
mix and a few harder ones, with filters, sorts and pages. Also on an index of
several segments (one per seed), where the remembered document numbers carry each
segment's offset.
"""

import io

import pytest
from django.core.management import call_command
from haystack.constants import DJANGO_ID
from whoosh import sorting

from bench.queries import QUERY_MIX
from search.engine import FACET_FIELDS, SORTS, Hits
from search.indexing import backend, drain_queue
from search.query import parse_query
from search.whoosh_collect import facet_counts, filter_query, relevance
from search.whoosh_query import compile_query

from .conftest import SEEDS_DIR
from .test_faults_index import rebuild

pytestmark = pytest.mark.django_db

FILTERS = [
    ({}, (None, None)),
    ({"province": ["四川省", "山东省"]}, (None, None)),
    ({"doc_type": ["news"]}, ("2023", None)),
    ({}, (None, "2022")),
    ({"city": ["泸州市"]}, (None, None)),
]
HARDER = ["人才人才", "A类", "-德州", "人才 -补贴 -德州", '"人才" OR 房', "瀘州", "xyz不存在"]
PAGES = ((0, 10), (1, 2), (4, 20), (0, 1000))


def _documented_order(hits: list, sort: str) -> list:
    """The README's order: relevance = score desc, then newest, then report id;
    newest/oldest = date (undated last), then report id."""

    def key(hit) -> tuple:
        published = hit.get("published")
        stamp = published.timestamp() if published else 0.0
        if SORTS.get(sort) is None:
            return (-hit.score, published is None, -stamp, int(hit[DJANGO_ID]))
        return (published is None, -stamp if SORTS[sort] else stamp, int(hit[DJANGO_ID]))

    return sorted(hits, key=key)


def _groupedby(searcher, query, filters, years, sort, offset, limit) -> Hits:
    """Whoosh's own search: ``groupedby`` counts the facets (every hit collected,
    then put in the documented order)."""
    kwargs = {
        "limit": None,
        "filter": filter_query(filters or {}, years),
        "groupedby": {
            name: sorting.FieldFacet(name, maptype=sorting.Count) for name in FACET_FIELDS
        },
    }
    results = searcher.search(query, **kwargs)
    page = _documented_order(list(results), sort)[offset : offset + limit]
    dated = SORTS.get(sort) is not None
    return Hits(
        total=len(results),
        ids=[int(hit[DJANGO_ID]) for hit in page],
        scores={int(hit[DJANGO_ID]): 0.0 if dated else relevance(hit) for hit in page},
        facets={name: facet_counts(results.groups(name)) for name in FACET_FIELDS},
    )


def _answer(hits: Hits) -> tuple:
    return hits.total, hits.ids, hits.scores, hits.facets


def _compare(sort: str) -> tuple[int, int]:
    engine = backend()
    compared = faceted = 0
    queries = [params["q"] for _, params in QUERY_MIX] + HARDER
    with engine._searcher() as searcher:
        for text in queries:
            parsed = parse_query(text)
            if parsed.is_empty:
                continue
            for filters, years in FILTERS:
                for offset, limit in PAGES:
                    args = (compile_query(parsed.query), filters, years, sort, offset, limit)
                    reference = _answer(_groupedby(searcher, *args))
                    got = _answer(engine._search(searcher, *args))
                    assert got == reference, (text, filters, years, offset, limit)
                    compared += 1
                    faceted += any(reference[3].values())
    return compared, faceted


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_column_facets_equal_groupedby(indexed_seeds, sort):
    compared, faceted = _compare(sort)
    assert compared > 500
    assert faceted > 200


@pytest.fixture
def segmented():
    """One index segment per seed report: document numbers with segment offsets."""
    rebuild()
    for path in sorted(SEEDS_DIR.iterdir()):
        call_command("import_reports", str(path), stdout=io.StringIO(), stderr=io.StringIO())
        drain_queue()
    yield
    rebuild()


def test_column_facets_equal_groupedby_over_several_segments(segmented):
    with backend()._searcher() as searcher:
        assert len(searcher.leaf_searchers()) > 1
    compared, faceted = _compare("relevance")
    assert faceted > 100
