"""Whoosh adapters for ``textkit``: tokenizers and the schema fields.

The haystack integration subclasses haystack's Whoosh backend and uses these
field types instead of its ``StemmingAnalyzer`` TEXT fields. Field roles:

- ``text``: the whole document (title + body, haystack's ``document=True``
  template), jieba words with ordinal positions (``phrase=True``).
- ``title``: the title alone, same analyzer. ``search.query`` adds a boosted
  title clause at query time, so a title match outranks a body-only match and
  the boost can be tuned without reindexing (an index-time ``field_boost`` is
  multiplied into the term frequency, which BM25F then saturates).
- ``grams``: the same text as ``text``, as Han unigrams + bigrams. It serves
  one-character queries (房) and exact phrases independent of segmentation.

Whoosh pickles the schema, analyzers included, into the index: renaming these
classes means rebuilding the index. This module was ``search.schema`` until the
query nodes (issue 15); indexes pickled then find their classes through
``search/schema.py``, which names them still.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer
from whoosh.fields import TEXT, FieldType

import textkit
from search.query_nodes import GRAMS_FIELD, TEXT_FIELD, TITLE_FIELD, TITLE_GRAMS_FIELD
from search.whoosh_postings import ArrayPositions


class _AnalysisTokenizer(Tokenizer):
    """Yields a ``textkit`` token list as Whoosh tokens.

    Follows the Whoosh tokenizer protocol (whoosh/analysis/tokenizers.py,
    ``RegexTokenizer``): one reused Token object, ``pos``/``startchar``/``endchar``
    only when asked for, offsets shifted by ``start_pos``/``start_char``.
    """

    def _tokens(self, value: str, mode: str) -> list[textkit.Token]:
        raise NotImplementedError

    def _terms(self, value: str, mode: str) -> list[tuple[str, int]]:
        """``_tokens`` as (text, position) pairs; subclasses may compute them faster."""
        return [(tok.text, tok.pos) for tok in self._tokens(value, mode)]

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[WhooshToken]:
        t = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if tokenize and not chars and not keeporiginal:
            # Indexing asks for positions only (TEXT(phrase=True) stores no offsets):
            # the lean path skips the offset map (docs/benchmarks.md).
            for text, pos in self._terms(value, mode):
                t.text = text
                t.boost = 1.0
                t.stopped = False
                if positions:
                    t.pos = start_pos + pos
                yield t
            return
        if not tokenize:
            source = [textkit.Token(textkit.normalize(value), 0, 0, len(value))]
        else:
            source = self._tokens(value, mode)
        for tok in source:
            t.text = tok.text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[tok.start : tok.end]
            if positions:
                t.pos = start_pos + tok.pos
            if chars:
                t.startchar = start_char + tok.start
                t.endchar = start_char + tok.end
            yield t


class JiebaTokenizer(_AnalysisTokenizer):
    """jieba words; search-mode sub-words in index mode, precise words in query mode."""

    def _tokens(self, value: str, mode: str) -> list[textkit.Token]:
        return textkit.tokenize(value, subwords=mode != "query")

    def _terms(self, value: str, mode: str) -> list[tuple[str, int]]:
        if mode == "query":
            return super()._terms(value, mode)
        return textkit.word_terms(value)


class GramsTokenizer(_AnalysisTokenizer):
    """Han unigrams + bigrams when indexing; unigrams only for a query string.

    In query mode a string becomes its units at consecutive positions, so Whoosh's
    own parser turns "拎包入住" into an exact unigram phrase.
    """

    def _tokens(self, value: str, mode: str) -> list[textkit.Token]:
        return textkit.gram_units(value) if mode == "query" else textkit.grams(value)

    def _terms(self, value: str, mode: str) -> list[tuple[str, int]]:
        if mode == "query":
            return super()._terms(value, mode)
        return textkit.gram_terms(value)


def text_analyzer() -> JiebaTokenizer:
    """Analyzer for ``text`` and ``title`` (and haystack's ``CharField(analyzer=…)``)."""
    return JiebaTokenizer()


def grams_analyzer() -> GramsTokenizer:
    """Analyzer for the ``grams`` field."""
    return GramsTokenizer()


def _positional(field: TEXT) -> TEXT:
    """The field with ``ArrayPositions``: Whoosh's postings, grouped faster, their
    positions an array (search/whoosh_postings.py)."""
    field.format = ArrayPositions(field_boost=field.format.field_boost)
    return field


def text_field(*, stored: bool = False) -> TEXT:
    return _positional(TEXT(analyzer=text_analyzer(), phrase=True, stored=stored))


def title_field(*, stored: bool = True) -> TEXT:
    return _positional(TEXT(analyzer=text_analyzer(), phrase=True, stored=stored))


def grams_field() -> TEXT:
    return _positional(TEXT(analyzer=grams_analyzer(), phrase=True, stored=False))


FIELD_FACTORIES: dict[str, Callable[[], FieldType]] = {
    TEXT_FIELD: text_field,
    TITLE_FIELD: title_field,
    GRAMS_FIELD: grams_field,
    TITLE_GRAMS_FIELD: grams_field,
}


def search_fields() -> dict[str, FieldType]:
    """Fresh field objects for the core fields, keyed by field name.

    ``Schema(id=ID(stored=True, unique=True), **search_fields())`` is a complete
    schema for tests; the integration merges these into haystack's.
    """
    return {name: factory() for name, factory in FIELD_FACTORIES.items()}
