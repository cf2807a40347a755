"""The compare page's figures drawn in Python equal the templates they replace.

compare/figure_html.py draws each figure of a compare cell (issue 18: the three
nested includes were half of a compare request). The templates stay (the
applicant page includes ``_figure_body.html``) and are the slow path: for every
figure of the seeds and the labelled captures, in Chinese and in English, both
must give the same markup, byte for byte.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from archive.models import Figure
from compare.figure_html import figure_body, figure_item, figure_items

pytestmark = pytest.mark.django_db
RAW_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "labelled" / "dev" / "raw"


@pytest.fixture
def figures(indexed_seeds) -> list[Figure]:
    call_command("import_reports", str(RAW_DIR), stdout=io.StringIO(), stderr=io.StringIO())
    return list(Figure.objects.select_related("report").order_by("pk"))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_figure_draws_as_its_template_does(figures, language):
    assert len(figures) > 500
    kinds = {(f.kind, bool(f.kind_cue), bool(f.beneficiary), bool(f.qualifier)) for f in figures}
    assert ("condition", True, False, False) in kinds and any(k[2] and k[3] for k in kinds)
    assert {f.report.date_precision for f in figures} >= {"day", "year"}
    with translation.override(language):
        for f in figures:
            assert figure_item(f) == render_to_string("compare/_figure.html", {"f": f}), f.pk
            assert figure_body(f) == render_to_string("compare/_figure_body.html", {"f": f})
        # a whole cell at once, as the page's loop over the template drew it
        loop = "{% for f in cell %}{% include 'compare/_figure.html' %}{% endfor %}"
        drawn = Template(loop).render(Context({"cell": figures}))
        assert figure_items(figures) == drawn


def test_an_undated_report_and_markup_in_a_sentence_are_drawn_safely(figures):
    f = next(f for f in figures if f.report.published_on)
    f.report.published_on = None
    f.sentence = '<script>alert("x")</script> 补贴 ' + f.sentence
    with translation.override("zh-hans"):
        drawn = figure_item(f)
        assert drawn == render_to_string("compare/_figure.html", {"f": f})
    assert "日期不详" in drawn and "<script>" not in drawn and "&lt;script&gt;" in drawn


@pytest.mark.parametrize("precision", ["year", "month", "day"])
def test_each_date_precision_draws_as_the_template_does(figures, precision):
    f = next(f for f in figures if f.report.published_on)
    f.report.date_precision = precision
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert figure_item(f) == render_to_string("compare/_figure.html", {"f": f})
