"""Search page, its JSON twin and CSV export: validate params, select, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from archive.exports import REPORT_COLUMNS, Format, download
from archive.page_cache import cached_page
from archive.serializers import report_dict

from .engine import SearchUnavailable
from .page_context import form_context, results_context
from .params import parse_params
from .selectors import answer_inputs, answer_versions, report_search, report_search_all

JSON = {"ensure_ascii": False}


@cached_page(also=answer_inputs, versions=answer_versions)
def search_page(request: HttpRequest) -> HttpResponse:
    params = parse_params(request.GET, strict=False)
    try:
        page = report_search(params)
    except SearchUnavailable:
        context = {"params": params, **form_context(params)}
        return render(request, "search/unavailable.html", context, status=503)
    return render(request, "search/search.html", results_context(params, page))


def export_csv(request: HttpRequest, fmt: Format = "csv") -> HttpResponse:
    """The results of /search/?… (same params, up to 5,000) as a listing CSV, or with
    ``fmt="jsonl"`` (/search/export.jsonl) as its JSON Lines twin."""
    params = parse_params(request.GET, strict=False)
    try:
        reports = report_search_all(params)
    except SearchUnavailable:
        return HttpResponse("search index unavailable", status=503)
    rows = (report_dict(r, REPORT_COLUMNS, link=request.build_absolute_uri) for r in reports)
    return download(rows, columns=REPORT_COLUMNS, fmt=fmt, filename="search-results")
