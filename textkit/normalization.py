"""The normalized form of index and query text: t2s, NFKC width folding, lowercase,
with a map back to the original offsets (highlights are placed on the text as uploaded).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from textkit.charmap import CharMap, class_pattern
from textkit.libraries import _once
from textkit.scripts import t2s


@dataclass(frozen=True)
class Normalized:
    """Normalized text plus, per normalized char, the original span it came from.

    ``starts``/``ends`` are None when the mapping is the identity (the common case
    of text that is already NFKC and whose lowercase has the same length).
    """

    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` of the normalized slice ``[start, end)``."""
        if self.starts is None or self.ends is None or end <= start:
            return start, end
        return self.starts[start], self.ends[end - 1]


class _FoldTable(dict):
    """``str.translate`` table: each char to its NFKC lowercase, filled on first use."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = unicodedata.normalize("NFKC", chr(code)).lower()
        return folded


_FOLD = _FoldTable()


def _combining_marks() -> frozenset[str]:
    """Every character with a non-zero canonical combining class (built once)."""
    return _once(
        "combining",
        lambda: frozenset(c for c in map(chr, range(0x110000)) if unicodedata.combining(c)),
    )


def _combining_pattern() -> re.Pattern[str]:
    """``class_pattern`` of the combining marks (built once)."""
    return _once("combining-re", lambda: class_pattern(_combining_marks()))


def _has_combining_mark(text: str) -> bool:
    """``not _combining_marks().isdisjoint(text)``, without hashing every character."""
    marks = _combining_marks()
    return any(m.group() in marks for m in _combining_pattern().finditer(text))


def _build_fold_map() -> CharMap:
    changes: dict[str, str] = {}
    for c in map(chr, range(0x110000)):
        folded = unicodedata.normalize("NFKC", c).lower()  # what ``_FOLD`` holds for c
        if folded != c:
            changes[c] = folded
    return CharMap(changes, _FOLD)


def _fold_map() -> CharMap:
    """``text.translate(_FOLD)`` for every character that NFKC + lowercase changes.

    Built once per process from the whole of Unicode (~0.2 s, in ``warm_up``), so
    that no character the translate would change is missed.
    """
    return _once("fold", _build_fold_map)


def normalize_with_offsets(text: str) -> Normalized:
    """t2s, then NFKC width folding, then lowercase, keeping an offset map.

    NFKC and ``lower()`` can change length (``㎡`` -> ``m2``, ``İ`` -> ``i̇``), so
    they are applied per cluster (a base char and its combining marks) and every
    output char remembers the cluster it came from.
    """
    converted = t2s(text)
    if unicodedata.is_normalized("NFKC", converted):
        lowered = converted.lower()
        if len(lowered) == len(converted):
            return Normalized(lowered)
    if not _has_combining_mark(converted):
        # Every cluster is one char: fold them all at C speed (full-width ，：（） in
        # most captures made the loop below a tenth of the index time).
        folded = _fold_map()(converted)
        if len(folded) == len(converted):
            return Normalized(folded)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(converted)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(converted[j]):
            j += 1
        piece = unicodedata.normalize("NFKC", converted[i:j]).lower()
        out.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([j] * len(piece))
        i = j
    return Normalized("".join(out), starts, ends)


def normalize(text: str) -> str:
    """The normalized form used for indexing and querying."""
    return normalize_with_offsets(text).text
