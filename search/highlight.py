"""Highlighted snippets of the ORIGINAL-script text.

Matching runs on the normalized text (``textkit.normalize_with_offsets``), so a
Simplified query (泸州) finds the Traditional 瀘州 of seed 004, and the offset map
puts the ``<mark>`` back on the characters as uploaded. Terms are matched as
substrings of Han text (jieba's segmentation is not needed to place a mark) and
as whole runs for letters and digits (the term ``a`` must not mark "data").

Snippets are the densest windows (most distinct terms, then most matches) of at
most ``context`` characters either side of a match, pulled back to the sentence
start/end when one is within reach. Everything outside the marks is HTML-escaped:
the output is safe to insert in a page, the input is an uploaded document.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import html
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

import textkit
from search.query import ParsedQuery

SENTENCE_ENDS = "。！？；!?;\n"
ELLIPSIS = "…"
# A letter/digit that is not Han: the boundary of a word-run term.
_WORD_CHAR = rf"(?:(?![{textkit.HAN}])[^\W_])"
_SPACES_RE = re.compile(r"\s+")
_SENTENCE_END_RE = re.compile(f"[{re.escape(SENTENCE_ENDS)}]")
#: the hits of one search are often the hits of the next (paging, facets, re-sorting):
#: their normalized text and offsets are kept for a few hundred reports.
_normalized = functools.lru_cache(maxsize=256)(textkit.normalize_with_offsets)


@dataclass
class _Match:
    start: int
    end: int
    terms: set[int] = field(default_factory=set)


@functools.lru_cache(maxsize=1024)
def _term_pattern(term: str) -> re.Pattern[str] | None:
    """Regex for a normalized term: its units, optional spaces between Han units.

    Cached: every hit of a page, and the next page, asks for the same terms.
    """
    units = textkit.gram_units(term)
    if not units:
        return None
    parts: list[str] = []
    for prev, unit in zip([None, *units], units, strict=False):
        if prev is not None:
            both_words = not textkit.is_han(prev.text) and not textkit.is_han(unit.text)
            parts.append(r"\s+" if both_words else r"\s*")
        parts.append(re.escape(unit.text))
    if not textkit.is_han(units[0].text):
        parts.insert(0, rf"(?<!{_WORD_CHAR})")
    if not textkit.is_han(units[-1].text):
        parts.append(rf"(?!{_WORD_CHAR})")
    return re.compile("".join(parts))


def find_matches(original_text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Original-text spans of all term occurrences, overlapping ones merged."""
    return [(m.start, m.end) for m in _matches(original_text, list(terms))]


def _matches(original_text: str, terms: list[str]) -> list[_Match]:
    norm = _normalized(original_text)
    return _merged(norm, _term_spans(norm, terms))


Span = tuple[int, int, int]  # normalized start, end, the term's index


def _term_spans(norm: textkit.Normalized, terms: list[str]) -> list[Span]:
    """Every occurrence of each distinct term in the normalized text, term by term."""
    spans: list[Span] = []
    for index, term in enumerate(dict.fromkeys(terms)):
        pattern = _term_pattern(term)
        if pattern is not None:
            spans += [(m.start(), m.end(), index) for m in pattern.finditer(norm.text)]
    return spans


def _merged(norm: textkit.Normalized, spans: list[Span]) -> list[_Match]:
    """The spans on the original text, sorted, overlapping ones merged."""
    found = [_Match(*norm.span(start, end), {index}) for start, end, index in spans]
    found.sort(key=lambda m: (m.start, -m.end))
    merged: list[_Match] = []
    for m in found:
        if merged and m.start < merged[-1].end:
            merged[-1].end = max(merged[-1].end, m.end)
            merged[-1].terms |= m.terms
        else:
            merged.append(m)
    return merged


def _window(text: str, m: _Match, context: int, bounds: list[int]) -> tuple[int, int]:
    """Up to ``context`` chars each side, snapped to a sentence boundary in reach."""
    i = bisect.bisect_right(bounds, m.start) - 1
    sentence_start = bounds[i] if i >= 0 else 0
    start = sentence_start if m.start - sentence_start <= context else m.start - context
    j = bisect.bisect_left(bounds, m.end)
    sentence_end = bounds[j] if j < len(bounds) else len(text)
    end = sentence_end if sentence_end - m.end <= context else m.end + context
    return start, end


Segment = tuple[str, bool]  # (text, is_match)


