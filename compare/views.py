"""/compare/: cities side by side by policy dimension; JSON and CSV twins."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from archive.exports import csv_safe
from archive.page_cache import cached_page
from archive.selectors import city_keywords

from .dimensions import format_value
from .selectors import (
    CompareError,
    cities_with_reports_for_picker,
    city_compare,
    city_term_rates,
    parse_cities,
)
from .terms import parse_terms

JSON = {"ensure_ascii": False}


#: figures per table cell on the page: 6 shown, the rest behind "另有 N 项"; all of
#: them are in the CSV export and the API.
PER_CELL = 40


@cached_page
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
    try:
        cities = parse_cities(request.GET.get("cities", "")[:400])
    except CompareError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    comparison = city_compare(cities)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="compare.csv"'
    response.write("\ufeff")  # Excel needs the BOM to read UTF-8 Chinese
    writer = csv.writer(response)
    writer.writerow(
        [
            "dimension",
            "label",
            "city",
            "value",
            "unit",
            "display",
            "text",
            "qualifier",
            "year",
            "report_id",
            "sentence",
            "url",
        ]
    )
    for row in comparison.rows:
        for city in cities:
            for f in row.cells[city.pk]:
                writer.writerow(
                    [
                        row.key,
                        row.label,
                        city.name,
                        f.value,
                        f.unit,
                        format_value(f.value, f.unit),
                        f.text,
                        f.qualifier,
                        f.year or "",
                        f.report_id,
                        csv_safe(f.sentence),
                        request.build_absolute_uri(f.get_absolute_url()),
                    ]
                )
    return response
