"""Reading pages and their JSON twins. Thin: a selector, then render."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from whoosh.index import EmptyIndexError

from search.selectors import similar_reports

from .models import City, Report
from .selectors import cities_with_reports, report_list
from .storage import original_path

PAGE_SIZE = 20


def parse_page(raw: str | None) -> int:
    """A page number from the query string; anything odd (page=-1, abc) is page 1."""
    try:
        page = int(raw or "1")
    except ValueError:
        return 1
    return page if page >= 1 else 1


def home(request: HttpRequest) -> HttpResponse:
    reports = report_list()
    paginator = Paginator(reports, PAGE_SIZE)
    page = paginator.get_page(parse_page(request.GET.get("page")))
    stats = Report.objects.aggregate(first=Min("published_on"), last=Max("published_on"))
    context = {
        "page": page,
        "report_count": paginator.count,
        "city_count": cities_with_reports().count(),
        "province_count": Report.objects.exclude(province=None)
        .values("province")
        .distinct()
        .count(),
        "first_date": stats["first"],
        "last_date": stats["last"],
    }
    return render(request, "archive/home.html", context)


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report.objects.select_related("city", "province"), pk=pk)
    try:
        similar = similar_reports(report)
    except (EmptyIndexError, OSError):
        similar = []  # the page reads fine without the index (it may be rebuilding)
    return render(request, "archive/report_detail.html", {"report": report, "similar": similar})


def report_original(request: HttpRequest, pk: int) -> FileResponse:
    """The original bytes exactly as uploaded, always as a download (never rendered)."""
    report = get_object_or_404(Report, pk=pk)
    path = original_path(report.original_sha256)
    if not path.exists():
        raise Http404("original file missing")
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=report.original_name.rsplit("/", 1)[-1]
    )
    response["Content-Type"] = "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def report_json(report: Report) -> dict:
    return {
        "id": report.pk,
        "title": report.title,
        "city": report.city.name if report.city else None,
        "province": report.province.name if report.province else None,
        "published_on": report.published_on_display,
        "date_precision": report.date_precision or None,
        "doc_type": report.doc_type,
        "source": report.source_name,
        "source_url": report.source_url,
        "script": report.script,
        "clean_text": report.clean_text,
        "original_url": reverse("archive:report_original", args=[report.pk]),
        "sha256": report.original_sha256,
        "duplicate_of": report.duplicate_of_id,
        "figures": [],
        "evidence": report.evidence,
    }


def api_report(request: HttpRequest, pk: int) -> JsonResponse:
    report = Report.objects.select_related("city", "province").filter(pk=pk).first()
    if report is None:
        return JsonResponse({"error": f"no report with id {pk}"}, status=404)
    return JsonResponse(report_json(report), json_dumps_params={"ensure_ascii": False})


def api_cities(request: HttpRequest) -> JsonResponse:
    if request.GET.get("all") == "1":
        cities = City.objects.select_related("province").order_by("adcode")
        counts = dict(cities_with_reports().values_list("pk", "report_count"))
    else:
        cities = cities_with_reports()
        counts = {c.pk: c.report_count for c in cities}
    rows = [
        {
            "name": c.name,
            "province": c.province.name,
            "slug": c.slug,
            "adcode": c.adcode,
            "level": c.level,
            "report_count": counts.get(c.pk, 0),
        }
        for c in cities
    ]
    return JsonResponse(rows, safe=False, json_dumps_params={"ensure_ascii": False})
