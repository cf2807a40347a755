"""Which policy dimension a figure measures, from the cue words around it.

Cues are looked for in widening circles, and the first circle with a usable cue
decides; inside a circle the cue nearest to the figure wins (ties: the longer cue):

1. the figure's list item (text between punctuation including 、);
2. its clause (between ，；：。 …) — "人才公寓6000余套、青年人才驿站300套";
3. a clause opening with 其中 takes the dimension of the figure before it
   ("新增技能人才1.1万人，其中高级工2726人");
4. its stretch: the sentence, cut at semicolons, which separate unrelated facts in
   long list sentences ("引进…17人;享受国家政府津贴82人", seed 000), and only
   within ``STRETCH_REACH`` characters of the figure.

In circles 2 and 4 a cue that sits in another item/clause *with a number of its
own* belongs to that number and is skipped — except, in circle 2, verbs that govern
a whole 、-list ("柔性引进院士专家34人、急需紧缺人才750余人", seed 003). Cues
inside names (《…》, short quotations: “引才大使”) never count, nor does a noun
cue with 等 between it and the figure: it names an example of a broader total
("博士后科研工作站等平台载体1443家", seed 003), while a verb before 等 still
governs ("引进李烈…等10名…专家").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .cues import BLOCKERS, DIMENSION_CUES, DIMENSION_UNITS, CueRule
from .segments import CLAUSE_END, Span, SpanIndex, bounds

ITEM_END = CLAUSE_END + "、"
STRETCH_END = "；;"
#: In circle 4 a cue further than this from the figure is about something else:
#: "2020年…技能人才引进培养均创历史最好水平,…(90 chars)…技能人才总量达到55万人"
#: (003) is a stock, not an introduction.
STRETCH_REACH = 40


@dataclass(frozen=True)
class Cue:
    """A cue found in the text; ``dimension`` None for a blocker."""

    dimension: str | None
    start: int
    end: int
    governs: bool = False


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], CueRule], ...]:
    rules = [*DIMENSION_CUES, *(CueRule(b, None) for b in BLOCKERS)]
    return tuple((_pattern(rule.pattern), rule) for rule in rules)


def _pattern(cue: str) -> re.Pattern[str]:
    return re.compile(cue[3:] if cue.startswith("re:") else re.escape(cue))


@cache
def _rules_for(unit: str) -> tuple[tuple[re.Pattern[str], CueRule], ...]:
    """The compiled rules whose dimension may be counted in ``unit``."""
    return tuple((pattern, rule) for pattern, rule in _compiled() if _fits(rule, unit))


@cache
def _any_rule_for(unit: str) -> re.Pattern[str]:
    """Matches where any of ``_rules_for(unit)`` matches (their alternation)."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _rules_for(unit)))


def _fits(rule: CueRule, unit: str) -> bool:
    if rule.dimension is None:
        return True
    allowed = rule.units or DIMENSION_UNITS[rule.dimension]
    return unit in allowed and unit in DIMENSION_UNITS[rule.dimension]


@dataclass(frozen=True)
class Classifier:
    """Classifies the figures of one text; built once per text by ``extract``.

    ``numbers`` are the spans of every number-with-unit in the text, including
    rejected ones (各一个), since they too own the cues next to them.
    """

    folded: str
    names: SpanIndex
    numbers: SpanIndex
    #: cues by (span, unit): the figures of one list sentence share their clause
    #: and stretch, and each figure looks in three nested spans.
    _found: dict[tuple[int, int, str], list[Cue]] = field(default_factory=dict, compare=False)

    def classify(
        self, unit: str, start: int, end: int, sentence: Span, previous: Cue | None = None
    ) -> Cue | None:
        """The deciding cue of the figure at ``[start, end)``; None if no cue."""
        stretch = bounds(self.folded, start, end, sentence, STRETCH_END)
        clause = bounds(self.folded, start, end, stretch, CLAUSE_END)
        item = bounds(self.folded, start, end, clause, ITEM_END)
        cue = self._nearest(item, unit, start, end) or self._nearest(
            clause, unit, start, end, ITEM_END, verbs_shared=True
        )
        if cue is None and self._breaks_down(clause, previous, unit):
            return previous
        if cue is None:
            cue = self._nearest(stretch, unit, start, end, CLAUSE_END)
            if cue and _distance(cue, start, end) > STRETCH_REACH:
                return None
        return cue

    def _breaks_down(self, clause: Span, previous: Cue | None, unit: str) -> bool:
        """A 其中 clause breaks down the figure before it, so shares its dimension."""
        if previous is None or previous.dimension is None:
            return False
        opens = self.folded[clause.start : clause.end].lstrip().startswith("其中")
        return opens and unit in DIMENSION_UNITS[previous.dimension]

    def _nearest(
        self,
        within: Span,
        unit: str,
        start: int,
        end: int,
        owner_stops: str | None = None,
        verbs_shared: bool = False,
    ) -> Cue | None:
        """Nearest usable cue; ``owner_stops`` delimit the home of a cue's own number."""
        cues = [
            cue
            for cue in self._cues(within, unit)
            if not self._is_example(cue, start)
            and (
                owner_stops is None
                or (verbs_shared and cue.governs)
                or not self._owned(cue, within, owner_stops, start)
            )
        ]
        if not cues:
            return None
        return min(cues, key=lambda c: (_distance(c, start, end), c.start - c.end))

    def _cues(self, within: Span, unit: str) -> list[Cue]:
        key = (within.start, within.end, unit)
        if key not in self._found:
            self._found[key] = self._find_cues(within, unit)
        return self._found[key]

    def _find_cues(self, within: Span, unit: str) -> list[Cue]:
        found: list[Cue] = []
        if not _any_rule_for(unit).search(self.folded, within.start, within.end):
            return found  # most spans: no cue at all, one search instead of ~80
        for pattern, rule in _rules_for(unit):
            literal = None if rule.pattern.startswith("re:") else rule.pattern
            if literal and self.folded.find(literal, within.start, within.end) < 0:
                continue  # str.find: a plain cue looked up without a regex scan
            for m in pattern.finditer(self.folded, within.start, within.end):
                if self.names.covers(m.start(), m.end()):
                    continue
                if rule.context and not self._in_clause(rule.context, m.start(), within):
                    continue
                found.append(Cue(rule.dimension, m.start(), m.end(), rule.governs))
        return found

    def _in_clause(self, context: str, pos: int, within: Span) -> bool:
        clause = bounds(self.folded, pos, pos, within, CLAUSE_END)
        return re.search(context, self.folded[clause.start : clause.end]) is not None

    def _is_example(self, cue: Cue, start: int) -> bool:
        return not cue.governs and cue.end < start and "等" in self.folded[cue.end : start]

    def _owned(self, cue: Cue, within: Span, stops: str, start: int) -> bool:
        """True if the cue's own item/clause holds a number of its own.

        A noun closing a list after the figure is the list's shared head, not its
        last item's: "每月3000元、2000元的生活补贴" (both are living subsidies).
        """
        home = bounds(self.folded, cue.start, cue.end, within, stops)
        numbers = self.numbers.between(home.start, home.end)
        if stops == ITEM_END and cue.start > start and all(n.end <= cue.start for n in numbers):
            return False
        return bool(numbers)


def _distance(cue: Cue, start: int, end: int) -> int:
    if cue.end <= start:
        return start - cue.end
    if cue.start >= end:
        return cue.start - end
    return 0
