"""Downloads for analysts: search results, a city's reports, the comparison table.

Each CSV has a JSON Lines twin with the same fields (archive/exports.py). Views
are thin: read the query string like the page does, call the page's selector,
stream the rows through ``archive.exports.download``. The search results'
downloads (/search/export.csv and .jsonl) are search.views.export_csv and the
comparison's CSV is compare.views.export_csv; the comparison's JSON Lines is here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.http import Http404, HttpRequest, HttpResponse

from archive.exports import REPORT_COLUMNS, Format, download
from archive.models import Report
from archive.selectors import city_by_name
from archive.serializers import report_dict
from compare.selectors import CompareError, city_compare, parse_cities, reports_of
from compare.serializers import COMPARE_COLUMNS, compare_records


def report_rows(request: HttpRequest, reports: Iterable[Report]) -> Iterator[dict]:
    """Listing rows of ``reports`` with absolute urls (a download leaves the site)."""
    for report in reports:
        yield report_dict(report, REPORT_COLUMNS, link=request.build_absolute_uri)


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
    rows = report_rows(request, reports)
    return download(rows, columns=REPORT_COLUMNS, fmt=fmt, filename=f"{city.slug}-reports")


def compare_jsonl(request: HttpRequest) -> HttpResponse:
    """/compare/export.csv as JSON Lines: one figure per line, with its sentence."""
    try:
        cities = parse_cities(request.GET.get("cities", "")[:400])
    except CompareError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    records = compare_records(cities, city_compare(cities), link=request.build_absolute_uri)
    return download(records, columns=COMPARE_COLUMNS, fmt="jsonl", filename="compare")
