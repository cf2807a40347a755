"""Index terms: what the index stores, without offsets, built faster than tokens.

tests/test_segmentation_equivalence.py checks each equals its ``textkit.tokens`` twin.
"""

from __future__ import annotations

from functools import lru_cache

from textkit.normalization import normalize
from textkit.segmentation import _subwords, cut_han
from textkit.tokens import _runs


@lru_cache(maxsize=4)
def _document_runs(text: str) -> tuple[tuple[str, bool, bool], ...]:
    """(chunk, is Han, gap before) per run of the normalized text.

    Cached because one report's text reaches the analyzer once per field (``text``
    and ``grams`` hold the same string): normalized and split once per report.
    """
    norm = normalize(text)
    return tuple((norm[r.start : r.end], r.kind == "han", r.gap) for r in _runs(norm))


def word_terms(text: str) -> list[tuple[str, int]]:
    """``tokenize(text)`` as (word, position) pairs, the index's view, built faster.

    No original-text offsets: the index stores positions only (search.whoosh_schema).
    tests/test_segmentation_equivalence.py checks it equals ``tokenize``.
    """
    out: list[tuple[str, int]] = []
    pos = -1
    for chunk, han, gap in _document_runs(text):
        if gap and pos >= 0:
            pos += 1
        for word in cut_han(chunk) if han else (chunk,):
            pos += 1
            out.append((word, pos))
            out.extend((sub, pos) for sub in _subwords(word))
    return out


def precise_words(text: str) -> list[str]:
    """``[t.text for t in tokenize(text, subwords=False)]``, without building tokens.

    Keyword counting needs the words only (textkit.keywords); the equivalence is
    tested with ``word_terms``'.
    """
    words: list[str] = []
    for chunk, han, _gap in _document_runs(text):
        if han:
            words.extend(cut_han(chunk))
        else:
            words.append(chunk)
    return words


def gram_terms(text: str) -> list[tuple[str, int]]:
    """``grams(text)`` as (gram, position) pairs, built faster (see ``word_terms``)."""
    units: list[tuple[str, int, bool]] = []
    pos = -1
    for chunk, han, gap in _document_runs(text):
        if gap and pos >= 0:
            pos += 1
        if han:
            units.extend((ch, pos + i, True) for i, ch in enumerate(chunk, 1))
            pos += len(chunk)
        else:
            pos += 1
            units.append((chunk, pos, False))
    out: list[tuple[str, int]] = []
    for (unit, at, han), (nxt, nxt_at, nxt_han) in zip(units, units[1:], strict=False):
        out.append((unit, at))
        if han and nxt_han and nxt_at == at + 1:
            out.append((unit + nxt, at))
    if units:
        out.append(units[-1][:2])
    return out
