"""Policy figures in a clean report: value, unit, qualifier, year, dimension.

Scanning runs on a folded copy of the text (``fold.fold``: same length, table
characters in Simplified), so offsets, surfaces and sentences come from the
original and keep its script. A candidate is NUMBER…UNIT from ``units``; it is
dropped when it sits in a name (《…》, a short quotation), follows 第 (ranks,
ordinals) or a letter/digit (document numbers such as S09030288号), or is the
article 一 (一批, 一个).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal

from .beneficiary import figure_beneficiary
from .context import qualifier, sentence_year
from .dimensions import Classifier, Cue
from .fold import fold
from .kinds import acceptable_condition, figure_kind, unit_is_condition
from .numbers import SCALES, as_number, parse_arabic, parse_chinese, scale_value
from .segments import Span, SpanIndex, bounds, clause_around, name_spans, sentence_spans
from .units import FIGURE_RE, PER_SUFFIXES, UNIT_FALSE_STARTS, UNITS

#: Characters that make a following number part of something else: 第30位 (rank),
#: S09030288 (document number), 0931-8 (phone), 2.0, 数十家 / 几百人 (vague).
_BLOCKING_BEFORE = re.compile(r"[第数几若A-Za-z0-9.\-—/#＃]")
#: 前10名 / 后5位 are ranks, not head counts.
_RANK_BEFORE = "前后"
_RANK_UNITS = ("名", "位")


@dataclass(frozen=True)
class Figure:
    """One number a report states, with the evidence an analyst checks it by.

    ``value`` is normalized (yuan, persons, m², …); ``text`` is the surface as
    printed at ``text[start:end]`` of the report; ``cue`` is the word that decided
    ``dimension`` (empty when ``dimension`` is None).
    """

    value: int | float
    unit: str
    text: str
    qualifier: str
    year: int | None
    dimension: str | None
    sentence: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    cue: str = ""
    kind: str = ""
    kind_cue: str = ""
    beneficiary: str = ""
    beneficiary_cue: str = ""

    def as_dict(self) -> dict:
        """Plain fields for JSON; the API adds ``report_id`` and ``url``."""
        return asdict(self)


def extract_figures(text: str) -> list[Figure]:
    """Every policy figure in ``text`` (clean text, either script), in text order.

    Figures without a dimension cue are returned too (dimension None): the report
    page lists them, the compare view uses only classified ones.
    """
    folded = fold(text)
    sentences = SpanIndex(sentence_spans(text))
    names = name_spans(folded)
    matches = list(FIGURE_RE.finditer(folded))
    classifier = Classifier(folded, names, SpanIndex([Span(m.start(), m.end()) for m in matches]))
    figures: list[Figure] = []
    previous: tuple[Span, Cue | None] | None = None
    for m in matches:
        sentence = sentences.at(m.start())
        value = _value(m) if sentence and _acceptable(folded, m, names) else None
        if not value or sentence is None:
            continue
        inherited = previous[1] if previous and previous[0] == sentence else None
        figure, cue = _figure(text, classifier, m, value, sentence, inherited)
        if figure is not None:
            figures.append(figure)
            previous = (sentence, cue)
    return figures


def _acceptable(folded: str, m: re.Match[str], names: SpanIndex) -> bool:
    start, unit = m.start(), m.group("unit")
    before = folded[start - 1] if start else ""
    if before and _BLOCKING_BEFORE.match(before):
        return False
    if unit in _RANK_UNITS and before and before in _RANK_BEFORE:
        return False
    following = folded[m.end("unit") : m.end("unit") + 1] if unit else ""
    if following and not m.group("per") and following in UNIT_FALSE_STARTS.get(unit, ""):
        return False
    if _lone_chinese_digit(m):
        return False
    return not names.covers(start, m.end())


def _lone_chinese_digit(m: re.Match[str]) -> bool:
    """一批 / 两个转型 / 三元合一 / 四项行动: an article or a slogan, not a statistic.

    Statistics are printed in Arabic digits; a lone Chinese digit before a measure
    word is kept only as a head count (三名, 两位), and never when it is 一.
    """
    number, unit = m.group("number"), m.group("unit")
    if len(number) != 1 or number.isdigit() or m.group("scale"):
        return False
    return number == "一" or UNITS.get(unit or "") not in ("person", "person_time")


def _value(m: re.Match[str]) -> int | float | None:
    """NUMBER × SCALE, exact: 1.5786亿 -> 157860000, 近千万 -> 10000000."""
    number = m.group("number")
    if number[0].isdigit():
        base = parse_arabic(number)
    elif number in SCALES:
        base = Decimal(SCALES[number])
    else:
        parsed = parse_chinese(number)
        base = None if parsed is None else Decimal(parsed)
    if base is None:
        return None
    return as_number(base * scale_value(m.group("scale") or ""))


def _unit(classifier: Classifier, m: re.Match[str], sentence: Span) -> str:
    """The API unit; 户 counts households only where housing is the topic."""
    if m.group("noun"):
        return "person"
    if m.group("unit") == "户":
        cue = classifier.classify("unit", m.start(), m.end(), sentence)
        return "unit" if cue and cue.dimension == "housing" else "item"
    return UNITS[m.group("unit")]


def _figure(
    text: str,
    classifier: Classifier,
    m: re.Match[str],
    value: int | float,
    sentence: Span,
    previous: Cue | None,
) -> tuple[Figure | None, Cue | None]:
    folded = classifier.folded
    end = m.end("per") if m.group("per") else m.end("unit") if m.group("unit") else m.end()
    clause = clause_around(folded, m.start(), end, sentence)
    unit = _unit(classifier, m, sentence)
    suffixes = [q for q in (m.group("approx"), m.group("approx2"), m.group("after")) if q]
    if m.group("per"):
        suffixes.append(PER_SUFFIXES[m.group("per")])
    if unit_is_condition(unit) and not acceptable_condition(folded, unit, clause):
        return None, previous
    cue = classifier.classify(unit, m.start(), end, sentence, previous)
    kind = figure_kind(folded, unit, suffixes, clause, m.start(), end)
    item = bounds(folded, m.start(), end, clause, "、")
    who = figure_beneficiary(folded, unit, kind.value, sentence, clause, item, Span(m.start(), end))
    dimension = cue.dimension if cue else None
    if dimension is None and unit_is_condition(unit):
        dimension = "settlement"  # see cues.DIMENSION_UNITS
    figure = Figure(
        value=value,
        unit=unit,
        text=text[m.start() : end],
        qualifier=qualifier(folded, clause, sentence, m.start(), suffixes),
        year=sentence_year(folded, sentence, clause, m.start()),
        dimension=dimension,
        sentence=text[sentence.start : sentence.end],
        start=m.start(),
        end=end,
        sentence_start=sentence.start,
        sentence_end=sentence.end,
        cue=text[cue.start : cue.end] if cue and cue.dimension else "",
        kind=kind.value,
        kind_cue=kind.evidence,
        beneficiary=who.value,
        beneficiary_cue=who.evidence,
    )
    return figure, cue
