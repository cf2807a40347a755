"""Unit grammar: what may follow a number for it to be a policy figure.

A figure is NUMBER [余|多] [SCALE] [余|多] UNIT [/PER]; anything else (years,
dates, percentages, 黄金30条, 3D, 1:18) has no unit here and is therefore never a
figure. Tables are written in Simplified; the matcher runs on text folded by
``fold.fold`` so 萬元, 間, 項, 處, 場 match too (seed 004 is Traditional).
"""

from __future__ import annotations

import re

from .numbers import CHINESE_NUMERAL_CHARS

#: surface unit -> API unit. Longest first when building the regex.
#: 户 is a household only near a housing cue (see ``extract``), otherwise it
#: counts firms ("留学人员创办企业135户", seed 000).
UNITS: dict[str, str] = {
    "元": "yuan",
    # thresholds (kinds.py): 不超过35周岁, 社保满6个月; only with a condition word
    "周岁": "age",
    "个月": "month",
    "人次": "person_time",
    "人": "person",
    "名": "person",
    "位": "person",
    "套": "unit",
    "间": "unit",
    "户": "unit",
    "平方米": "m2",
    "平方公尺": "m2",  # Taiwan usage
    "平米": "m2",
    "㎡": "m2",
    "m²": "m2",
    "m2": "m2",
    "个": "item",
    "家": "item",
    "项": "item",
    "所": "item",
    "座": "item",
    "批": "item",
    "处": "item",
    "件": "item",  # patents (申报专利超60件, seed 004)
    "场次": "item",
    "场": "item",  # recruitment fairs (专场招聘37场, seed 003)
}

#: Nouns that act as a person unit right after a number: "11.04万大学生留呼"
#: (seed 002) has no 人/名. Only nouns that always denote people.
PERSON_NOUNS = (
    "高校毕业生",
    "大学毕业生",
    "毕业生",
    "大学生",
    "研究生",
    "院士",
    "专家",
    "人才",
    "科研人员",
    "技术人员",
)

#: A unit character followed by one of these is the start of a word, not a unit:
#: 3所有 / 5项目 / 2家庭 / 1位于 / 10个人 / 6场地.
UNIT_FALSE_STARTS: dict[str, str] = {
    "所": "有在以谓属得",
    "项": "目",
    "家": "庭乡长具电",
    "位": "于置列数",
    "个": "人",
    "座": "谈",
    "处": "理于置长",
    "场": "所馆景地",
    "批": "准复",
    "户": "籍口型",
    "名": "单称义额录牌片誉",
    "元": "素旦宵",
}

#: "3000元/人" -> qualifier 每人 (seed 004: 给予3000元/人的就业补助).
PER_SUFFIXES = {"人": "每人", "月": "每月", "年": "每年", "户": "每户", "平方米": "每平方米"}

SCALE_RE = r"(?:[十百千]?[万亿]|[十百千])"
APPROX_RE = r"[余多]"
ARABIC_RE = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?"
CHINESE_RE = rf"[一二两三四五六七八九十][{CHINESE_NUMERAL_CHARS}]*"
#: 近千余名 / 上万人: a bare scale is "one thousand" only after 近/上/逾/超/约.
BARE_SCALE_RE = r"(?<=[近上逾超约])[十百千万]"


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


FIGURE_RE = re.compile(
    rf"(?P<number>{ARABIC_RE}|{CHINESE_RE}|{BARE_SCALE_RE})"
    rf"(?P<approx>{APPROX_RE})?(?P<scale>{SCALE_RE})?(?P<approx2>{APPROX_RE})?"
    rf"(?:(?P<unit>{_alternation(UNITS)})|(?P<noun>{_alternation(PERSON_NOUNS)}))"
    rf"(?:/(?P<per>{_alternation(PER_SUFFIXES)}))?"
    r"(?P<after>以上|以下|以内|左右)?"
)
