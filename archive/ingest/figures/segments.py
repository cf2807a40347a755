"""Sentences, clauses and name spans: the context a figure is read in.

Clean text has one paragraph per line and either full-width (，。) or half-width
(,.) punctuation — the seeds use half-width commas throughout — so both count.
A half-width full stop is a decimal point (4.48万), never a sentence end.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

TERMINATORS = "。！？!?"
SENTENCE_END = TERMINATORS + "\n\r"
CLAUSE_END = SENTENCE_END + "，,；;：:"

_SENTENCE_RE = re.compile(rf"[^{SENTENCE_END}]+[{TERMINATORS}]*")
#: 《…》 titles and 〈…〉 are always names (《兰州市“30万大学生留兰就业创业”行动计划》).
_TITLE_RE = re.compile(r"《[^《》\n]*》|〈[^〈〉\n]*〉")
#: Quotation marks, paired within a line. ASCII quotes pair left to right.
_QUOTE_RE = re.compile(r"“[^“”\n]*”|「[^「」\n]*」|『[^『』\n]*』|‘[^‘’\n]*’|\"[^\"\n]*\"")
#: A quoted span this short is a name (“黄金30条”, “十万大学生留呼工程”,
#: “1小时人才圈”), not reported speech; figures inside it are skipped.
MAX_NAME_QUOTE = 20


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def sentence_spans(text: str) -> list[Span]:
    """Sentences, leading blanks excluded, each with its closing punctuation."""
    spans = []
    for m in _SENTENCE_RE.finditer(text):
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        if start < m.end():
            spans.append(Span(start, m.end()))
    return spans


def clause_around(text: str, start: int, end: int, within: Span) -> Span:
    """The text between the clause punctuation on either side of ``[start, end)``."""
    return bounds(text, start, end, within, CLAUSE_END)


def bounds(text: str, start: int, end: int, within: Span, stops: str) -> Span:
    """The span around ``[start, end)`` up to the nearest ``stops`` inside ``within``.

    Found by regular expressions (C) rather than a character loop: figures ask
    for several spans each and the loops were a tenth of ``extract_figures``.
    """
    last_stop, next_stop = _stop_finders(stops)
    left, right = start, end
    if start > within.start:
        before = last_stop.match(text, within.start, start)
        left = before.end() if before else within.start
    if end < within.end:
        after = next_stop.search(text, end, within.end)
        right = after.start() if after else within.end
    return Span(left, right)


@cache
def _stop_finders(stops: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(everything up to the last stop, the first stop) for ``bounds``."""
    chars = "".join(f"\\U{ord(ch):08x}" for ch in stops)
    return re.compile(rf"(?s).*[{chars}]"), re.compile(rf"[{chars}]")


def name_spans(text: str) -> SpanIndex:
    """Book titles and short quotations: figures inside them are names, not data."""
    spans = [Span(m.start(), m.end()) for m in _TITLE_RE.finditer(text)]
    spans += [
        Span(m.start(), m.end())
        for m in _QUOTE_RE.finditer(text)
        if len(m.group()) - 2 <= MAX_NAME_QUOTE
    ]
    return SpanIndex(spans)


class SpanIndex:
    """Sorted spans answering "which span holds pos" and "is this range inside one"
    in logarithmic time, so long reports stay linear overall. Spans may nest
    (a quotation inside a book title)."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = sorted(spans, key=lambda s: (s.start, s.end))
        self.starts = [s.start for s in self.spans]
        self.reach = list(accumulate((s.end for s in self.spans), max))

    def at(self, pos: int) -> Span | None:
        """The last span starting at or before ``pos`` if it holds ``pos``."""
        i = bisect_right(self.starts, pos) - 1
        if i >= 0 and self.spans[i].start <= pos < self.spans[i].end:
            return self.spans[i]
        return None

    def covers(self, start: int, end: int) -> bool:
        """True if ``[start, end)`` lies within one of the spans."""
        i = bisect_right(self.starts, start)
        return i > 0 and self.reach[i - 1] >= end

    def between(self, start: int, end: int) -> list[Span]:
        """The spans lying within ``[start, end)``."""
        i, j = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return [s for s in self.spans[i:j] if s.end <= end]
