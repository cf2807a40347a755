"""Browse pages: the city directory, a province, a city. Thin: selectors, then render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from compare.selectors import city_compare_suggestions, city_key_figures

from .. import selectors
from ..models import City, DocType, Province
from ..page_cache import cached_page
from ..views import parse_page
from . import charts
from .listing import page_url, parse_sort, sort_links, sorted_reports
from .names import filter_groups, normalize_query

REPORTS_PER_PAGE = 50


def _paged(request: HttpRequest, reports, sort: str) -> dict:
    page: Page = Paginator(reports, REPORTS_PER_PAGE).get_page(parse_page(request.GET.get("page")))
    return {
        "page": page,
        "prev_url": page_url(sort, page.number - 1) if page.has_previous() else None,
        "next_url": page_url(sort, page.number + 1) if page.has_next() else None,
    }


def _compare_links(city: City) -> dict:
    """Links to /compare/ (compare app) pairing this city with the cities the data
    suggests (same province, same dimensions, larger archives), and one with up
    to eight at once (its maximum)."""
    others = [other.name for other in city_compare_suggestions(city)]
    return {
        "compare_links": [
            (name, "/compare/?" + urlencode({"cities": f"{city.name},{name}"}))
            for name in others[:8]
        ],
        "compare_all_url": "/compare/?" + urlencode({"cities": ",".join([city.name, *others[:7]])}),
    }


@cached_page
def city_list(request: HttpRequest) -> HttpResponse:
    """Every city with reports; ``?q=`` hides the others (city-filter.js does it live)."""
    raw = request.GET.get("q", "")[:200]
    groups = selectors.city_directory()
    shown = filter_groups(groups, normalize_query(raw))
    shown_cities = {row.city.pk for group in shown for row in group.cities}
    context = {
        "q": "".join(ch for ch in raw.strip() if ch.isprintable())[:40],
        "groups": groups,
        "shown_provinces": {group.province.pk for group in shown},
        "shown_cities_ids": shown_cities,
        "total_cities": sum(len(g.cities) for g in groups),
        "shown_cities": len(shown_cities),
    }
    return render(request, "archive/city_list.html", context)


@cached_page
def province_detail(request: HttpRequest, slug: str) -> HttpResponse:
    province = get_object_or_404(Province, slug=slug)
    groups = selectors.city_directory(province=province)
    reports = selectors.public_reports().filter(province=province)
    context = {
        "province": province,
        "span": selectors.province_span(province=province),
        "cities": groups[0].cities if groups else [],
        "reports": reports[:20],
    }
    return render(request, "archive/province_detail.html", context)


@cached_page
def city_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if not slug.isprintable() or len(slug) > 80:  # NUL breaks PostgreSQL queries
        raise Http404("no such city")
    city = City.objects.select_related("province", "parent").filter(slug=slug).first()
    if city is None:
        # /cities/泸州市/ or /cities/瀘州/: a name typed into the address bar.
        found = selectors.city_by_name(slug[:40])
        if found is None:
            raise Http404("no such city")
        return redirect("archive:city_detail", slug=found.slug, permanent=True)
    sort = parse_sort(request.GET.get("sort"))
    reports = sorted_reports(selectors.city_reports(city=city), sort)
    labels = dict(DocType.choices)
    context = {
        "city": city,
        "span": selectors.city_span(city=city),
        "keywords": selectors.city_keywords(city=city),
        "key_figures": city_key_figures(city),
        "timeline": charts.timeline(
            selectors.city_timeline(city=city),
            label=lambda t: str(labels.get(t, t)),
            unit=_("篇"),
        ),
        "sort": sort,
        "sorts": sort_links(sort),
        "search_url": reverse("search:search"),
        **_compare_links(city),
        **_paged(request, reports, sort),
    }
    return render(request, "archive/city_detail.html", context)
