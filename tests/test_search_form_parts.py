"""The search form drawn from its two cached parts equals the whole form drawn at
once (the template before issue 18 stop 22), for every combination of controls a
reader can set, in both languages, and with hostile values."""

from __future__ import annotations

import itertools

import pytest
from django.http import QueryDict
from django.template import engines
from django.utils import translation

from search.forms import SearchForm, advanced_open, carried_inputs
from search.page_context import form_html
from search.params import parse_params

#: ``templates/search/_search_form.html`` as one template, before it was split.
WHOLE_FORM = """{% load i18n %}<form class="search-form" action="{% url 'search:search' %}" method="get" role="search">
  <div class="search-box">
    <label class="visually-hidden" for="{{ form.q.id_for_label }}">{{ form.q.label }}</label>{{ form.q }}
    <button type="submit">{% translate "搜索" %}</button>
  </div>
  <details class="advanced"{% if advanced_open %} open{% endif %}>
    <summary>{% translate "高级检索" %}</summary>
    <fieldset class="scope"><legend>{{ form.in.label }}</legend>{% for radio in form.in %}{{ radio }}{% endfor %}</fieldset>
    <fieldset class="years"><legend>{% translate "发布年份" %}</legend>
      <label for="{{ form.year_from.id_for_label }}">{% translate "从" %}</label>{{ form.year_from }}
      <label for="{{ form.year_to.id_for_label }}">{% translate "到" %}</label>{{ form.year_to }}
    </fieldset>
    <fieldset class="doc-types"><legend>{{ form.doc_type.label }}</legend>{% for box in form.doc_type %}{{ box }}{% endfor %}</fieldset>
    <p><label for="{{ form.issuer.id_for_label }}">{{ form.issuer.label }}</label>{{ form.issuer }}</p>
    <p><label for="{{ form.doc_number.id_for_label }}">{{ form.doc_number.label }}</label>{{ form.doc_number }}</p>
    <p><label for="{{ form.page_size.id_for_label }}">{{ form.page_size.label }}</label>{{ form.page_size }}</p>
    <button type="submit">{% translate "检索" %}</button>
  </details>
  {% for name, value in carried %}<input type="hidden" name="{{ name }}" value="{{ value }}">{% endfor %}
</form>
"""  # noqa: E501


def whole_form(params) -> str:
    template = engines["django"].from_string(WHOLE_FORM)
    context = {
        "form": SearchForm(params),
        "carried": carried_inputs(params),
        "advanced_open": advanced_open(params),
    }
    return template.render(context)


CHOICES = {
    "q": ["", "人才公寓", '"拎包入住" -德州 <b>&"'],
    "in": ["", "title"],
    "year_from": ["", "2020"],
    "doc_type": ["", "news", "news&doc_type=policy_document"],
    "province": ["", "四川省", "四川省&province=河南省"],
    "issuer": ["", "人社局", "人社局&issuer=市委组织部"],
    "page_size": ["", "50", "37"],
    "sort": ["", "newest"],
    "page": ["", "3"],
}


def queries() -> list[str]:
    names = list(CHOICES)
    out = []
    for values in itertools.product(*(CHOICES[name][:2] for name in names)):
        out.append("&".join(f"{n}={v}" for n, v in zip(names, values, strict=True) if v))
    for name, values in CHOICES.items():
        out += [f"{name}={v}&q=博士" for v in values[2:]]
    out.append("doc_number=京人社调发〔2018〕38号&doc_number=x&year_to=2022&city=泸州市")
    return out


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_form_from_its_parts_equals_the_whole_form(language):
    checked = 0
    with translation.override(language):
        for query in queries():
            params = parse_params(QueryDict(query), strict=False)
            assert form_html(params) == whole_form(params), query
            assert form_html(params) == whole_form(params), query  # the parts kept
            checked += 1
    assert checked > 500
