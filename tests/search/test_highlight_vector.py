"""Snippets found with numpy (``highlight._find_segments_np``) are the Python loop's.

Both paths run on the same texts and terms, the threshold set so that each serves
every text: the seeds, the cleaned samples and the generated corpus sample with the
bench's queries, and random texts of a few characters where matches overlap, merge,
tie and fall at sentence ends and text edges.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.ingest.decode import decode_bytes
from bench.corpus import generate_one
from search import highlight
from search.query import parse_query

from ..test_search_speed_highlight import QUERIES, SNIPPETS
from ..test_segmentation_equivalence import SEED_FILES


def both_paths(monkeypatch, text: str, terms: list[str], n: int, context: int) -> tuple:
    """(numpy's snippets, the Python loop's), and whether numpy was asked at all."""
    monkeypatch.setattr(highlight, "VECTOR_MIN", 0)
    vector = highlight._find_segments(text, terms, n, context)
    asked = highlight._match_arrays(text, terms) is not None
    monkeypatch.setattr(highlight, "VECTOR_MIN", 10**9)
    return vector, highlight._find_segments(text, terms, n, context), asked


@pytest.fixture(scope="module")
def sample() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in SEED_FILES]
    return texts + [decode_bytes(generate_one(i).data).text for i in range(12)]


def test_real_texts_give_the_same_snippets_either_way(monkeypatch, sample):
    served = 0
    for text in sample:
        for q in QUERIES:
            terms = list(parse_query(q).highlight_terms)
            for n, context in SNIPPETS:
                vector, python, asked = both_paths(monkeypatch, text, terms, n, context)
                assert vector == python, (q, n, context)
                served += asked and bool(python)
    assert served > 500  # numpy found the windows of most of them


def test_a_common_word_takes_the_numpy_path_by_default():
    text = "人才引进。" * 30 + "高层次人才公寓，人才住房补贴。"
    assert highlight._match_arrays(text, ["人才"]) is not None  # 32 matches
    assert highlight._match_arrays(text, ["公寓"]) is None  # one: the loop
    assert highlight._match_arrays("e\u0301cole 人才" * 30, ["人才"]) is None  # offsets move


ALPHABET = "人才公寓补贴。，；\n ab"
texts = st.text(alphabet=ALPHABET, min_size=0, max_size=300)
terms = st.lists(st.text(alphabet="人才公寓补贴ab", min_size=1, max_size=3), min_size=1, max_size=4)


@settings(max_examples=500, deadline=None)
@given(texts, terms, st.integers(1, 4), st.integers(0, 30))
def test_random_texts_give_the_same_snippets_either_way(text, words, n, context):
    with pytest.MonkeyPatch.context() as monkeypatch:
        vector, python, _ = both_paths(monkeypatch, text, words, n, context)
    assert vector == python
