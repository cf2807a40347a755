"""The two-pass search (matching set, then the scored page; search/backend.py) gives
exactly what the one-pass search (Whoosh's ``groupedby``) gives: the same hits in the
same order with the same scores, totals and facet counts, on the seed reports, for
every query of the benchmark mix, with filters, sorts and pages."""

import pytest

from bench.queries import QUERY_MIX
from search.indexing import backend
from search.query import parse_query
from search.whoosh_query import compile_query

pytestmark = pytest.mark.django_db

FILTERS = [
    ({}, (None, None)),
    ({"province": ["四川省", "山东省"]}, (None, None)),
    ({"doc_type": ["news"]}, ("2023", None)),
]


def answer(hits) -> tuple:
    return hits.total, [(pk, round(hits.scores[pk], 9)) for pk in hits.ids], hits.facets


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_two_passes_equal_one(indexed_seeds, sort):
    engine = backend()
    compared = nonempty = 0
    with engine._searcher() as searcher:
        for _, params in QUERY_MIX:
            parsed = parse_query(params["q"])
            query = compile_query(parsed.query) if not parsed.is_empty else None
            if query is None:
                continue
            for filters, years in FILTERS:
                for offset, limit in ((0, 10), (1, 2), (4, 20)):
                    args = (query, filters, years, sort, offset, limit)
                    reference = answer(engine._one_pass(searcher, *args))
                    got = answer(engine._two_pass(searcher, *args))
                    assert got == reference, (params, filters, years, offset, limit)
                    compared += 1
                    nonempty += bool(reference[1])
    assert compared > 300
    assert nonempty > 100
