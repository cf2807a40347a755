"""Replacing the few characters of a text that change, faster than ``str.translate``.

Shared by the OpenCC fast path (``textkit.fastconv``) and the NFKC fold
(``textkit.normalization``): both map single characters, and a report usually
holds only a handful of distinct characters that a table would change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Above this many distinct changing characters, one ``str.translate`` pass is
#: cheaper than a ``str.replace`` pass per character.
_MAX_REPLACES = 24
#: Above this many phrases anchored on the dictionary characters a text holds,
#: testing every possible phrase start is cheaper (s2t: 的 anchors thousands).
_MAX_ANCHORED = 200


def class_pattern(chars: Iterable[str]) -> re.Pattern[str]:
    """A regex class of ``chars`` in the Basic Multilingual Plane, plus every astral char.

    Why: ``re`` tests a BMP class member in a bitmap (a 5,000-character report is
    scanned in ~15 µs), but astral members one by one (a class with the 350
    supplementary-plane keys of OpenCC took 1.5 ms). Astral text is rare, so any
    astral character is a candidate and callers check membership themselves.
    """
    points = sorted({ord(c) for c in chars if ord(c) < 0x10000})
    ranges: list[tuple[int, int]] = []
    for cp in points:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    body = "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)
    return re.compile(f"[{body}\\U00010000-\\U0010ffff]")


def distinct_members(
    pattern: re.Pattern[str], members: frozenset[str] | dict[str, str], text: str, limit: int
) -> set[str] | None:
    """The distinct ``members`` in ``text`` (``pattern`` is their ``class_pattern``),
    or None as soon as there are more than ``limit`` of them."""
    found: set[str] = set()
    for m in pattern.finditer(text):
        if (c := m.group()) in members:
            found.add(c)
            if len(found) > limit:
                return None
    return found


class CharMap:
    """``text.translate(table)`` for a table of single-character keys, faster when
    few distinct characters of the text change.

    Why: ``str.translate`` looks every character up in the table (~65 ns each,
    0.3 ms for a report); a report usually holds a handful of distinct characters
    that change (full-width ，：（）, a Traditional form or two), and ``str.replace``
    for each of them runs at memory speed. Replacing one character after another
    equals translating all at once unless a replacement holds a character still to
    be replaced; then, and for many distinct characters, it translates.
    """

    def __init__(self, changes: dict[str, str], table: dict[int, str]) -> None:
        self._changes = changes  # only keys whose value differs from the key
        self._table = table
        self._pattern = class_pattern(changes)

    def __call__(self, text: str) -> str:
        found = distinct_members(self._pattern, self._changes, text, _MAX_REPLACES)
        if found is None:
            return text.translate(self._table)
        if not found:
            return text
        values = [self._changes[c] for c in found]
        if any(not found.isdisjoint(v) for v in values):
            return text.translate(self._table)
        for char, value in zip(found, values, strict=True):
            text = text.replace(char, value)
        return text
