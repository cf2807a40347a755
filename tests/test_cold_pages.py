"""The shortcuts of issue 18 stop 18 (cold city and compare pages) equal the slow path.

On the visibility archive (several reports per city, one filed under a county, a
report held for review and a confirmed duplicate): the compare suggestions scored
from the stored per-city sums equal a score over every prefecture of the picker
read from its figures, and a compare cell's figures, read without a report per
figure, carry the same report data as the joined read.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from archive.models import City, Figure
from compare.figure_html import figure_items
from compare.picker_html import picker_checkboxes, picker_options
from compare.selectors import (
    cities_with_reports_for_picker,
    city_compare,
    city_compare_suggestions,
    city_figures,
    reports_of,
)
from compare.views import PER_CELL

from .test_city_sums import page
from .visibility_archive import (  # noqa: F401  (the fixtures)
    archive_fixture,
    built_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memoized_pipeline")]
PREFECTURES = ["泸州市", "成都市", "运城市", "兰州市", "呼和浩特市"]


def city(name: str) -> City:
    return City.objects.select_related("province").get(name=name)


def slow_suggestions(place: City, limit: int) -> list[str]:
    """Every prefecture of the picker scored from its own reports and figures."""
    mine = {f.dimension for f in city_figures(place)}
    scored = []
    for other in cities_with_reports_for_picker():
        if other.parent_id is not None or other.pk == place.pk:
            continue
        dims = {f.dimension for f in city_figures(other)}
        n = reports_of(other).count()
        key = (other.province_id != place.province_id, -len(mine & dims), -n, other.adcode)
        scored.append((key, other.name))
    return [name for _, name in sorted(scored)[:limit]]


@pytest.mark.parametrize("name", PREFECTURES)
def test_suggestions_equal_a_score_over_every_prefecture_of_the_picker(archive, name):
    place = city(name)
    for limit in (2, 8):
        got = [c.name for c in city_compare_suggestions(place, limit=limit)]
        assert got == slow_suggestions(place, limit)
    assert "德州市" not in got and "江阳区" not in got and name not in got
    assert len(got) == len(PREFECTURES) - 1


def test_suggested_cities_come_with_their_province(archive, django_assert_num_queries):
    suggested = city_compare_suggestions(city("泸州市"))
    with django_assert_num_queries(0):
        assert [c.province.name for c in suggested][0] == "四川省"


def test_compare_cells_carry_each_figures_own_report(archive):
    cities = [city("泸州市"), city("成都市"), city("运城市")]
    capped = city_compare(cities, per_cell=PER_CELL)
    drawn = [f for row in capped.rows for cell in row.cells.values() for f in cell]
    joined = Figure.objects.select_related("report").in_bulk([f.pk for f in drawn])
    assert len(drawn) > 10
    for f in drawn:
        want = joined[f.pk].report
        got = (f.report.pk, f.report.published_on, f.report.date_precision, f.report.title)
        assert got == (want.pk, want.published_on, want.date_precision, want.title)
    # one report object per report, not one per figure
    assert len({id(f.report) for f in drawn}) == len({f.report_id for f in drawn})


def test_a_compare_page_is_the_same_cold_and_warm(archive, settings):
    """Drawn from the database, then from the cached cells (pickled in the value
    cache), whole-page caching off: the same bytes but the CSRF token."""
    settings.PAGE_CACHE = False
    url = "/compare/?cities=泸州市,成都市,运城市"
    caches["default"].clear()
    cold = page(Client(), url)
    assert cold == page(Client(), url)
    assert "10万元" in cold and "日期不详" not in cold


OPTIONS_LOOP = (
    '{% load places %}{% for c in picker %}<option value="{{ c.name }}">{{ c|place }} · '
    "{{ c.province|place }}</option>{% endfor %}"
)
CHECKBOXES_LOOP = (
    '{% load places %}{% for c in picker %}<label><input type="checkbox" name="city" '
    'value="{{ c.name }}" {% if c.pk in chosen %}checked{% endif %}> {{ c|place }} '
    "<small>{{ c.province|place }}</small></label>{% endfor %}"
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_picker_drawn_in_python_equals_the_template_loops(archive, language):
    picker = cities_with_reports_for_picker()
    chosen = {city("泸州市").pk, city("江阳区").pk}
    with translation.override(language):
        context = Context({"picker": picker, "chosen": chosen})
        assert picker_options(picker) == Template(OPTIONS_LOOP).render(context)
        drawn = picker_checkboxes(picker, chosen)
        assert drawn == Template(CHECKBOXES_LOOP).render(context)
    assert drawn.count(" checked>") == 2 and len(picker) >= 6
    assert ("Luzhou" in drawn) == (language == "en")


def test_drawing_the_cells_reads_nothing_more(archive, django_assert_num_queries):
    """The cells' reports carry only what a cell draws (a field read later would
    cost a query per report), in both languages."""
    cities = [city(name) for name in PREFECTURES]
    cells = [
        cell for row in city_compare(cities, per_cell=PER_CELL).rows for cell in row.cells.values()
    ]
    for language in ("zh-hans", "en"):
        with translation.override(language), django_assert_num_queries(0):
            drawn = "".join(figure_items(cell) for cell in cells)
        assert drawn.count('<li class="figure">') > 40


@pytest.mark.parametrize("per_cell", [1, 2, PER_CELL])
def test_the_newest_cells_are_the_first_of_every_figure_in_the_page_order(archive, per_cell):
    """The walk's cells (figures put in the walk's report order, no join) equal the
    joined, ordered read of every figure cut at ``per_cell``, on cities of several
    reports with undated ones, a county's, a held and a duplicate report."""
    cities = [city(name) for name in PREFECTURES]
    full = city_compare(cities)
    capped = city_compare(cities, per_cell=per_cell)
    several = 0
    for whole, page_row in zip(full.rows, capped.rows, strict=True):
        for place in cities:
            want = [f.pk for f in whole.cells[place.pk][:per_cell]]
            assert [f.pk for f in page_row.cells[place.pk]] == want
            assert page_row.totals[place.pk] == len(whole.cells[place.pk])
            several += len({f.report_id for f in whole.cells[place.pk]}) > 1
    assert several >= 1  # a cell whose figures come from more than one report
