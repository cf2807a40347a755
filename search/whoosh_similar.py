"""More-like-this for the report page, over Whoosh, with remembered term frequencies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from haystack.constants import DJANGO_ID
from whoosh import classify, formats
from whoosh import query as wq
from whoosh.fields import FieldType
from whoosh.searching import Results, Searcher
from whoosh.util.text import utf8encode

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
    """
    hits = more_like_hits(searcher, docnum, fieldname, text, top)
    return [int(hit[DJANGO_ID]) for hit in hits]


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
    expander = _RememberingExpander(searcher, fieldname, model=classify.Bo1Model)
    expander.add(text_weights(searcher.schema[fieldname], text))
    terms = expander.expanded_terms(SIMILAR_NUMTERMS, normalize=False)
    query = wq.Or([wq.Term(fieldname, word, boost=weight) for word, weight in terms])
    return searcher.search(query, limit=top, mask={docnum}, filter=filter)


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
