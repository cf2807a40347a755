"""The Django-free text foundation: one analyzer for the index, the query and the domain.

Every caller (indexer, query parser, highlighter, keyword extraction, the ingest
pipeline's fingerprints and script detection) goes through this package, so a
document and a query are always analysed identically (STYLE.md, "One home per
concern"). It imports no Django and no search engine: it returns plain tokens,
``search.whoosh_schema`` adapts them to Whoosh and ``search.elastic`` encodes them for
Elasticsearch (DESIGN.md, "Scale-out path").

Pipeline: t2s exceptions -> OpenCC ``t2s`` -> NFKC -> lowercase -> jieba.

Modules, bottom up:
- ``libraries``: the ONE module configuring jieba and OpenCC (built once per process);
- ``charmap``, ``fastconv``: OpenCC's output without its substring search;
- ``scripts``: ``t2s``/``s2t`` with the gazetteer's exception list (``dictionaries/``);
- ``normalization``: t2s -> NFKC -> lowercase, with offsets back to the original;
- ``segmentation``: jieba words (rjieba where proven equal), sub-words, finer cuts;
- ``tokens``: tokens with ordinal positions and original offsets, grams;
- ``terms``: the index's terms without offsets; ``keywords``: TF-IDF keywords.

Speed (issue 7, docs/benchmarks.md): ``FastConversion`` gives OpenCC's output
without its substring search; Han runs are cut by rjieba where
tests/test_segmentation_equivalence.py proves it equals jieba; the indexer's
``word_terms``/``gram_terms`` are ``tokenize``/``grams`` without offsets.
"""

from __future__ import annotations

from textkit.libraries import _get_accelerator, _get_converter, _get_tokenizer, use_accelerator
from textkit.normalization import (
    Normalized,
    _combining_pattern,
    _fold_map,
    normalize,
    normalize_with_offsets,
)
from textkit.scripts import _exceptions_pattern, s2t, t2s
from textkit.segmentation import cut_han, dictionary_words, finer_cut, reference_cut
from textkit.terms import gram_terms, precise_words, word_terms
from textkit.tokens import HAN, Token, gram_units, grams, is_han, tokenize

__all__ = [
    "HAN",
    "Normalized",
    "Token",
    "cut_han",
    "dictionary_words",
    "finer_cut",
    "gram_terms",
    "gram_units",
    "grams",
    "is_han",
    "normalize",
    "normalize_with_offsets",
    "precise_words",
    "reference_cut",
    "s2t",
    "t2s",
    "tokenize",
    "use_accelerator",
    "warm_up",
    "word_terms",
]


def warm_up() -> None:
    """Load jieba, OpenCC and the exception list; call before a server forks.

    The forked workers then share the loaded dictionaries (~1 s and ~50 MB for
    jieba) instead of each paying for them on its first request.
    """
    _get_tokenizer()
    _get_accelerator()
    _get_converter()
    _exceptions_pattern()
    _fold_map()
    _combining_pattern()
