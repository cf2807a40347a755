"""/compare/: cities side by side by policy dimension; JSON and CSV twins."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from archive.cache_versions import ARCHIVE
from archive.exports import download
from archive.fragments import city_scopes, lazy
from archive.ingest.figures import DIMENSIONS
from archive.models import City, Figure
from archive.page_cache import cached_page
from archive.place_names import place_name
from archive.selectors import city_keywords

from .applicant import (
    APPLICANT_COLUMNS,
    EDUCATION,
    TIERS,
    applicant_records,
    applicant_view,
    parse_profile,
)
from .dimensions import KIND_LABELS, LABELS
from .selectors import (
    COMPARE_KEYWORDS,
    KIND_ORDER,
    PER_CELL,
    CompareError,
    Comparison,
    KindRow,
    cities_with_reports_for_picker,
    city_compare,
    city_list_text,
    city_term_rates,
    parse_cities,
)
from .serializers import COMPARE_COLUMNS, compare_records
from .terms import parse_terms

JSON = {"ensure_ascii": False}


#: figures shown per table cell, the rest behind "另有 N 项".
SHOWN = 6


@dataclass(frozen=True)
class Cell:
    """One table cell as the template draws it, counted here rather than in the template.

    Only the ``SHOWN`` first figures are drawn on the page; the rest are a link to
    ``more_figures`` (fetched into the cell when it is opened, static/js/compare-more.js).
    Why: drawing every figure behind "另有 N 项" made a compare page ~850 KB and its
    drawing a third of a cold compare request (issue 18 stop 24 profile).
    """

    shown: list[Figure]
    hidden: int  # the N of "另有 N 项"
    more_url: str = ""


def more_url(city: City, row: KindRow) -> str:
    """The address of a cell's figures past the ``SHOWN`` first (``more_figures``)."""
    query = urlencode({"city": city.slug, "dimension": row.key, "kind": row.kind})
    return f"{reverse('compare:more')}?{query}"


def cell_layout(figures: list[Figure], url: str = "") -> Cell:
    """Split a cell's figures into the ``SHOWN`` first and the count of the rest."""
    hidden = max(len(figures) - SHOWN, 0)
    return Cell(figures[:SHOWN], hidden, url if hidden else "")


def table_rows(comparison: Comparison) -> list[tuple[KindRow, dict[int, Cell]]]:
    """Each dimension × kind row with its cells by city pk (issue 17's rows)."""
    cities = comparison.cities
    return [
        (row, {c.pk: cell_layout(row.cells[c.pk], more_url(c, row)) for c in cities})
        for row in comparison.kind_rows
    ]


def hidden_figures(city: City, dimension: str, kind: str) -> list[Figure]:
    """The figures of one city's cell past the ``SHOWN`` first, as the compare page
    counts them: a cell's figures depend on its own city only (``Comparison.kind_rows``
    filters each city's figures by the row's kind), so one city's comparison gives
    the same list as the page of any cities."""
    for row in city_compare([city], per_cell=PER_CELL).kind_rows:
        if row.key == dimension and row.kind == kind:
            return row.cells[city.pk][SHOWN:]
    return []


def _table_context(cities: list[City]) -> dict:
    """The compare table, read only where its fragments are drawn (archive/fragments.py):
    it shows the chosen cities' own reports and figures, kept per city version."""
    comparison = lazy(lambda: city_compare(cities, per_cell=PER_CELL))
    return {
        "cities": cities,
        "city_pks": tuple(c.pk for c in cities),
        "city_scopes": city_scopes(cities),
        "comparison": comparison,
        "table": lazy(lambda: table_rows(comparison)),
    }


