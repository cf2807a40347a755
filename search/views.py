"""Search page, its JSON twin and CSV export: validate params, select, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from archive.exports import REPORT_COLUMNS, Format, download
from archive.serializers import report_dict

from .engine import SearchUnavailable
from .params import parse_params
from .selectors import report_search, report_search_all

JSON = {"ensure_ascii": False}


def search_page(request: HttpRequest) -> HttpResponse:
    params = parse_params(request.GET, strict=False)
    try:
        page = report_search(params)
    except SearchUnavailable:
        return render(request, "search/unavailable.html", {"params": params}, status=503)
    context = {
        "page": page,
        "params": params,
        "sorts": [
            (key, label, params.url(sort=key, page=1))
            for key, label in (
                ("relevance", _("相关度")),
                ("newest", _("最新")),
                ("oldest", _("最早")),
            )
        ],
        "export_url": reverse("search:export") + params.url(page=1),
        "prev_url": params.url(page=params.page - 1) if params.page > 1 else None,
        "next_url": params.url(page=params.page + 1) if params.page < page.num_pages else None,
    }
    return render(request, "search/search.html", context)


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
