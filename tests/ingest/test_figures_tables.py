"""Number parsing and the consistency of the figure tables.

The cue, unit and qualifier tables are written in Simplified and matched on a
folded copy of the text; the fold table must hold the Traditional form of every
character they use, or Traditional reports (seed 004) silently lose figures.
"""

import re

import pytest

from archive.ingest.figures import (
    DIMENSIONS,
    beneficiary,
    context,
    extract,
    kinds,
    parse_chinese,
    parse_number,
)
from archive.ingest.figures.cues import (
    ADJACENT_QUALIFIERS,
    BLOCKERS,
    CLAUSE_QUALIFIERS,
    DIMENSION_CUES,
    DIMENSION_UNITS,
    PERIOD_QUALIFIER_RE,
)
from archive.ingest.figures.fold import SIMPLIFIED, TRADITIONAL, fold
from archive.ingest.figures.units import FIGURE_RE, PERSON_NOUNS, UNIT_FALSE_STARTS, UNITS
from textkit import s2t

API_DIMENSIONS = [
    "housing",
    "purchase_subsidy",
    "rent_subsidy",
    "living_subsidy",
    "talent_budget",
    "talents_introduced",
    "graduates_retained",
    "academicians",
    "postdoc_stations",
    "skills_training",
    "startup_funding",
    "settlement",
    "family_services",
]
API_UNITS = {"yuan", "person", "person_time", "unit", "m2", "item", "age", "month"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三", 3),
        ("十", 10),
        ("十二", 12),
        ("三十", 30),
        ("十万", 100000),
        ("两千", 2000),
        ("一百零五", 105),
        ("一百五十万", 1500000),
        ("一万五", 15000),
        ("三千五", 3500),
        ("一亿五千万", 150000000),
    ],
)
def test_it_parses_chinese_numerals(text, value):
    assert parse_chinese(text) == value


@pytest.mark.parametrize("text", ["十四五", "九三", "一一", "二〇二三", "百千", "万", "千", "三年"])
def test_it_refuses_runs_that_are_names_years_or_not_numerals(text):
    assert parse_chinese(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2,559", 2559),
        ("1.5786亿", 157860000),
        ("4.48万", 44800),
        ("1.2万", 12000),
        ("3千", 3000),
        ("0.5", 0.5),
        ("两千", 2000),
        ("1.2.3", None),
        ("3年", None),
    ],
)
def test_it_parses_arabic_chinese_and_mixed_numbers(text, value):
    assert parse_number(text) == value


def test_the_dimensions_are_exactly_the_api_keys_in_order():
    assert list(DIMENSIONS) == API_DIMENSIONS


def test_every_cue_names_a_known_dimension_and_units_the_api_knows():
    assert set(DIMENSION_UNITS) == set(API_DIMENSIONS)
    for units in DIMENSION_UNITS.values():
        assert units <= API_UNITS
    for rule in DIMENSION_CUES:
        assert rule.dimension in DIMENSION_UNITS, rule
        assert rule.units is None or rule.units <= DIMENSION_UNITS[rule.dimension], rule
    assert set(UNITS.values()) <= API_UNITS


def test_every_regex_cue_compiles():
    for rule in DIMENSION_CUES:
        if rule.pattern.startswith("re:"):
            re.compile(rule.pattern[3:])
        if rule.context:
            re.compile(rule.context)


def _table_words() -> list[str]:
    """Every Han run the matcher looks for: table words and the Han in every pattern."""
    words = [*BLOCKERS, *CLAUSE_QUALIFIERS, *ADJACENT_QUALIFIERS, *UNITS, *PERSON_NOUNS]
    words += [*UNIT_FALSE_STARTS.values(), *context._COMPARED_BEFORE, "其中", "等"]
    patterns = [rule.pattern for rule in DIMENSION_CUES] + [r.context or "" for r in DIMENSION_CUES]
    patterns += [PERIOD_QUALIFIER_RE, context._SINCE_AFTER.pattern, FIGURE_RE.pattern]
    patterns.append(extract._BLOCKING_BEFORE.pattern)
    patterns += [kinds._MEASURE, kinds._THRESHOLD_RE.pattern, kinds._GRANT_RE.pattern]
    patterns += [kinds._STRONG_RE.pattern, kinds._WEAK_RE.pattern, kinds._BUILT_RE.pattern]
    patterns += [kinds._AGE_CONDITION_RE.pattern]
    patterns += [kinds._MONTH_CONDITION_RE.pattern, beneficiary._MENTION_RE.pattern]
    words += [run for pattern in patterns for run in re.findall(r"[\u4e00-\u9fff]+", pattern)]
    return sorted(set(words))


@pytest.mark.parametrize("word", _table_words())
def test_the_traditional_form_of_every_table_word_folds_like_the_word(word):
    assert fold(s2t(word)) == fold(word)


def test_folding_keeps_the_length_and_every_non_table_character():
    assert len(TRADITIONAL) == len(SIMPLIFIED)
    text = "瀘州市建成人才公寓6000餘套，發放購房補貼１２萬元。"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "瀘州市建成人才公寓6000余套，发放购房补贴12万元。"