@cached_page
def compare_page(request: HttpRequest) -> HttpResponse:
    picked = ",".join(request.GET.getlist("city")[: 2 * 8])
    raw = city_list_text(",".join(x for x in (request.GET.get("cities", ""), picked) if x))
    terms = parse_terms(request.GET.get("terms", "")[:200])
    context = {"raw_cities": raw, "terms": " ".join(terms), "error": None, "comparison": None}
    context["picker"] = cities_with_reports_for_picker()
    context["archive_scopes"] = [ARCHIVE]
    if raw.strip():
        try:
            cities = parse_cities(raw)
        except CompareError as exc:
            context["error"] = str(exc)
        else:
            context.update(_table_context(cities))
            context["keywords"] = {
                c.pk: city_keywords(city=c, limit=COMPARE_KEYWORDS) for c in cities
            }
            context["chosen"] = {c.pk for c in cities}
            context["export_url"] = reverse("compare:export") + "?" + request.GET.urlencode()
            context["applicant_url"] = (
                reverse("compare:applicant")
                + "?"
                + urlencode({"cities": ",".join(c.name for c in cities)})
            )
            if terms:
                context["term_data"] = {
                    "terms": terms,
                    "cities": [c.name for c in cities],
                    "labels": {c.name: place_name(c) for c in cities},  # reader's language
                    **city_term_rates(cities, terms),
                }
    return render(request, "compare/compare.html", context)


@cached_page
def more_figures(request: HttpRequest) -> HttpResponse:
    """/compare/more/?city=luzhou&dimension=housing&kind=per_person: a cell's figures
    past the ``SHOWN`` the compare page draws; a page of its own without JavaScript."""
    slug = request.GET.get("city", "")[:80]
    dimension, kind = request.GET.get("dimension", ""), request.GET.get("kind", "")
    if dimension not in DIMENSIONS or kind not in KIND_ORDER or not slug.isprintable():
        raise Http404("no such cell")
    city = City.objects.select_related("province").filter(slug=slug).first()
    figures = hidden_figures(city, dimension, kind) if city is not None else []
    if not figures:
        raise Http404("no such cell")
    context = {
        "city": city,
        "label": LABELS[dimension],
        "kind_label": KIND_LABELS.get(kind, ""),
        "figures": figures,
        "shown": SHOWN,
    }
    return render(request, "compare/more.html", context)


def export_csv(request: HttpRequest) -> HttpResponse:
    """One row per figure of the chosen cities, every figure (not only a page's worth)."""
    try:
        cities = parse_cities(request.GET.get("cities", "")[:400])
    except CompareError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    rows = compare_records(cities, city_compare(cities), link=request.build_absolute_uri)
    return download(rows, columns=COMPARE_COLUMNS, fmt="csv", filename="compare")


def applicant_page(request: HttpRequest) -> HttpResponse:
    """/compare/applicant/?cities=…&education=硕士&tier=&age=&graduate=1 (issue 17)."""
    raw = city_list_text(request.GET.get("cities", ""))
    context = {
        "raw_cities": raw,
        "params": request.GET,
        "education_choices": EDUCATION,
        "tier_choices": TIERS,
        "error": None,
        "entries": None,
        "picker": cities_with_reports_for_picker(),
    }
    if raw.strip():
        try:
            cities, profile = parse_cities(raw), parse_profile(request.GET)
        except CompareError as exc:
            context["error"] = str(exc)
        else:
            context["profile"] = profile
            context["entries"] = applicant_view(cities, profile)
            query = request.GET.urlencode()
            context["export_url"] = reverse("compare:applicant_export") + "?" + query
            context["json_url"] = reverse("api:compare_applicant") + "?" + query
    status = 400 if context["error"] else 200
    return render(request, "compare/applicant.html", context, status=status)


def applicant_csv(request: HttpRequest) -> HttpResponse:
    """The applicant view as CSV: one row per amount or condition, and per silence."""
    try:
        cities = parse_cities(request.GET.get("cities", "")[:400])
        profile = parse_profile(request.GET)
    except CompareError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    records = applicant_records(applicant_view(cities, profile))
    return download(records, columns=APPLICANT_COLUMNS, fmt="csv", filename="applicant")
