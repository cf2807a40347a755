"""/compare/: cities side by side by policy dimension; JSON and CSV twins."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from archive.exports import csv_lines, csv_safe
from archive.page_cache import cached_page
from archive.selectors import city_keywords

from .applicant import (
    APPLICANT_COLUMNS,
    EDUCATION,
    TIERS,
    applicant_records,
    applicant_view,
    parse_profile,
)
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
            context["applicant_url"] = (
                reverse("compare:applicant")
                + "?"
                + urlencode({"cities": ",".join(c.name for c in cities)})
            )
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
            "kind",
            "beneficiary",
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
                        f.kind,
                        f.beneficiary,
                        f.year or "",
                        f.report_id,
                        csv_safe(f.sentence),
                        request.build_absolute_uri(f.get_absolute_url()),
                    ]
                )
    return response


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
    response = StreamingHttpResponse(
        csv_lines(APPLICANT_COLUMNS, records), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="applicant.csv"'
    return response
