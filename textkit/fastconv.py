"""OpenCC's conversion without its substring search (same output, ~100x faster)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from textkit.charmap import _MAX_ANCHORED, _MAX_REPLACES, CharMap, class_pattern, distinct_members


class FastConversion:
    """OpenCC's conversion, with the same output as ``OpenCC.convert``, ~100x faster.

    Why: opencc-python-reimplemented 0.1.7 converts by repeatedly scanning every
    substring of every chunk for the longest dictionary key (``StringTree``); the
    ingest pipeline, the indexer and the highlighter call ``t2s`` on every text
    several times, and it was half of the import time (docs/benchmarks.md).

    Same result, by construction of OpenCC's algorithm (opencc/opencc.py): text is
    split at separators (no key can span one); within a chunk, phrase keys are
    taken longest first, leftmost among equals, never overlapping one taken
    before; the characters outside taken phrases are mapped one by one (the
    character dictionary has single-character keys only); a value with
    alternatives (``干 乾``) gives its first. tests/test_segmentation_equivalence.py
    compares the two on the seeds, the generated corpus and random strings.
    """

    def __init__(self, reference: Any) -> None:
        """``reference``: the ``opencc.OpenCC`` whose dictionaries it reads."""
        chain = reference._dict_chain_data  # [[phrases, characters]]: t2s.json, s2t.json
        if len(chain) != 1 or len(chain[0]) != 2:
            raise ValueError("expected one group of two dictionaries")
        (_, _, phrases), (max_len, min_len, chars) = chain[0]
        if (max_len, min_len) != (1, 1):
            raise ValueError("expected a character dictionary of single characters")
        separators = reference.split_chars_re
        self._phrases = {k: v.split(" ")[0] for k, v in phrases.items() if not separators.search(k)}
        values = {k: v.split(" ")[0] for k, v in chars.items()}
        if any(len(v) != 1 for v in values.values()):
            raise ValueError("expected single-character values")  # see ``__call__``
        self._chars = str.maketrans(values)
        self._char_map = CharMap({k: v for k, v in values.items() if k != v}, self._chars)
        lengths: dict[str, set[int]] = {}
        for key in self._phrases:
            lengths.setdefault(key[0], set()).add(len(key))
        self._lengths = {c: sorted(ls, reverse=True) for c, ls in lengths.items()}
        self._starts = re.compile("[" + "".join(map(re.escape, sorted(lengths))) + "]")
        # Text with none of these cannot change: every key holds a character key
        # or is one of the few phrases made only of unchanged characters (有序).
        self._changing = frozenset(chars)
        self._plain = [k for k in self._phrases if self._changing.isdisjoint(k)]
        self._key_chars = class_pattern(self._changing)
        # Every other phrase holds a dictionary character; it is looked for where its
        # first one (its anchor) occurs: (phrase, the anchor's index in it).
        self._anchored: dict[str, list[tuple[str, int]]] = {}
        for key in self._phrases:
            at = next((i for i, c in enumerate(key) if c in self._changing), None)
            if at is not None:
                self._anchored.setdefault(key[at], []).append((key, at))

    def __call__(self, text: str) -> str:
        present = distinct_members(self._key_chars, self._changing, text, _MAX_REPLACES)
        if present is not None and not present and not any(k in text for k in self._plain):
            return text
        if present is None or sum(len(self._anchored.get(c, ())) for c in present) > _MAX_ANCHORED:
            occurrences = list(self._occurrences(text))  # many candidates: look everywhere
        else:
            occurrences = self._anchored_occurrences(text, present)
        taken: list[tuple[int, int, str]] = []
        used = bytearray(len(text))
        for start, end in sorted(occurrences, key=lambda o: (o[0] - o[1], o[0])):
            if not any(used[start:end]):
                used[start:end] = b"\x01" * (end - start)
                taken.append((start, end, self._phrases[text[start:end]]))
        # Characters map one to one, so mapping the whole text and then pasting the
        # phrases equals mapping only the text between them.
        converted = self._char_map(text)
        if not taken:
            return converted
        out: list[str] = []
        last = 0
        for start, end, value in sorted(taken):
            out.append(converted[last:start])
            out.append(value)
            last = end
        out.append(converted[last:])
        return "".join(out)

    def _anchored_occurrences(self, text: str, present: set[str]) -> list[tuple[int, int]]:
        """``_occurrences`` for a text holding only the dictionary characters ``present``.

        Why: a Simplified report holds a few dictionary characters (覆 and 藉 map to
        themselves) but ~200 places where some phrase could start; testing each cost
        ~0.1 ms per report, testing the phrases anchored on where ``present`` occur
        a few µs. Each occurrence is found once: at its phrase's anchor.
        """
        found: list[tuple[int, int]] = []
        for phrase in self._plain:
            at = text.find(phrase)
            while at >= 0:
                found.append((at, at + len(phrase)))
                at = text.find(phrase, at + 1)
        for char in present:
            anchored = self._anchored.get(char, ())
            at = text.find(char)
            while at >= 0:
                for phrase, offset in anchored:
                    start = at - offset
                    if start >= 0 and text.startswith(phrase, start):
                        found.append((start, start + len(phrase)))
                at = text.find(char, at + 1)
        return found

    def _occurrences(self, text: str) -> Iterator[tuple[int, int]]:
        """Every (start, end) of a phrase key in ``text``, overlapping ones included."""
        n = len(text)
        for m in self._starts.finditer(text):
            i = m.start()
            for length in self._lengths[m.group()]:
                if i + length <= n and text[i : i + length] in self._phrases:
                    yield i, i + length
