"""Figures the archive must find in the five seed reports, with their evidence.

The text is the cleaner's reviewed output (fixtures/samples/out/) when present,
else the raw seed with seed 004's pinyin glosses and doubled commas removed by a
stop-gap regex, so these tests do not depend on the cleaner's progress.
"""

import re

import pytest

from archive.ingest.figures import Figure, extract_figures
from tests.conftest import SEEDS_DIR, seed_path

CLEANED_DIR = SEEDS_DIR.parent / "samples" / "out"
_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zàáǎèéěìíǐòóǒùúǔüǖǘǚǜńňḿāēīōū]+\)")


def seed_text(prefix: str) -> str:
    path = seed_path(prefix)
    cleaned = CLEANED_DIR / path.name
    if cleaned.exists():
        return cleaned.read_text(encoding="utf-8")
    text = _GLOSS.sub("", path.read_text(encoding="utf-8"))
    return text.replace(",,", ",").replace(",、", "、")


@pytest.fixture(scope="module")
def figures_of():
    cache: dict[str, tuple[str, list[Figure]]] = {}

    def get(prefix: str) -> tuple[str, list[Figure]]:
        if prefix not in cache:
            text = seed_text(prefix)
            cache[prefix] = (text, extract_figures(text))
        return cache[prefix]

    return get


def only(figures: list[Figure], dimension: str, value: int) -> Figure:
    matches = [f for f in figures if f.dimension == dimension and f.value == value]
    assert len(matches) == 1, [(f.value, f.dimension, f.text) for f in figures]
    return matches[0]


def test_luzhou_pays_at_most_250000_yuan_towards_a_first_home(figures_of):
    text, figures = figures_of("004")
    fig = only(figures, "purchase_subsidy", 250000)
    assert (fig.unit, fig.qualifier, fig.text) == ("yuan", "最高", "25萬元")
    assert "根據學歷最高給予25萬元補助" in fig.sentence
    assert text[fig.start : fig.end] == "25萬元"


def test_luzhou_built_more_than_6000_talent_flats(figures_of):
    _, figures = figures_of("004")
    fig = only(figures, "housing", 6000)
    assert (fig.unit, fig.qualifier, fig.text) == ("unit", "余", "6000余套")
    assert "建成人才公寓6000余套" in fig.sentence


def test_luzhou_keeps_traditional_characters_in_the_evidence_sentence(figures_of):
    _, figures = figures_of("004")
    fig = only(figures, "talents_introduced", 12535)
    assert "2024年我市預計將引進急需緊缺人才12535人" in fig.sentence
    assert (fig.year, fig.qualifier) == (2024, "预计")


def test_lanzhou_talent_housing_is_44800_square_metres(figures_of):
    _, figures = figures_of("000")
    fig = only(figures, "housing", 44800)
    assert (fig.unit, fig.text) == ("m2", "4.48万平方米")
    assert "建成可“拎包入住”的人才公寓4.48万平方米" in fig.sentence


def test_lanzhou_talent_budget_rose_to_157860000_yuan_in_2018(figures_of):
    _, figures = figures_of("000")
    fig = only(figures, "talent_budget", 157860000)
    assert (fig.unit, fig.text, fig.year) == ("yuan", "1.5786亿元", 2018)
    assert "由原来的5786万元调增为1.5786亿元" in fig.sentence
    assert only(figures, "talent_budget", 57860000).year == 2018


def test_lanzhou_introduced_2559_talents_in_three_years(figures_of):
    _, figures = figures_of("000")
    fig = only(figures, "talents_introduced", 2559)
    assert (fig.unit, fig.qualifier) == ("person", "近三年")
    assert "全市共引进各类急需紧缺高层次人才2559人" in fig.sentence


def test_hohhot_gathered_15472_flats(figures_of):
    _, figures = figures_of("002")
    fig = only(figures, "housing", 15472)
    assert (fig.unit, fig.text) == ("unit", "15472套")
    assert "筹集房源15472套" in fig.sentence


def test_hohhot_budgets_100000000_yuan_a_year_for_talent_work(figures_of):
    _, figures = figures_of("002")
    fig = only(figures, "talent_budget", 100000000)
    assert (fig.unit, fig.qualifier, fig.year) == ("yuan", "每年", None)
    assert "市本级每年预算安排人才工作经费1亿元" in fig.sentence


def test_hohhot_kept_110400_graduates_without_a_person_measure_word(figures_of):
    _, figures = figures_of("002")
    fig = only(figures, "graduates_retained", 110400)
    assert (fig.unit, fig.text) == ("person", "11.04万大学生")
    assert "实现11.04万大学生留呼就业创业" in fig.sentence


def test_hohhot_2023_payout_has_the_year_of_its_sentence(figures_of):
    _, figures = figures_of("002")
    (fig,) = [f for f in figures if f.value == 97730000]
    assert (fig.unit, fig.year, fig.dimension) == ("yuan", 2023, None)


def test_dezhou_has_17_postdoc_stations(figures_of):
    _, figures = figures_of("003")
    fig = only(figures, "postdoc_stations", 17)
    assert (fig.unit, fig.text) == ("item", "17家")
    assert "建成博士后科研工作站17家" in fig.sentence


def test_dezhou_living_subsidy_is_at_least_500_yuan_a_month(figures_of):
    _, figures = figures_of("003")
    fig = only(figures, "living_subsidy", 500)
    assert (fig.unit, fig.qualifier) == ("yuan", "每月、不低于")


def test_dezhou_named_policy_packages_are_not_figures(figures_of):
    text, figures = figures_of("003")
    packages = [m.span() for m in re.finditer(r"\d+条", text)]
    assert len(packages) >= 6  # 黄金30条 (twice), 人才改革25条, 乡村人才振兴20条, …
    assert not [f for f in figures for a, b in packages if f.start < b and a < f.end]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_seed_figure_points_at_its_surface_and_sentence(figures_of, prefix):
    text, figures = figures_of(prefix)
    assert figures
    for fig in figures:
        assert text[fig.start : fig.end] == fig.text
        assert text[fig.sentence_start : fig.sentence_end] == fig.sentence
        assert fig.sentence_start <= fig.start < fig.end <= fig.sentence_end


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_seed_figure_is_a_year_date_percentage_or_document_number(figures_of, prefix):
    _, figures = figures_of(prefix)
    for fig in figures:
        assert not re.search(r"\d年$|\d月|\d日|%|號|号", fig.text), fig.text
