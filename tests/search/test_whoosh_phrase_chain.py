"""Bigram-chain phrases check every second bigram's positions (issue 18) and stay exact."""

import pytest
from whoosh.fields import ID, Schema
from whoosh.filedb.filestore import RamStorage

from search.whoosh_matchers import AdjacentPhrase, bigram_chain_offsets
from search.whoosh_schema import grams_field, text_field

DOCS = {
    "exact": "推动高质量发展取得新成效",
    "broken": "高质量的发展",  # every unigram, not adjacent
    "split": "高质。量发展",  # punctuation between 质 and 量: no 质量 bigram
    "reordered": "量发展高质",
    "decoy": "高质者发展。质量发",  # every bigram, 高质 at p and 发展 at p + 3 only
    "twice": "高质量发展，再谈高质量发展",
}


@pytest.fixture(scope="module")
def searcher():
    schema = Schema(id=ID(stored=True), grams=grams_field(), text=text_field())
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        for name, text in DOCS.items():
            writer.add_document(id=name, grams=text, text=text)
    with index.searcher() as s:
        yield s


def test_only_han_bigram_chains_skip_offsets():
    assert bigram_chain_offsets(["高质", "质量", "量发", "发展"]) == (0, 2, 3)
    assert bigram_chain_offsets(["高质", "质量", "量发", "发展", "展望"]) == (0, 2, 4)
    assert bigram_chain_offsets(["高质", "质量"]) is None  # two: both decide anyway
    assert bigram_chain_offsets(["高质", "量发", "发展"]) is None  # not a chain
    assert bigram_chain_offsets(["12", "23", "34"]) is None  # not Han: no bigram rule


@pytest.mark.parametrize(
    ("field", "words", "expected"),
    [
        ("grams", ["高质", "质量", "量发", "发展"], {"exact", "twice"}),
        ("grams", ["质量", "量发", "发展"], {"exact", "twice"}),
        ("grams", ["高", "质", "量"], {"exact", "broken", "twice"}),
        ("text", ["高质量", "发展"], {"exact", "twice"}),
    ],
)
def test_phrases_match_exactly_the_documents_holding_them(searcher, field, words, expected):
    hits = searcher.search(AdjacentPhrase(field, words), limit=None)
    assert {hit["id"] for hit in hits} == expected
