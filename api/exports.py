"""Downloads for analysts: search results, a city's reports, the comparison table.

Each CSV has a JSON Lines twin with the same fields (archive/exports.py). Views
are thin: read the query string like the page does, call the page's selector,
stream the rows. /search/export.csv and /compare/export.csv predate this module
and stay where they are; their JSON Lines twins live here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse

from archive.exports import REPORT_COLUMNS, csv_lines, jsonl_lines, report_record
from archive.models import Report
from archive.selectors import city_by_name
from compare.selectors import CompareError, city_compare, parse_cities, reports_of
from search.engine import SearchUnavailable
from search.params import parse_params
from search.selectors import report_search_all

from .compare import compare_records

Format = Literal["csv", "jsonl"]
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
COMPARE_COLUMNS = (
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
)


def download(
    records: Iterable[dict], *, columns: Iterable[str], fmt: Format, filename: str
) -> StreamingHttpResponse:
    lines = jsonl_lines(records) if fmt == "jsonl" else csv_lines(tuple(columns), records)
    response = StreamingHttpResponse(lines, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _report_rows(request: HttpRequest, reports: Iterable[Report]) -> Iterator[dict]:
    for report in reports:
        yield report_record(report, url=request.build_absolute_uri(report.get_absolute_url()))


def search_jsonl(request: HttpRequest) -> HttpResponse:
    """The search results of /search/?… (same params, up to 5,000) as JSON Lines."""
    params = parse_params(request.GET, strict=False)
    try:
        reports = report_search_all(params)
    except SearchUnavailable:
        return HttpResponse("search index unavailable", status=503)
    rows = _report_rows(request, reports)
    return download(rows, columns=REPORT_COLUMNS, fmt="jsonl", filename="search-results")


def city_reports(request: HttpRequest, name: str, fmt: Format) -> HttpResponse:
    """A city's public reports, its counties' included (as on /compare/), newest first.

    ``name`` is a slug (luzhou) or any name the compare page accepts (泸州市, 瀘州).
    """
    city = city_by_name(name[:80])
    if city is None:
        raise Http404(f"no city {name[:80]!r}")
    reports = (
        reports_of(city)
        .select_related("city", "province")
        .order_by("-published_on", "-id")
        .iterator(chunk_size=500)
    )
    rows = _report_rows(request, reports)
    return download(rows, columns=REPORT_COLUMNS, fmt=fmt, filename=f"{city.slug}-reports")


def compare_jsonl(request: HttpRequest) -> HttpResponse:
    """/compare/export.csv as JSON Lines: one figure per line, with its sentence."""
    try:
        cities = parse_cities(request.GET.get("cities", "")[:400])
    except CompareError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    records = (
        {**record, "url": request.build_absolute_uri(record["url"])}
        for record in compare_records(cities, city_compare(cities))
    )
    return download(records, columns=COMPARE_COLUMNS, fmt="jsonl", filename="compare")
