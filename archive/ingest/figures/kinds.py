"""What a figure is (its ``kind``), decided from the words of its clause.

Issue 17: one 人才住房 row held a flat's size, units built and area built, and
泸州's per-person cap (最高25万元) stood beside 兰州's 280万元 paid out in all
(兑现了安家补贴280万元). A comparison is fair only between figures of one kind:

- ``per_person``: an amount one recipient gets, or its cap (最高, 每人, 一次性,
  元/人, 给予…补贴);
- ``total``: money spent or budgeted in all (累计, 兑现, 共计, 发放, 投入, 预算,
  安排…资金, 经费);
- ``count``: people, flats, stations, events (建成6000套, 引进2559人);
- ``area``: the size of a flat (面积50平方米以上); floor space built in all
  (建成人才公寓4.48万平方米) is a ``total``;
- ``condition``: an eligibility threshold, not a benefit (实收资本3亿元以上,
  不超过35周岁, 社保满3个月);
- ``rate``: a ratio or percent (reserved: percentages are not extracted yet).

Every decision carries ``evidence``: the words that decided it, in Simplified
(like ``qualifier``, it is a category), so an analyst can check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .segments import Span

KINDS = ("per_person", "total", "count", "area", "condition", "rate")


@dataclass(frozen=True)
class Decision:
    value: str
    evidence: str


#: Amounts that measure the applicant or firm, not what is paid: 实收资本3亿元以上
#: (北京引进人才管理办法), 年均营业收入3亿元以上, 近3年累计自主投入5000万元以上.
_MEASURE = r"资本|注册资金|营业收入|营收|纳税|税后净利润|净利润|年薪|收入|融资|自主投入|投资|销售"
_MEASURE_RE = re.compile(_MEASURE)
_THRESHOLD_RE = re.compile(r"以上|不低于|不少于|达到|超过")
#: Words of a benefit handed out; with one of them the clause pays, not measures.
_GRANT_RE = re.compile(r"给予|资助|补贴|补助|奖励|奖补|扶持|发放|兑现")

#: Strong cues decide before weak ones: "最高给予25万元" is a cap (最高), and
#: "累计投入1.9亿元" a total (累计), whatever verb stands between.
_STRONG = {"每人": "per_person", "人均": "per_person", "一次性": "per_person"}
_STRONG |= {"最高": "per_person", "最多": "per_person", "每月": "per_person"}
_STRONG |= {"累计": "total", "共计": "total", "总计": "total", "兑现": "total"}
_WEAK = dict.fromkeys(("给予", "提供", "资助", "奖励", "补贴", "补助"), "per_person")
_TOTAL = ("发放", "投入", "预算", "安排", "拨付", "经费", "资金", "基金", "设立", "筹集", "共")
_WEAK |= dict.fromkeys(_TOTAL, "total")
_KIND_CUES = _STRONG | _WEAK
_STRONG_RE = re.compile("|".join(sorted(_STRONG, key=len, reverse=True)))
_WEAK_RE = re.compile("|".join(sorted(_WEAK, key=len, reverse=True)))

#: An age or a service length is a threshold only with one of these in its clause.
_AGE_CONDITION_RE = re.compile(r"以下|以内|不超过|不满|未满|以上|年龄|不大于|放宽")
_MONTH_CONDITION_RE = re.compile(r"满|以上|连续|缴纳|社保|社会保险|不少于")


def unit_is_condition(unit: str) -> bool:
    """Ages (35周岁) and months of service (社保满6个月) are only ever thresholds."""
    return unit in ("age", "month")


def acceptable_condition(folded: str, unit: str, clause: Span) -> bool:
    """An age or month figure counts only as a threshold: "6个月内完成" is a deadline."""
    pattern = _AGE_CONDITION_RE if unit == "age" else _MONTH_CONDITION_RE
    return bool(pattern.search(folded, clause.start, clause.end))


def figure_kind(
    folded: str, unit: str, suffixes: list[str], clause: Span, start: int, end: int
) -> Decision:
    """The kind of the figure at ``[start, end)`` by the rules of the module docstring."""
    surface = folded[start:end]
    if unit_is_condition(unit):
        word = _AGE_CONDITION_RE if unit == "age" else _MONTH_CONDITION_RE
        found = word.search(folded, clause.start, clause.end)
        return Decision("condition", f"{found.group() if found else ''}…{surface}")
    if unit == "m2":
        return _area_kind(folded, clause, start)
    if unit != "yuan":
        return Decision("count", surface.lstrip("0123456789.,万亿千百十余多"))
    return _money_kind(folded, suffixes, clause, start, end)


#: Floor space built or raised in all (建成人才公寓4.48万平方米) is a total, not
#: the size of a flat (面积50平方米以上的公共租赁住房).
_BUILT_RE = re.compile(r"建成|建设|新建|筹集|累计|竣工|开工|共")


def _area_kind(folded: str, clause: Span, start: int) -> Decision:
    if "面积" in folded[clause.start : clause.end]:
        return Decision("area", "面积")
    built = list(_BUILT_RE.finditer(folded, clause.start, start))
    if built:
        return Decision("total", built[-1].group())
    return Decision("area", "平方米")


def _money_kind(folded: str, suffixes: list[str], clause: Span, start: int, end: int) -> Decision:
    threshold = "以上" in suffixes or _THRESHOLD_RE.search(
        folded, max(clause.start, start - 4), start
    )
    measure = list(_MEASURE_RE.finditer(folded, clause.start, start))
    if threshold and measure and not _GRANT_RE.search(folded, clause.start, clause.end):
        return Decision("condition", f"{measure[-1].group()}…以上")
    if "每人" in suffixes:
        return Decision("per_person", "元/人")
    for pattern in (_STRONG_RE, _WEAK_RE):
        before = list(pattern.finditer(folded, clause.start, start))
        if before:
            return Decision(_KIND_CUES[before[-1].group()], before[-1].group())
    after = _WEAK_RE.search(folded, end, clause.end)
    if after:
        return Decision(_KIND_CUES[after.group()], after.group())
    value_kind = "total" if _large(folded[start:end]) else "per_person"
    return Decision(value_kind, "")


def _large(surface: str) -> bool:
    """亿 or 千万 in the surface: without a cue such sums are programme totals."""
    return "亿" in surface or "千万" in surface or bool(re.search(r"\d{4,}万", surface))
