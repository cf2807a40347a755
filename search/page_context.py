"""What the results page shows, computed from its params and its page of results.

Sort links, numbered pages, facet groups, removable filters, the form, the
export and feed URLs: all built here so ``templates/search/search.html`` only
renders (STYLE.md: "Facets, pagination and sort links are computed in Python").
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .facets import active_filters, clear_url, facet_groups
from .forms import SearchForm, advanced_open, carried_inputs
from .paging import page_links
from .params import SearchParams
from .selectors import SearchPage

HAN = re.compile(r"[\u3400-\u9fff]")


def heading(params: SearchParams) -> str:
    """The page's <h1>: the words searched, or what the page is for."""
    if params.q.strip():
        # the words are the reader's own: on a non-Chinese page, marked Chinese when they are
        q = params.q.strip()
        marked = HAN.search(q) and not (get_language() or "zh").startswith("zh")
        words = format_html('<span lang="zh">{}</span>', q) if marked else escape(q)
        return mark_safe(escape(_("“%(q)s”的检索结果")) % {"q": words})
    return _("检索报告")


def sort_links(params: SearchParams) -> list[tuple[str, str, bool]]:
    """(label, URL, current) for each sort; 最新 and 最旧 put undated reports last."""
    sorts = (("relevance", _("相关度")), ("newest", _("最新")), ("oldest", _("最旧")))
    return [
        (label, params.url(sort=key, page=1), params.effective_sort == key) for key, label in sorts
    ]


def form_context(params: SearchParams) -> dict:
    """The search form and its hidden inputs (also for the "being rebuilt" page)."""
    return {
        "form": SearchForm(params),
        "form_html": form_html(params),
        "carried": carried_inputs(params),
        "advanced_open": advanced_open(params),
        "heading": heading(params),
    }


def form_html(params: SearchParams) -> str:
    """``search/_search_form.html`` for these params. Its two parts are rendered once
    per what they show and the language: the search box per query, the advanced
    controls per their own values. Their dozen widgets, each a template of Django's
    form renderer, were a tenth of a warm /search/ (issue 15's profile); kept per
    whole params, a reader's next page, province or sort rendered them all again
    (2.3 ms of a /search/ under the load mix, now 0.35: issue 18 stop 22)."""
    language, prefix = get_language(), get_script_prefix()
    context = {
        "box": _box_html(params.q, language, prefix),
        "advanced": _advanced_html(_advanced_part(params), language, prefix),
        "carried": carried_inputs(params),
    }
    return render_to_string("search/_search_form.html", context)


def _advanced_part(params: SearchParams) -> SearchParams:
    """The params the advanced controls show (``SearchForm``, ``advanced_open``)."""
    return SearchParams(
        scope=params.scope,
        year_from=params.year_from,
        year_to=params.year_to,
        doc_type=params.doc_type,
        issuer=params.issuer[:1],
        doc_number=params.doc_number[:1],
        page_size=params.page_size,
    )


# The parts name their form ``search_form``: a part's context is not the page's, and a
# ``form`` there would be the one tools listing rendered contexts (the test client) find.


@lru_cache(maxsize=512)
def _box_html(q: str, language: str | None, prefix: str) -> str:
    form = SearchForm(SearchParams(q=q))
    return _part("search/_search_form_box.html", {"search_form": form})


@lru_cache(maxsize=512)
def _advanced_html(params: SearchParams, language: str | None, prefix: str) -> str:
    context = {"search_form": SearchForm(params), "advanced_open": advanced_open(params)}
    return _part("search/_search_form_advanced.html", context)


def _part(template: str, context: dict) -> str:
    """A part of the form, without its file's final newline (the form has its own)."""
    return mark_safe(render_to_string(template, context).removesuffix("\n"))


def results_context(params: SearchParams, page: SearchPage) -> dict:
    last = page.num_pages
    return {
        **form_context(params),
        "page": page,
        "params": params,
        "sorts": sort_links(params),
        "facet_groups": facet_groups(params, page.facets),
        "filters": active_filters(params),
        "clear_url": clear_url(params),
        "pages": page_links(params, last),
        "prev_url": params.url(page=params.page - 1) if 1 < params.page <= last else None,
        "next_url": params.url(page=params.page + 1) if params.page < last else None,
        "last_page_url": params.url(page=last) if page.past_end and page.total else None,
        "export_url": reverse("search:export") + params.url(page=1),
        # synonyms widened the query: one click searches only what was typed (issue 16)
        "exact_url": params.url(exact=True, page=1) if page.parsed.expanded else None,
        "feed_url": reverse("search:feed") + params.url(page=1, page_size=20, sort=""),
    }
