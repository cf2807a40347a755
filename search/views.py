"""Search page, its JSON twin and CSV export: validate params, select, render."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from archive.exports import csv_safe

from .engine import SearchUnavailable
from .page_context import form_context, results_context
from .params import parse_params
from .selectors import SearchPage, report_search, report_search_all

JSON = {"ensure_ascii": False}


def search_page(request: HttpRequest) -> HttpResponse:
    params = parse_params(request.GET, strict=False)
    try:
        page = report_search(params)
    except SearchUnavailable:
        context = {"params": params, **form_context(params)}
        return render(request, "search/unavailable.html", context, status=503)
    return render(request, "search/search.html", results_context(params, page))


def _hit_json(hit) -> dict:
    report = hit.report
    return {
        "id": report.pk,
        "title": report.title,
        "city": report.city.name if report.city else None,
        "province": report.province.name if report.province else None,
        "published_on": report.published_on_display,
        "doc_type": report.doc_type,
        "doc_number": report.doc_number,
        "issuer": report.issuer,
        "url": report.get_absolute_url(),
        "highlights": hit.highlights,
        "score": round(hit.score, 4),
    }


def page_json(page: SearchPage) -> dict:
    return {
        "count": page.total,
        "page": page.params.page,
        "page_size": page.params.page_size,
        "num_pages": page.num_pages,
        "results": [_hit_json(hit) for hit in page.hits],
        "expanded": list(page.parsed.expanded),
        "facets": {
            name: [{"value": value, "count": count} for value, count in values]
            for name, values in page.facets.items()
        },
        "took_ms": round(page.took_ms, 1),
    }


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_csv(request: HttpRequest) -> HttpResponse:
    params = parse_params(request.GET, strict=False)
    try:
        reports = report_search_all(params)
    except SearchUnavailable:
        return HttpResponse("search index unavailable", status=503)
    writer = csv.writer(_Echo())
    header = [
        "id", "title", "city", "province", "published_on", "doc_type", "source", "doc_number",
        "issuer", "url",
    ]  # fmt: skip

    def rows():
        yield "\ufeff"  # BOM: Excel opens UTF-8 Chinese correctly only with it
        yield writer.writerow(header)
        for r in reports:
            yield writer.writerow(
                [
                    r.pk,
                    csv_safe(r.title),
                    r.city.name if r.city else "",
                    r.province.name if r.province else "",
                    r.published_on_display or "",
                    r.doc_type,
                    csv_safe(r.source_name),
                    csv_safe(r.doc_number),
                    csv_safe(r.issuer),
                    request.build_absolute_uri(r.get_absolute_url()),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="search-results.csv"'
    return response
