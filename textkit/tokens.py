"""Tokens with ordinal positions and original-text offsets: what the index and the
query parser see.

jieba's own ``analyse.ChineseAnalyzer`` uses character offsets as positions,
which breaks phrase queries; here positions are ordinals.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from textkit.normalization import Normalized, normalize_with_offsets
from textkit.segmentation import _subwords, cut_han

# CJK ideographs (URO, Ext. A, compatibility, supplementary planes) and 〇 (U+3007),
# the "zero" of years written in characters (二〇二三年).
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# A "word run": a decimal number (1.7, 4.48) or letters/digits that are not Han.
_RUN_RE = re.compile(rf"(?P<han>[{HAN}]+)|(?P<word>\d+(?:\.\d+)+|(?:(?![{HAN}])[^\W_])+)")

_HAN_ONLY_RE = re.compile(f"[{HAN}]+")


class Token(NamedTuple):
    """A token: normalized text, ordinal position, offsets in the ORIGINAL text."""

    text: str
    pos: int
    start: int
    end: int


class _Run(NamedTuple):
    kind: str  # "han" or "word"
    start: int  # offsets in the NORMALIZED text
    end: int
    gap: bool  # True if punctuation (or a blank line) separates it from the previous run


def _runs(normalized: str) -> Iterator[_Run]:
    """Han runs and word runs; punctuation and whitespace are dropped.

    Punctuation between runs breaks phrases (拎包，入住 is not "拎包入住"), plain
    whitespace does not: line-wrapped text and quotes stripped to spaces (seed 001,
    "科创中国 创新基地") still read as one sentence.
    """
    last = 0
    for m in _RUN_RE.finditer(normalized):
        sep = normalized[last : m.start()]
        gap = bool(sep.strip()) or sep.count("\n") >= 2
        yield _Run(m.lastgroup or "word", m.start(), m.end(), gap)
        last = m.end()


def _token(norm: Normalized, start: int, end: int, pos: int) -> Token:
    """The token for normalized ``[start, end)``, with its original offsets."""
    return Token(norm.text[start:end], pos, *norm.span(start, end))


def _pieces(
    text: str, split_han: Callable[[str], Iterable[str]]
) -> Iterator[tuple[Normalized, int, int, int]]:
    """Word runs whole and Han runs split by ``split_han``, at ordinal positions.

    Yields (normalized text, start, end, position). One position is skipped at a
    punctuation gap, so no phrase spans it.
    """
    norm = normalize_with_offsets(text)
    pos = -1
    for run in _runs(norm.text):
        pos += 1 if run.gap and pos >= 0 else 0
        chunk = norm.text[run.start : run.end]
        offset = run.start
        for piece in [chunk] if run.kind == "word" else split_han(chunk):
            pos += 1
            yield norm, offset, offset + len(piece), pos
            offset += len(piece)


def tokenize(text: str, *, subwords: bool = True) -> list[Token]:
    """jieba tokens with ordinal positions and original-text offsets.

    Precise-mode words get consecutive positions; search-mode sub-words share
    their parent's position, so a query for 人才 finds 人才引进 while a phrase of
    precise words still matches. ``subwords=False`` (query mode): precise words only.
    """
    tokens: list[Token] = []
    for norm, start, end, pos in _pieces(text, cut_han):
        tokens.append(_token(norm, start, end, pos))
        if subwords:
            word = norm.text[start:end]
            for sub in _subwords(word):
                s = start + word.index(sub)
                tokens.append(_token(norm, s, s + len(sub), pos))
    return tokens


def gram_units(text: str) -> list[Token]:
    """Han characters one by one and word runs whole, with ordinal positions."""
    return [_token(*piece) for piece in _pieces(text, list)]


def grams(text: str) -> list[Token]:
    """Unigrams and bigrams of Han text (word runs whole) for the ``grams`` field.

    A bigram sits at its first character's position, so a phrase of overlapping
    bigrams is an exact substring match independent of jieba's segmentation, and a
    one-character query (房) finds every 房, which word tokens cannot.
    """
    units = gram_units(text)
    out: list[Token] = []
    for i, unit in enumerate(units):
        out.append(unit)
        if i + 1 < len(units):
            nxt = units[i + 1]
            if nxt.pos == unit.pos + 1 and is_han(unit.text) and is_han(nxt.text):
                out.append(Token(unit.text + nxt.text, unit.pos, unit.start, nxt.end))
    return out


def is_han(text: str) -> bool:
    """True if ``text`` is one or more Han characters only."""
    return bool(text) and _HAN_ONLY_RE.fullmatch(text) is not None
