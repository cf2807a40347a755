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
    """``search/_search_form.html`` for these params, rendered once per params and
    language: its dozen widgets, each a template of Django's form renderer, were
    a tenth of a warm /search/ (issue 15's profile). It reads only the form."""
    return _form_html(params, get_language(), get_script_prefix())


@lru_cache(maxsize=256)
def _form_html(params: SearchParams, language: str | None, prefix: str) -> str:
    context = {
        "form": SearchForm(params),
        "carried": carried_inputs(params),
        "advanced_open": advanced_open(params),
    }
    return render_to_string("search/_search_form.html", context)


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
