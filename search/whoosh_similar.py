"""More-like-this for the report page, over Whoosh, with remembered term frequencies."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator

import numpy as np
from haystack.constants import DJANGO_ID
from whoosh import classify, formats
from whoosh import query as wq
from whoosh.fields import FieldType
from whoosh.searching import Results, Searcher
from whoosh.util.text import utf8encode

from archive import cache_versions
from search import whoosh_bulk
from search.whoosh_order import order_columns

#: Distinct terms whose collection frequency a searcher remembers (a few MB).
MAX_REMEMBERED_FREQUENCIES = 400_000
#: ``Searcher.more_like``'s defaults, which ``similar`` has always used.
SIMILAR_NUMTERMS = 5


def _more_like_text(searcher: Searcher, docnum: int, fieldname: str, text: str, top: int):
    """``searcher.more_like(docnum, fieldname, text=text, top=top)``, same hits.

    Whoosh weighs every distinct word of the report by its collection frequency,
    summed over every segment: ~900 words x 10 segments of hash lookups were 70 %
    of a report page at 1,000 reports (profile). The frequencies are remembered
    per searcher (until the index changes), so words shared between reports are
    looked up once; ``tests/test_search_speed_equivalence.py`` proves equal results.
    The key words' query is scored in bulk (search/whoosh_bulk.py) and ordered as
    Whoosh's top-N collector orders it: score, then document number.
    """
    query = _more_like_query(searcher, fieldname, text)
    try:
        docs, scores = whoosh_bulk.scored_matches(searcher, query)
    except whoosh_bulk.Unsupported:
        hits = searcher.search(query, limit=top, mask={docnum})
        return [int(hit[DJANGO_ID]) for hit in hits]
    others = docs != docnum
    docs, scores = docs[others], scores[others]
    best = np.lexsort((docs, -scores))[:top]
    _, ids = order_columns(searcher)
    return [ids[d] for d in docs[best].tolist()]


def more_like_hits(
    searcher: Searcher,
    docnum: int,
    fieldname: str,
    text: str,
    top: int | None,
    filter: wq.Query | Results | None = None,  # noqa: A002  (Whoosh's own name)
) -> Results:
    """Whoosh hits most like ``text``, the document ``docnum`` itself left out.

    Shared by the report page (``_more_like_text``) and haystack's
    ``SearchQuerySet().more_like_this`` (search/haystack_api.py), which needs the
    hits themselves (scores, stored fields) and may narrow them (``filter``).
    """
    query = _more_like_query(searcher, fieldname, text)
    return searcher.search(query, limit=top, mask={docnum}, filter=filter)


def _more_like_query(searcher: Searcher, fieldname: str, text: str) -> wq.Or:
    """The text's key words (Whoosh's ``Expander``, Bo1), each boosted by its weight."""
    expander = _RememberingExpander(searcher, fieldname, model=classify.Bo1Model)
    expander.add(_kept_text_weights(searcher.schema[fieldname], fieldname, text))
    terms = expander.expanded_terms(SIMILAR_NUMTERMS, normalize=False)
    return wq.Or([wq.Term(fieldname, word, boost=weight) for word, weight in terms])


def _kept_text_weights(field_type: FieldType, fieldname: str, text: str) -> list:
    """``text_weights``, kept in the shared cache by the text's digest: analysing a
    report's text was ~70 ms of its similar reports at 10,000 reports, and each
    index change (every upload) asks them again of the same unchanged text."""
    raw = text.encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
    key = f"text-weights:{cache_versions.epoch()}:{fieldname}:{digest}"
    store = cache_versions.values()
    found = store.get(key)
    if found is None:
        found = list(text_weights(field_type, text))
        store.set(key, found)
    return found


def text_weights(field_type: FieldType, text: str) -> Iterator[tuple[str, float]]:
    """(word, weight) for each distinct word, as ``Expander.add_text`` reads them.

    ``add_text`` takes them from ``field_type.index``, which for a ``Positions``
    field also pickles every word's position list, only to drop it: a third of
    the key-term extraction (profile of the report page). Same analyzer call,
    same words in the same order, same weights; any other field: Whoosh's way.
    """
    fmt = field_type.format
    if type(fmt) is not formats.Positions or type(field_type).index is not FieldType.index:
        for btext, _, weight, _ in field_type.index(text):
            yield field_type.from_bytes(btext), weight
        return
    weights: defaultdict[str, float] = defaultdict(float)
    options = {"mode": "index", "positions": True, "boosts": True}
    for token in formats.tokens(text, field_type.analyzer, options):
        weights[token.text] += token.boost
    for word, weight in weights.items():
        yield field_type.from_bytes(utf8encode(word)[0]), weight * fmt.field_boost


class _RememberingExpander(classify.Expander):
    """Whoosh's ``Expander`` reading collection frequencies through a memo."""

    def __init__(self, searcher: Searcher, fieldname: str, model: type) -> None:
        super().__init__(searcher.reader(), fieldname, model=model)
        self._frequencies = _collection_frequencies(searcher, fieldname)

    def _frequency(self, word: str) -> float | None:
        """The term's collection frequency, None when not in the index."""
        if word in self._frequencies:
            return self._frequencies[word]
        btext = self.ixreader.schema[self.fieldname].to_bytes(word)
        found = (self.fieldname, btext) in self.ixreader
        cf = self.ixreader.frequency(self.fieldname, btext) if found else None
        if len(self._frequencies) >= MAX_REMEMBERED_FREQUENCIES:
            self._frequencies.clear()
        self._frequencies[word] = cf
        return cf

    def expanded_terms(self, number: int, normalize: bool = True) -> list[tuple[str, float]]:
        """``classify.Expander.expanded_terms`` line for line, frequencies memoized."""
        if not self.topN_weight:
            return []
        tlist: list[tuple[float, str]] = []
        maxweight = 0
        for word, weight in self.topN_weight.items():
            cf = self._frequency(word)
            if cf is not None:
                score = self.model.score(weight, cf, self.top_total)
                if score > maxweight:
                    maxweight = score
                tlist.append((score, word))
        norm = self.model.normalizer(maxweight, self.top_total) if normalize else maxweight
        tlist = [(weight / norm, t) for weight, t in tlist]
        tlist.sort(key=lambda x: (0 - x[0], x[1]))
        return [(t, weight) for weight, t in tlist[:number]]


def _collection_frequencies(searcher: Searcher, fieldname: str) -> dict[str, float | None]:
    """This searcher's memo of term -> collection frequency for ``fieldname``."""
    memo = getattr(searcher, "_archive_frequencies", None)
    if memo is None:
        memo = searcher._archive_frequencies = {}
    return memo.setdefault(fieldname, {})
