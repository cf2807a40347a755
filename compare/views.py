"""/compare/: cities side by side by policy dimension; JSON and CSV twins."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from archive.cache_versions import ARCHIVE
from archive.exports import download
from archive.fragments import city_scopes, lazy
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
from .selectors import (
    CompareError,
    Comparison,
    KindRow,
    cities_with_reports_for_picker,
    city_compare,
    city_term_rates,
    parse_cities,
)
from .serializers import COMPARE_COLUMNS, compare_records
from .terms import parse_terms

JSON = {"ensure_ascii": False}


#: figures read per dimension and city for the page (newest first); the CSV export,
#: like the API, has every figure.
PER_CELL = 40
#: figures shown per table cell, the rest behind "另有 N 项".
SHOWN = 6


@dataclass(frozen=True)
class Cell:
    """One table cell as the template draws it, counted here rather than in the template."""

    shown: list[Figure]
    more: list[Figure]  # behind "另有 N 项"

    @property
    def hidden(self) -> int:
        """The N of "另有 N 项"."""
        return len(self.more)


def cell_layout(figures: list[Figure]) -> Cell:
    """Split a cell's figures into the ``SHOWN`` first and the rest."""
    return Cell(figures[:SHOWN], figures[SHOWN:])


def table_rows(comparison: Comparison) -> list[tuple[KindRow, dict[int, Cell]]]:
    """Each dimension × kind row with its cells by city pk (issue 17's rows)."""
    return [
        (row, {pk: cell_layout(figures) for pk, figures in row.cells.items()})
        for row in comparison.kind_rows
    ]


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
    raw = ",".join(x for x in (request.GET.get("cities", ""), picked) if x)[:400]
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
            context["keywords"] = {c.pk: city_keywords(city=c, limit=8) for c in cities}
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
    raw = request.GET.get("cities", "")[:400]
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
