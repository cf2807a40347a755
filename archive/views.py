"""Reading pages and their JSON twins. Thin: a selector, then render."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from compare.dimensions import LABELS as DIMENSION_LABELS
from search import engine

from .browse import charts, reading
from .fragments import report_scopes
from .models import Report
from .page_cache import cached_page
from .place_names import place_name
from .selectors import archive_overview, public_original_of, public_reports, visible_links
from .storage import original_path

PAGE_SIZE = 20


def parse_page(raw: str | None) -> int:
    """A page number from the query string; anything odd (page=-1, abc) is page 1."""
    try:
        page = int(raw or "1")
    except ValueError:
        return 1
    return page if page >= 1 else 1


@cached_page
def home(request: HttpRequest) -> HttpResponse:
    overview = archive_overview()
    paginator = Paginator(public_reports(), PAGE_SIZE)
    page = paginator.get_page(parse_page(request.GET.get("page")))
    provinces = [
        (place_name(p), n, reverse("archive:province_detail", args=[p.slug]))
        for p, n in overview.by_province
    ]
    context = {
        "overview": overview,
        "page": page,
        "prev_url": f"?page={page.previous_page_number()}" if page.has_previous() else None,
        "next_url": f"?page={page.next_page_number()}" if page.has_next() else None,
        "provinces": provinces,
        "province_chart": charts.reports_by_place(provinces, name=_("报告"), unit=_("篇")),
        "year_chart": charts.reports_by_year(overview.by_year, name=_("报告"), unit=_("篇")),
    }
    return render(request, "archive/home.html", context)


def visible_report(request: HttpRequest, pk: int) -> Report:
    """A report the requester may open (archive/visibility.py): held reports and
    confirmed duplicates are for reviewing staff only."""
    reports = Report.objects.visible_to(request.user).select_related("city", "province")
    return get_object_or_404(reports, pk=pk)


@cached_page
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        report = visible_report(request, pk)
    except Http404:
        # A confirmed duplicate's address may have been shared before it was marked:
        # the reader lands on the original, which says the same.
        original = public_original_of(pk)
        if original is None:
            raise
        return redirect(original)
    view = reading.reading_view(
        report,
        list(report.figures.all()),
        requested_script=request.GET.get("script"),
        language=get_language() or settings.LANGUAGE_CODE,
        dimension_labels=DIMENSION_LABELS,
    )
    similar = _similar(report)
    context = {
        "report": report,
        "view": view,
        "original_filename": report.original_name.rsplit("/", 1)[-1],
        "archive_url": request.build_absolute_uri(report.get_absolute_url()),
        "accessed_on": timezone.localdate(),
        "similar": similar or [],
        "report_scopes": report_scopes(report),
        **visible_links(report, user=request.user),
    }
    response = render(request, "archive/report_detail.html", context)
    if similar is None:
        add_never_cache_headers(response)  # not kept: similar reports are missing
    return response


def _similar(report: Report) -> list[Report] | None:
    """Reports like this one, or None when the index cannot answer (it may be
    rebuilding): the page reads fine without them."""
    try:
        return engine.similar_reports(report)
    except engine.SearchUnavailable:
        return None


def report_original(request: HttpRequest, pk: int) -> FileResponse:
    """The original bytes exactly as uploaded, always as a download (never rendered)."""
    report = visible_report(request, pk)
    path = original_path(report.original_sha256)
    if not path.exists():
        raise Http404("original file missing")
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=report.original_name.rsplit("/", 1)[-1]
    )
    response["Content-Type"] = "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    return response
