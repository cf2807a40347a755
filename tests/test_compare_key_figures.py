"""A city's headline figures, picked by the database, are the ones the rule names.

compare/selectors.py picks one figure per dimension with a window query (issue
18: reading every figure of a large city was the city page's cold cost). The
rule, checked here against every figure read the plain way: the largest value
of the dimension, ties to the older report id, then to the first figure of that
report; the count of the others. The archive: the seeds and 150 generated
reports, so large cities hold many reports and many figures per dimension.
"""

import io

import pytest
from django.core.management import call_command

from archive.ingest.figures import DIMENSIONS
from archive.models import City
from bench.corpus import write_corpus
from compare.selectors import city_figures, city_key_figures

from .conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture
def cities(tmp_path) -> list[City]:
    write_corpus(tmp_path, 150)
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("import_reports", str(SEEDS_DIR), str(tmp_path), **quiet)
    return [c for c in City.objects.filter(parent=None) if city_figures(c).exists()]


def test_each_dimensions_headline_is_its_largest_value_oldest_report_first(cities):
    crowded = 0
    for city in cities:
        stated: dict[str, list] = {}
        for figure in city_figures(city):
            stated.setdefault(figure.dimension, []).append(figure)
        headlines = city_key_figures(city)
        assert [row.key for row in headlines] == [k for k in DIMENSIONS if k in stated], city
        for row in headlines:
            figures = stated[row.key]
            top = max(f.value for f in figures)
            first = min((f.report_id, f.ordinal) for f in figures if f.value == top)
            assert (row.figure.report_id, row.figure.ordinal) == first, (city, row.key)
            assert row.more == len(figures) - 1
            crowded += len(figures) > 5
    assert len(cities) >= 10 and crowded >= 10  # the rule was tested where it matters
