"""Keywords read with the df bound (textkit/keyword_bounds.py) are ``distinctive_terms``'
keywords: same terms, order, scores and counts, over random corpora and real cities.

Random corpora are drawn with few distinct counts and frequencies, so rounded score
ties (broken by count, then term) and bounds met exactly are common.
"""

from __future__ import annotations

import math
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from textkit import keyword_bounds
from textkit.keyword_bounds import distinctive_terms_bounded, ranked_terms
from textkit.keywords import CorpusStats, distinctive_terms

TERMS = [f"词{i}" for i in range(60)]

COUNTS = st.sampled_from([1, 1, 1, 2, 2, 3, 5, 8, 13, 40, 200])
corpora = st.tuples(
    st.dictionaries(st.sampled_from(TERMS), COUNTS, max_size=60),
    st.dictionaries(
        st.sampled_from(TERMS), st.sampled_from([0, 1, 1, 2, 3, 7, 40, 400]), max_size=60
    ),
    st.sampled_from([0, 1, 2, 5, 40, 400, 10_000]),
    st.integers(1, 15),
    st.lists(st.sampled_from(TERMS), max_size=3),
)


@settings(max_examples=1000, deadline=None)
@given(corpora)
def test_bounded_keywords_are_the_full_scorings(corpus):
    """Batches of 3 terms: the bound is checked often, as in a large city."""
    counts, df, documents, limit, exclude = corpus
    asked: list[str] = []

    def frequencies(terms: list[str]) -> dict[str, int]:
        asked.extend(terms)
        return {t: df[t] for t in terms if t in df}

    full = distinctive_terms(
        Counter(counts), CorpusStats(documents, df), exclude=exclude, limit=limit
    )
    bounded = distinctive_terms_bounded(
        ranked_terms(counts), documents, frequencies, exclude=exclude, limit=limit, batch=3
    )
    assert bounded == full
    assert len(asked) == len(set(asked))  # no term asked twice


def test_a_large_city_reads_few_frequencies():
    """Many rare terms, a few frequent and rare in the archive: only the frequent are read."""
    counts = {f"常见{i}": 50 for i in range(20)} | {f"罕见{i}": 1 for i in range(5000)}
    df = {f"常见{i}": 2 for i in range(20)} | {f"罕见{i}": 900 for i in range(5000)}
    asked: list[str] = []

    def frequencies(terms: list[str]) -> dict[str, int]:
        asked.extend(terms)
        return {t: df[t] for t in terms}

    bounded = distinctive_terms_bounded(ranked_terms(counts), 10_000, frequencies, limit=12)
    assert bounded == distinctive_terms(Counter(counts), CorpusStats(10_000, df), limit=12)
    assert len(asked) <= keyword_bounds.BATCH
    assert bounded[0].score == round((1 + math.log(50)) * math.log(10_000 / 2), 4)


MANY_TERMS = [f"词{i}" for i in range(300)]
large_corpora = st.tuples(
    st.dictionaries(st.sampled_from(MANY_TERMS), COUNTS, min_size=40, max_size=300),
    st.dictionaries(
        st.sampled_from(MANY_TERMS), st.sampled_from([0, 1, 2, 3, 7, 40, 400]), max_size=300
    ),
    st.sampled_from([1, 5, 400, 10_000, 123_457]),
    st.integers(1, 15),
    st.sampled_from([7, 25, 500]),
)


@settings(max_examples=400, deadline=None)
@given(large_corpora)
def test_batches_scored_at_once_keep_the_full_scorings(corpus):
    """Batches larger than the list: numpy's approximate scores leave out only terms
    that cannot enter (``_contenders``); rounded ties stay common."""
    counts, df, documents, limit, batch = corpus

    def frequencies(terms: list[str]) -> dict[str, int]:
        return {t: df[t] for t in terms if t in df}

    full = distinctive_terms(Counter(counts), CorpusStats(documents, df), limit=limit)
    bounded = distinctive_terms_bounded(
        ranked_terms(counts), documents, frequencies, limit=limit, batch=batch
    )
    assert bounded == full


def test_a_batch_scores_exactly_only_its_contenders():
    """Of 500 terms of one batch, those far below the 12th best are never scored."""
    terms = [(f"词{i}", 1 + i % 7) for i in range(500)]
    df = {t: 1 + (i * 37) % 900 for i, (t, _) in enumerate(terms)}
    kept = keyword_bounds._contenders(terms, df, 10_000, [], 12)
    assert 12 <= len(kept) < 100
    assert kept == [tn for tn in terms if tn in kept]  # the batch's order
