"""/compare/: cities side by side by policy dimension; JSON and CSV twins."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from archive.exports import download
from archive.models import Figure
from archive.selectors import city_keywords

from .selectors import (
    CompareError,
    Comparison,
    cities_with_reports_for_picker,
    city_compare,
    city_term_rates,
    parse_cities,
)
from .serializers import COMPARE_COLUMNS, compare_records
from .terms import parse_terms

JSON = {"ensure_ascii": False}


#: figures read per table cell for the page: the first ``SHOWN`` are shown, the rest
#: behind "另有 N 项"; beyond ``PER_CELL`` the cell links the CSV export, which (like
#: the API) has every figure.
PER_CELL = 40
SHOWN = 6


@dataclass(frozen=True)
class Cell:
    """One table cell as the template draws it, counted here rather than in the template."""

    shown: list[Figure]
    more: list[Figure]  # behind "另有 N 项"
    hidden: int  # figures not shown at first, the N of "另有 N 项"
    beyond: int  # figures only in the export


def cell_layout(figures: list[Figure], total: int) -> Cell:
    """Split a cell's newest ``figures`` (of ``total``) into shown, more and beyond."""
    return Cell(
        figures[:SHOWN], figures[SHOWN:PER_CELL], max(0, total - SHOWN), max(0, total - PER_CELL)
    )


def table_cells(comparison: Comparison) -> dict[str, dict[int, Cell]]:
    """dimension key -> city pk -> its cell."""
    return {
        row.key: {pk: cell_layout(figures, row.totals[pk]) for pk, figures in row.cells.items()}
        for row in comparison.rows
    }


def compare_page(request: HttpRequest) -> HttpResponse:
    picked = ",".join(request.GET.getlist("city")[: 2 * 8])
    raw = ",".join(x for x in (request.GET.get("cities", ""), picked) if x)[:400]
    terms = parse_terms(request.GET.get("terms", "")[:200])
    context = {"raw_cities": raw, "terms": " ".join(terms), "error": None, "comparison": None}
    context["picker"] = cities_with_reports_for_picker()
    if raw.strip():
        try:
            cities = parse_cities(raw)
        except CompareError as exc:
            context["error"] = str(exc)
        else:
            context["comparison"] = city_compare(cities, per_cell=PER_CELL)
            context["cells"] = table_cells(context["comparison"])
            context["keywords"] = {c.pk: city_keywords(city=c, limit=8) for c in cities}
            context["chosen"] = {c.pk for c in cities}
            context["export_url"] = reverse("compare:export") + "?" + request.GET.urlencode()
            if terms:
                context["term_data"] = {
                    "terms": terms,
                    "cities": [c.name for c in cities],
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