def _segments(text: str, start: int, end: int, marks: list[_Match]) -> list[Segment]:
    """The snippet as plain-text pieces: templates escape each one themselves."""
    out: list[Segment] = []
    pos = start
    for m in marks:
        out.append((text[pos : m.start], False))
        out.append((text[m.start : m.end], True))
        pos = m.end
    out.append((text[pos:end], False))
    out = [(_SPACES_RE.sub(" ", piece), marked) for piece, marked in out if piece]
    if out and not out[0][1]:
        out[0] = (out[0][0].lstrip(), False)
    if out and not out[-1][1]:
        out[-1] = (out[-1][0].rstrip(), False)
    if start > 0 and text[start - 1] not in SENTENCE_ENDS:
        out.insert(0, (ELLIPSIS, False))
    if end < len(text) and text[end - 1] not in SENTENCE_ENDS:
        out.append((ELLIPSIS, False))
    return [(piece, marked) for piece, marked in out if piece]


def render_segments(segments: list[Segment], tag: str = "mark") -> str:
    """HTML of a snippet: everything escaped, matches wrapped in ``<mark>`` (or
    ``tag``: haystack's API marks with ``<em>``, as its own backends do)."""
    return "".join(
        f"<{tag}>{html.escape(piece)}</{tag}>" if marked else html.escape(piece)
        for piece, marked in segments
    )


class _SnippetMemo:
    """Snippets by (digest of the text, terms, sizes), least recently used dropped.

    The hits of one search are the hits of its next request (the same address
    again, the next page, a facet toggled): finding and ranking the windows was
    a third of a warm /api/search (issue 15's profile). Keyed by a digest, not the
    text, so the memo holds no report's text; the answer is the pure function's.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple, tuple[tuple[Segment, ...], ...]] = OrderedDict()

    def get(self, key: tuple) -> tuple[tuple[Segment, ...], ...] | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: tuple, snippets: tuple[tuple[Segment, ...], ...]) -> None:
        with self._lock:
            self._kept[key] = snippets
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def forget(self) -> None:
        with self._lock:
            self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)


#: two pages of 50 hits for a few dozen queries; a snippet is a few hundred bytes.
_snippets = _SnippetMemo(4096)


def highlight_segments(
    original_text: str,
    terms: ParsedQuery | Iterable[str],
    *,
    max_snippets: int = 3,
    context: int = 40,
) -> list[list[Segment]]:
    """Up to ``max_snippets`` snippets as (text, is_match) pieces, best first."""
    wanted = tuple(terms.highlight_terms if isinstance(terms, ParsedQuery) else terms)
    raw = original_text.encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(raw, digest_size=16).digest()
    key = (digest, len(original_text), wanted, max_snippets, context)
    found = _snippets.get(key)
    if found is None:
        found = _find_segments(original_text, list(wanted), max_snippets, context)
        _snippets.put(key, found)
    return [list(snippet) for snippet in found]


def _find_segments(
    original_text: str, wanted: list[str], max_snippets: int, context: int
) -> tuple[tuple[Segment, ...], ...]:
    """``highlight_segments`` computed (a tuple of tuples: the memo's values are shared)."""
    if max_snippets < 1:
        return ()
    norm = _normalized(original_text)
    spans = _term_spans(norm, wanted)
    arrays = _arrays(norm, spans)
    if arrays is not None:
        return _find_segments_np(original_text, *arrays, max_snippets, context)
    matches = _merged(norm, spans)
    if not matches:
        return ()
    chosen: list[tuple[int, int, list[_Match]]] = []
    for _, start, end, lo, hi in _ranked_windows(original_text, matches, context):
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, matches[lo:hi]))
            if len(chosen) == max_snippets:
                break
    return tuple(tuple(_segments(original_text, s, e, inside)) for s, e, inside in chosen)


#: matches of a text from which its windows are found with numpy (``_find_segments_np``):
#: a common word (人才) matches dozens of times a report, and ranking a window per
#: match in Python took ~0.3 ms a hit, ~0.2 ms with numpy (issue 18 stop 24).
#: Below it the Python loop is cheaper. Tests set it to 0 and to a huge number.
VECTOR_MIN = 24


