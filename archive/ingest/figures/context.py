"""A figure's qualifier (最高, 每年, 余, 近三年…) and the year its sentence speaks of.

Qualifier rule (also stated in the package docstring): every qualifier
found is kept, in the order it appears in the text, joined with "、" — so
"每年最高给予10万元" gives "每年、最高" and "近千余名" gives "近、余". Nothing is
dropped, and a single qualifier (the common case) is the bare word.
"""

from __future__ import annotations

import re

from .cues import ADJACENT_QUALIFIERS, CLAUSE_QUALIFIERS, PERIOD_QUALIFIER_RE
from .segments import CLAUSE_END, Span

QUALIFIER_SEPARATOR = "、"
#: A lead clause this short is a time frame for the whole sentence ("近三年,").
MAX_LEAD_CLAUSE = 8

_CLAUSE_QUALIFIER_RE = re.compile(
    "|".join([PERIOD_QUALIFIER_RE, *sorted(CLAUSE_QUALIFIERS, key=len, reverse=True)])
)
_ADJACENT_RE = re.compile(
    "(?:" + "|".join(sorted(ADJACENT_QUALIFIERS, key=len, reverse=True)) + ")$"
)
_PERIOD_RE = re.compile(PERIOD_QUALIFIER_RE)

#: 2023年 / 2019-2021年 / 截至2022年底. Group "end" is the year meant.
_YEAR_RE = re.compile(r"(?:(?:19|20)\d{2}\s*[-—–至到]\s*)?(?P<end>(?:19|20)\d{2})\s*年(?!\d)")
#: "较2019年增长" / "是2019年的4.7倍": a year of comparison, not of the figure.
_COMPARED_BEFORE = ("较", "比", "同比", "相比", "是", "于")
#: "2018年以来" / "自2017年起": the start of a period, so the figure has no year.
_SINCE_AFTER = re.compile(r"度?(?:以来|来|起|开始)")


def qualifier(folded: str, clause: Span, sentence: Span, start: int, suffixes: list[str]) -> str:
    """Qualifiers of the figure starting at ``start``, joined by the rule above."""
    found: list[tuple[int, str]] = []
    lead = _lead_clause(folded, sentence)
    if lead is not None and lead.end <= clause.start:
        found += [(m.start(), m.group()) for m in _PERIOD_RE.finditer(folded, lead.start, lead.end)]
    found += [
        (m.start(), m.group()) for m in _CLAUSE_QUALIFIER_RE.finditer(folded, clause.start, start)
    ]
    adjacent = _ADJACENT_RE.search(folded, clause.start, start)
    if adjacent:
        found.append((adjacent.start(), adjacent.group()))
    words = [word for _, word in sorted(found)] + suffixes
    return QUALIFIER_SEPARATOR.join(dict.fromkeys(words))


def _lead_clause(folded: str, sentence: Span) -> Span | None:
    for i in range(sentence.start, min(sentence.end, sentence.start + MAX_LEAD_CLAUSE + 1)):
        if folded[i] in CLAUSE_END:
            return Span(sentence.start, i)
    return None


def sentence_year(folded: str, sentence: Span, clause: Span, start: int) -> int | None:
    """The year nearest before the figure in its sentence (else after it, in its clause).

    Years of comparison (较2019年) and period starts (2018年以来) are not the
    figure's year; a sentence about "since 2018" gets None rather than 2018.
    """
    before = [m for m in _YEAR_RE.finditer(folded, sentence.start, start)]
    after = [m for m in _YEAR_RE.finditer(folded, start, clause.end)]
    for m in [*reversed(before), *after]:
        if _compared(folded, m.start(), sentence.start):
            continue
        if _SINCE_AFTER.match(folded, m.end()) or _since_in_clause(folded, m.end(), start):
            return None
        return int(m.group("end"))
    return None


def _compared(folded: str, pos: int, floor: int) -> bool:
    head = folded[max(floor, pos - 2) : pos]
    return any(head.endswith(word) for word in _COMPARED_BEFORE)


def _since_in_clause(folded: str, year_end: int, start: int) -> bool:
    """ "2018年开展…工作以来,共引进…" — 以来 closes the year's clause."""
    i = year_end
    while i < len(folded) and folded[i] not in CLAUSE_END:
        i += 1
    return i <= start and folded[year_end:i].endswith("以来")
