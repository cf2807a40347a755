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
from ..fragments import city_scopes, kept, lazy
from ..models import City, DocType, Province
from ..page_cache import cached_page
from ..place_names import place_name
from ..qualifiers import qualifier_label
from ..views import parse_page
from . import charts
from .listing import page_url, parse_sort, sort_links, sorted_reports
from .names import filter_groups, normalize_query

REPORTS_PER_PAGE = 50


def _paged(request: HttpRequest, reports, sort: str) -> dict:
    reports = sorted_reports(reports, sort)
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
    others = list(city_compare_suggestions(city))
    names = [other.name for other in others[:7]]
    return {
        "compare_links": [
            (place_name(other), "/compare/?" + urlencode({"cities": f"{city.name},{other.name}"}))
            for other in others[:8]
        ],
        "compare_all_url": "/compare/?" + urlencode({"cities": ",".join([city.name, *names])}),
    }


def _with_readers_qualifiers(rows: list) -> list:
    """Key figures with their qualifiers in the reader's language (最高 -> "up to").
    The rows' figures are copies read for this page (from the database or, unpickled,
    from the value cache), never saved; the template (compare/_key_figures.html)
    prints ``qualifier`` as it finds it."""
    for row in rows:
        row.figure.qualifier = qualifier_label(row.figure.qualifier)
    return rows


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
    scopes = city_scopes([city])
    context = {
        "city": city,
        "city_scopes": scopes,
        "span": kept("city-span", [city.pk], scopes, lambda: selectors.city_span(city=city)),
        "keywords": selectors.city_keywords(city=city),
        # Read only where their fragment is drawn (archive/fragments.py).
        "key_figures": lazy(lambda: _with_readers_qualifiers(city_key_figures(city))),
        "timeline": lazy(lambda: _timeline(city)),
        "sort": sort,
        "sorts": sort_links(sort),
        "search_url": reverse("search:search"),
        "page_number": parse_page(request.GET.get("page")),
        "paged": lazy(lambda: _paged(request, selectors.city_reports(city=city), sort)),
        **_compare_links(city),
    }
    return render(request, "archive/city_detail.html", context)


def _timeline(city: City) -> charts.Chart:
    """The city's reports by year and type, as the timeline chart draws them."""
    labels = dict(DocType.choices)
    return charts.timeline(
        selectors.city_timeline(city=city),
        label=lambda t: str(labels.get(t, t)),
        unit=_("篇"),
    )
