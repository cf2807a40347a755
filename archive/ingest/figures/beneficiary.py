"""Who a figure is for (``beneficiary``), where its sentence names one.

Four families, each a category given in Simplified:

- education: 博士, 硕士, 本科, 大专 (博士研究生 → 博士; 博士后 is a group);
- talent tier: A类人才 … E类人才, 顶尖人才, 领军人才, 高层次人才, 青年人才,
  杰出人才, 后备人才;
- group: 高校毕业生 (also 毕业生, 大学生), 技能人才, 博士后, 留学人员;
- employer: 企业, 用人单位 (only for money and conditions: "高新技术企业15家"
  counts firms, it is not paid to them).

Which mention applies, first rule that finds one:

1. "respectively": the figure is the i-th of a 、-list of k amounts and the
   sentence before it names a list of exactly k beneficiaries ("按本科、硕士、博士
   的顺序…6000元、9000元、12000元", 深圳 2016) → the i-th;
2. the figure's own list item: "本科15000元/人、硕士25000元/人";
3. the nearest mention before the figure in its clause;
4. for an amount one recipient gets or a condition only, the nearest before it
   in its sentence, up to a semicolon ("将技能型人才纳入保障范围,最高给予10万元
   购房补助", 泸州); totals and counts sit in long summary sentences whose earlier
   groups are other facts, so for them the sentence is not asked.

Otherwise "" — a sentence that does not say is not guessed at. ``evidence`` is
the words that named it.
"""

from __future__ import annotations

import re

from .kinds import Decision
from .segments import Span

_EDUCATION = (
    (r"博士后", "博士后"),
    (r"博士(?:研究生)?", "博士"),
    (r"硕士(?:研究生)?", "硕士"),
    (r"本科", "本科"),
    (r"大专|专科", "大专"),
)
_TIER = (
    (r"(?P<t>[A-E])类(?:人才)?", None),
    (r"顶尖人才", "顶尖人才"),
    (r"领军人才", "领军人才"),
    (r"高层次人才", "高层次人才"),
    (r"青年人才", "青年人才"),
    (r"杰出人才", "杰出人才"),
    (r"后备级?人才", "后备人才"),
)
_GROUP = (
    (r"高校毕业生|大学毕业生|毕业生|大学生", "高校毕业生"),
    (r"技能型?人才", "技能人才"),
    (r"留学(?:回国)?人员", "留学人员"),
)
_EMPLOYER = ((r"用人单位|聘用单位", "用人单位"), (r"企业(?!家)", "企业"))

_PEOPLE = _EDUCATION + _TIER + _GROUP
_PATTERNS = [(re.compile(p), name, False) for p, name in _PEOPLE]
_PATTERNS += [(re.compile(p), name, True) for p, name in _EMPLOYER]
_MENTION_RE = re.compile("|".join(f"(?:{p})" for p, _ in _PEOPLE + _EMPLOYER))
#: What may stand between two beneficiaries of one list: 本科、硕士、博士 / A类和B类.
_LIST_GAP_RE = re.compile(r"[、，,和及与或]{1,2}")
_AMOUNT = r"\d[\d.,]*[千百]?[万亿]?元(?:/人)?"
_AMOUNT_RUN_RE = re.compile(rf"{_AMOUNT}(?:[、和及与]{_AMOUNT})+")
_AMOUNT_RE = re.compile(_AMOUNT)
#: Words between a head count or an age and the noun it is about: 8名（国家级）
#: 高层次人才, 不满40周岁的留汉大学毕业生.
_COUNTED_GAP = re.compile(r"[^，,。；;、]{0,6}?(?=" + _MENTION_RE.pattern + ")|")


def figure_beneficiary(
    folded: str, unit: str, kind: str, sentence: Span, clause: Span, item: Span, span: Span
) -> Decision:
    """The beneficiary of the figure starting at ``start`` by the module's rules."""
    start, end = span.start, span.end
    employer_ok = unit == "yuan" or kind == "condition"
    noun = _MENTION_RE.search(folded, start, end)  # 11.04万大学生: the unit is the noun
    if noun and noun.end() == end and _name(noun.group(), False):
        return Decision(_name(noun.group(), False), noun.group())
    aligned = _respectively(folded, sentence, clause, start, employer_ok)
    if aligned:
        return aligned
    stretch = Span(max(sentence.start, folded.rfind("；", sentence.start, start) + 1), start)
    spans = (item, clause, stretch) if kind in ("per_person", "condition") else (item, clause)
    for span in spans:
        found = _mentions(folded, span.start, start, employer_ok)
        if found:
            word, name = found[-1]
            return Decision(name, word)
    if unit in ("person", "person_time", "age"):  # 8名高层次人才, 不满40周岁的…毕业生
        gap = _COUNTED_GAP.match(folded, end, item.end)
        after = _MENTION_RE.match(folded, gap.end() if gap else end, item.end)
        named = _name(after.group(), False) if after else ""
        if named:
            return Decision(named, after.group())
    return Decision("", "")


def _mentions(folded: str, lo: int, hi: int, employer_ok: bool) -> list[tuple[str, str]]:
    """(surface, category) of each mention in ``folded[lo:hi]``, in text order."""
    found = []
    for m in _MENTION_RE.finditer(folded, lo, hi):
        named = _name(m.group(), employer_ok)
        if named:
            found.append((m.group(), named))
    return found


def _name(word: str, employer_ok: bool) -> str:
    for pattern, name, employer in _PATTERNS:
        m = pattern.fullmatch(word)
        if m and (employer_ok or not employer):
            return name or f"{m.group('t')}类人才"
    return ""


def _respectively(
    folded: str, sentence: Span, clause: Span, start: int, employer_ok: bool
) -> Decision | None:
    run = next(
        (
            m
            for m in _AMOUNT_RUN_RE.finditer(folded, clause.start, clause.end)
            if m.start() <= start < m.end()
        ),
        None,
    )
    if run is None:
        return None
    amounts = [m.start() for m in _AMOUNT_RE.finditer(folded, run.start(), run.end())]
    names = _last_list(folded, sentence.start, run.start(), employer_ok)
    if start not in amounts or len(names) != len(amounts):
        return None
    word, name = names[amounts.index(start)]
    return Decision(name, word)


def _last_list(folded: str, lo: int, hi: int, employer_ok: bool) -> list[tuple[str, str]]:
    """The last run of mentions joined only by list punctuation before ``hi``."""
    groups: list[list[tuple[str, str]]] = []
    last_end = -1
    for m in _MENTION_RE.finditer(folded, lo, hi):
        named = _name(m.group(), employer_ok)
        if not named:
            continue
        joined = groups and _LIST_GAP_RE.fullmatch(folded, last_end, m.start())
        if joined:
            groups[-1].append((m.group(), named))
        else:
            groups.append([(m.group(), named)])
        last_end = m.end()
    return groups[-1] if groups else []
