"""Staff upload page and review of held-back reports (mounted by ReportAdmin.get_urls,
so the admin's login, staff check and look come with it).

The page is a plain multi-file form; static/js/upload.js adds drag and drop and
a progress bar on top. After a POST the rows go to the session and the browser
is redirected to ``?batch=<key>``: reloading the result page never uploads twice,
and reviewing a row comes back to the same table.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from archive.models import Report
from archive.selectors import gazetteer_city_choices, reports_by_ids
from search.engine import deferred_indexing

from .batch import upload_batch
from .forms import ReviewForm, UploadForm
from .handlers import SizeLimitHandler
from .services import report_publish

SESSION_KEY = "upload_batches"
KEEP_BATCHES = 5
#: what staff typed into a review form that failed, by report id, shown once
DRAFTS_KEY = "review_drafts"


def _max_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def upload(request: HttpRequest, admin_context: dict) -> HttpResponse:
    """GET: the form (and a batch's results); POST: ingest the files, then redirect.

    The outer view is csrf_exempt (urls.py) only so the size limit handler can be
    installed before the body is parsed; ``_receive`` is csrf_protect'ed.
    """
    _require(request, "archive.add_report")
    if request.method == "POST":
        limiter = SizeLimitHandler(request, max_bytes=_max_bytes())
        request.upload_handlers.insert(0, limiter)  # before request.POST is read
        return csrf_protect(_receive)(request, limiter)
    batch = request.GET.get("batch", "")
    rows = request.session.get(SESSION_KEY, {}).get(batch, [])
    return _render(request, admin_context, UploadForm(), rows, batch)


def _receive(request: HttpRequest, limiter: SizeLimitHandler) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    files = form.cleaned_data["files"] if form.is_valid() else []
    if not files and not limiter.too_large:
        messages.error(request, "请选择要上传的文件 / choose at least one file")
        return HttpResponseRedirect(request.path)
    with deferred_indexing():  # one index write for the batch, after every commit
        rows = upload_batch(
            files=files, too_large=limiter.too_large, user=request.user, max_bytes=_max_bytes()
        )
    key = secrets.token_urlsafe(8)
    batches = request.session.get(SESSION_KEY, {})
    batches = dict(list(batches.items())[-(KEEP_BATCHES - 1) :])
    batches[key] = [row.as_dict() for row in rows]
    request.session[SESSION_KEY] = batches
    return HttpResponseRedirect(f"{request.path}?batch={key}")


def _render(request, admin_context, form, rows: list[dict], batch: str) -> HttpResponse:
    reports = reports_by_ids([r["report_id"] for r in rows if r.get("report_id")])
    linked = reports_by_ids(
        [r[k] for r in rows for k in ("duplicate_of", "near_duplicate_of") if r.get(k)]
    )
    table = []
    for row in rows:
        report = reports.get(row["report_id"])
        pending = report is not None and report.needs_review
        shown = row["status"]
        if shown == "needs_review" and not pending:
            shown = "created"  # reviewed since the upload
        elif shown == "created" and report is None and row["report_id"]:
            shown = "deleted"
        table.append(
            {
                **row,
                "shown": shown,
                "report": report,
                "original": linked.get(row["duplicate_of"]),
                "near": linked.get(row["near_duplicate_of"]),
                "review_form": _review_form(request, report) if pending else None,
            }
        )
    context = {
        **admin_context,
        "title": "上传报告 / Upload reports",
        "form": form,
        "rows": table,
        "batch": batch,
        "counts": _counts(table),
        "max_mb": settings.MAX_UPLOAD_MB,
        "max_bytes": _max_bytes(),
        "awaiting_review": Report.objects.filter(needs_review=True).count(),
        "cities": gazetteer_city_choices()
        if any(r["review_form"] and not r["report"].city_id for r in table)
        else [],
    }
    return render(request, "archive/upload.html", context)


def _review_form(request: HttpRequest, report: Report) -> ReviewForm:
    """The row's review form, holding what staff typed if their last try failed:
    a bad date must not clear the city they had picked (issue 19). The draft is
    shown once, bound, so its errors show beside the fields."""
    draft = request.session.get(DRAFTS_KEY, {}).get(str(report.pk))
    if draft is None:
        return ReviewForm(report=report)
    drafts = dict(request.session[DRAFTS_KEY])
    drafts.pop(str(report.pk))
    request.session[DRAFTS_KEY] = drafts
    form = ReviewForm(draft, report=report)
    form.is_valid()  # fills form.errors for the template
    return form


def _counts(table: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(("created", "needs_review", "duplicate", "failed"), 0)
    for row in table:
        counts[row["shown"]] = counts.get(row["shown"], 0) + 1
    return counts


@require_POST
def review(request: HttpRequest, pk: int, admin_context: dict) -> HttpResponse:
    """Publish a held-back report with the city/date staff picked."""
    _require(request, "archive.change_report")
    report = get_object_or_404(Report.objects.select_related("city"), pk=pk)
    form = ReviewForm(request.POST, report=report)
    if form.is_valid():
        report_publish(
            report=report,
            user=request.user,
            city=form.cleaned_data["city"],
            published=form.cleaned_data["published"],
        )
        messages.success(request, f"#{report.pk} 已审核发布 / reviewed and published")
    else:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"#{report.pk} 未发布 / not published: {errors}")
        drafts = request.session.get(DRAFTS_KEY, {})
        typed = {name: request.POST.get(name, "")[:80] for name in ("city", "published")}
        request.session[DRAFTS_KEY] = {**drafts, str(report.pk): typed}
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("admin:archive_report_upload")
    return HttpResponseRedirect(target)