def _match_arrays(
    original_text: str, terms: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """``_matches`` as arrays (starts, ends, term bit masks), or None where the Python
    path serves (``_arrays``)."""
    norm = _normalized(original_text)
    return _arrays(norm, _term_spans(norm, terms))


def _arrays(
    norm: textkit.Normalized, spans: list[Span]
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """``_merged`` as arrays, or None where the Python path serves: few matches, a
    term past the 62nd (its bit), or a text whose normalized form does not keep
    every offset (combining marks, ㎡ → m2)."""
    if norm.starts is not None or len(spans) < max(VECTOR_MIN, 1):
        return None
    found = np.array(spans, dtype=np.int64)
    if found[:, 2].max() > 61:
        return None
    order = np.lexsort((-found[:, 1], found[:, 0]))  # by start, then longest first
    starts, ends = found[order, 0], found[order, 1]
    masks = np.left_shift(1, found[order, 2])
    # merged as ``_merged`` merges: a match starting before the running end joins it
    reach = np.maximum.accumulate(ends)
    first = np.flatnonzero(np.concatenate(([True], starts[1:] >= reach[:-1])))
    return starts[first], np.maximum.reduceat(ends, first), np.bitwise_or.reduceat(masks, first)


def _find_segments_np(
    text: str,
    starts: np.ndarray,
    ends: np.ndarray,
    masks: np.ndarray,
    max_snippets: int,
    context: int,
) -> tuple[tuple[Segment, ...], ...]:
    """``_find_segments`` over merged match arrays: every window, its count and its
    distinct terms at once, ranked as ``_ranked_windows`` ranks (stable on ties)."""
    bounds = np.array([m.end() for m in _SENTENCE_END_RE.finditer(text)], dtype=np.int64)
    if len(bounds):
        i = np.searchsorted(bounds, starts, "right") - 1
        sentence_start = np.where(i >= 0, bounds[np.maximum(i, 0)], 0)
        j = np.searchsorted(bounds, ends, "left")
        sentence_end = np.where(j < len(bounds), bounds[np.minimum(j, len(bounds) - 1)], len(text))
    else:
        sentence_start, sentence_end = np.zeros_like(starts), np.full_like(ends, len(text))
    first = np.where(starts - sentence_start <= context, sentence_start, starts - context)
    last = np.where(sentence_end - ends <= context, sentence_end, ends + context)
    lo = np.searchsorted(starts, first, "left")
    hi = np.searchsorted(ends, last, "right")
    first = np.minimum(first, starts)
    distinct = np.zeros(len(starts), dtype=np.int64)
    for bit in range(int(np.bitwise_or.reduce(masks)).bit_length()):
        held = np.concatenate(([0], np.cumsum((masks >> bit) & 1)))
        distinct += (held[hi] - held[lo]) > 0
    ranked = np.lexsort((np.arange(len(starts)), first, lo - hi, -distinct))
    chosen: list[tuple[int, int, int, int]] = []
    for k in ranked.tolist():
        start, end = int(first[k]), int(last[k])
        if all(end <= s or start >= e for s, e, _, _ in chosen):
            chosen.append((start, end, int(lo[k]), int(hi[k])))
            if len(chosen) == max_snippets:
                break
    return tuple(
        tuple(_segments(text, s, e, [_Match(int(starts[x]), int(ends[x])) for x in range(a, b)]))
        for s, e, a, b in chosen
    )


def _ranked_windows(
    text: str, matches: list[_Match], context: int
) -> list[tuple[tuple[int, int, int], int, int, int, int]]:
    """Each match's window as (rank, start, end, first, past-last match inside), best
    first: most distinct terms, then most matches, then earliest (stable on ties).

    The matches inside a window are a slice: merged matches do not overlap, so
    their starts and their ends both ascend (a match ending by the window's end
    starts before it). Counting the slice instead of building it, and taking the
    distinct terms as 1 when every match holds the same single term, keeps a page
    of a common word (dozens of matches per report) from building a list per match.
    """
    bounds = [m.end() for m in _SENTENCE_END_RE.finditer(text)]
    starts = [m.start for m in matches]
    ends = [m.end for m in matches]
    one_term = len(set().union(*(m.terms for m in matches))) == 1
    candidates = []
    for m in matches:
        start, end = _window(text, m, context, bounds)
        lo = bisect.bisect_left(starts, start)
        hi = bisect.bisect_right(ends, end, lo)
        start = min(start, m.start)
        distinct = 1 if one_term else len(set().union(*(x.terms for x in matches[lo:hi])))
        candidates.append(((-distinct, lo - hi, start), start, end, lo, hi))
    candidates.sort(key=lambda c: c[0])
    return candidates


def highlight(
    original_text: str,
    terms: ParsedQuery | Iterable[str],
    *,
    max_snippets: int = 3,
    context: int = 40,
    tag: str = "mark",
) -> list[str]:
    """Up to ``max_snippets`` HTML snippets, best first; [] when nothing matches.

    ``terms`` is a ``ParsedQuery`` (its ``highlight_terms``) or normalized strings.
    """
    snippets = highlight_segments(original_text, terms, max_snippets=max_snippets, context=context)
    return [render_segments(segments, tag) for segments in snippets]
