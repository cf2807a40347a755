"""Staff views of the archive: browse, correct, review, reprocess and reindex reports.

Reports are never created here by hand: "add report" leads to the upload page, so
every report comes through ``report_ingest`` (duplicates, audit, originals). Edits
of detected metadata go through ``report_update``: they become overrides that
survive ``reprocess`` and are written to the audit log. Everything derived from an
upload is shown escaped (format_html), never marked safe.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from search.engine import deferred_indexing, drain_queue_quietly, enqueue

from .admin_list import LIST_DISPLAY, LIST_FILTER, ReportAdminForm, ReportListColumns
from .ingest.types import IngestError
from .models import AuditEntry, City, Figure, Province, Report
from .services import OVERRIDABLE, report_reprocess
from .upload.services import (
    EDITABLE_FLAGS,
    report_delete,
    report_mark_duplicate,
    report_publish,
    report_unmark_duplicate,
    report_update,
)
from .upload.urls import admin_urls

# The admin's titles in the interface language (Django's default: "Django 站点管理员").
admin.site.site_header = _("人才政策档案库 · 管理")
admin.site.site_title = _("人才政策档案库 · 管理")
admin.site.index_title = _("管理")
# The report list needs the width more than the app list beside it.
admin.site.enable_nav_sidebar = False

#: evidence keys that are data, not explanations for staff.
_HIDDEN_EVIDENCE = {"minhash", "hints"}


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("name", "adcode", "short_name", "slug")
    search_fields = ("name", "short_name", "pinyin", "adcode")


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("name", "adcode", "level", "province", "parent", "slug")
    list_filter = ("level", "province")
    search_fields = ("name", "short_name", "pinyin", "adcode")
    raw_id_fields = ("parent",)


class FigureInline(admin.TabularInline):
    model = Figure
    fields = ("ordinal", "text", "value", "unit", "qualifier", "year", "dimension", "sentence")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False  # figures are re-extracted by reprocess; hand edits would be lost


class AuditInline(admin.TabularInline):
    model = AuditEntry
    fields = ("at", "action", "user", "changes")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-at",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReportListColumns, admin.ModelAdmin):
    list_display = LIST_DISPLAY
    list_filter = LIST_FILTER
    form = ReportAdminForm
    list_select_related = ("city", "province")
    search_fields = (
        "title", "source_name", "doc_number", "issuer", "source_url", "original_name",
        "=original_sha256",
    )  # fmt: skip
    autocomplete_fields = ("city", "province")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    raw_id_fields = ("duplicate_of", "near_duplicate_of")
    actions = ("reprocess", "reindex", "publish", "mark_duplicate", "unmark_duplicate")
    inlines = (FigureInline, AuditInline)
    fieldsets = (
        (None, {"fields": (*OVERRIDABLE, "needs_review")}),
        (_("检测依据"), {"fields": ("evidence_table", "overrides", "capture")}),
        (
            _("重复"),
            {
                "fields": (
                    "duplicate_status",
                    "duplicate_of",
                    "near_duplicate_of",
                    "near_duplicate_score",
                )
            },
        ),
        (
            _("原始文件"),
            {
                "classes": ("collapse",),
                "fields": (
                    "original_name",
                    "original_sha256",
                    "original_size",
                    "encoding",
                    "uploaded_by",
                    "created_at",
                    "updated_at",
                    "clean_text",
                    "removed",
                ),
            },
        ),
    )
    readonly_fields = (
        "duplicate_status",
        "needs_review",
        "evidence_table",
        "overrides",
        "capture",
        "near_duplicate_score",
        "original_name",
        "original_sha256",
        "original_size",
        "encoding",
        "uploaded_by",
        "created_at",
        "updated_at",
        "clean_text",
        "removed",
    )

    def get_urls(self):
        return admin_urls(self) + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        """Reports come in through the upload page only (report_ingest)."""
        return HttpResponseRedirect(reverse("admin:archive_report_upload"))

    @admin.display(description=_("重复"))
    def duplicate_status(self, obj: Report) -> str:
        if obj.duplicate_of_id:
            return format_html("重复于 #{}", obj.duplicate_of_id)
        if obj.near_duplicate_of_id:
            return format_html(
                "可能重复于 #{}（{}）", obj.near_duplicate_of_id, f"{obj.near_duplicate_score:.2f}"
            )
        return "—"

    @admin.display(description=_("检测依据"))
    def evidence_table(self, obj: Report) -> str:
        rows = [(k, v) for k, v in (obj.evidence or {}).items() if k not in _HIDDEN_EVIDENCE]
        if not rows:
            return "—"
        body = format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows)
        return format_html("<table>{}</table>", body)

    @admin.display(description=_("网页存档"))
    def capture(self, obj: Report) -> str:
        hints = (obj.evidence or {}).get("hints") or {}
        if not hints:
            return "—"
        return format_html("{} · {}", hints.get("source_url", ""), hints.get("captured_at", ""))

    def save_model(self, request, obj, form, change):
        """Staff edits become overrides (they survive reprocess) and are audited."""
        if not change:
            return super().save_model(request, obj, form, change)
        editable = set(OVERRIDABLE) | set(EDITABLE_FLAGS)
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f in editable}
        if changes:
            fresh = Report.objects.get(pk=obj.pk)
            report_update(report=fresh, changes=changes, user=request.user)
            obj.refresh_from_db()

    def delete_model(self, request, obj):
        report_delete(report=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for report in queryset:
            report_delete(report=report, user=request.user)

    @admin.action(description=_("重新处理（从原始文件）"))
    def reprocess(self, request, queryset: QuerySet[Report]):
        failed = []
        with deferred_indexing():
            for report in queryset:
                try:
                    report_reprocess(report=report, user=request.user)
                except (IngestError, OSError) as exc:
                    failed.append(f"#{report.pk}: {getattr(exc, 'reason', exc)}")
        done = queryset.count() - len(failed)
        self.message_user(request, f"已重新处理 {done} 篇 / reprocessed {done}")
        if failed:
            self.message_user(request, "；".join(failed), level=messages.ERROR)

    @admin.action(description=_("重建索引"))
    def reindex(self, request, queryset: QuerySet[Report]):
        ids = list(queryset.values_list("pk", flat=True))
        enqueue(ids)
        drain_queue_quietly()
        self.message_user(request, f"已重建 {len(ids)} 篇的索引 / reindexed {len(ids)}")

    @admin.action(description=_("审核并发布"), permissions=["change"])
    def publish(self, request, queryset: QuerySet[Report]):
        reports = list(queryset.filter(needs_review=True))
        for report in reports:
            report_publish(report=report, user=request.user)
        self.message_user(request, f"已发布 {len(reports)} 篇 / published {len(reports)}")

    @admin.action(description=_("确认为重复（可能重复的原文）"), permissions=["change"])
    def mark_duplicate(self, request, queryset: QuerySet[Report]):
        marked, skipped = 0, []
        for report in queryset.select_related("near_duplicate_of"):
            if report.near_duplicate_of is None:
                skipped.append(f"#{report.pk}")
                continue
            report_mark_duplicate(report=report, of=report.near_duplicate_of, user=request.user)
            marked += 1
        self.message_user(request, f"已标记 {marked} 篇为重复 / marked {marked}")
        if skipped:
            self.message_user(
                request,
                f"{'、'.join(skipped)} 没有可能重复的原文，请在编辑页填写“重复于” / "
                "no near-duplicate candidate: set 'duplicate of' on the edit page",
                level=messages.WARNING,
            )

    @admin.action(description=_("取消重复标记"), permissions=["change"])
    def unmark_duplicate(self, request, queryset: QuerySet[Report]):
        count = 0
        for report in queryset:
            if report.duplicate_of_id or report.near_duplicate_of_id:
                report_unmark_duplicate(report=report, user=request.user)
                count += 1
        self.message_user(request, f"已取消 {count} 篇的重复标记 / unmarked {count}")


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    """Figures are derived from the text at every (re)processing: read-only here."""

    list_display = ("text", "report", "value", "unit", "qualifier", "year", "dimension")
    list_filter = ("unit", "dimension", "qualifier")
    search_fields = ("text", "sentence", "report__title")
    list_select_related = ("report",)
    raw_id_fields = ("report",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log: who uploaded or changed which report, when, and what changed."""

    list_display = ("at", "action", "report_label", "user")
    list_filter = ("action", ("user", admin.RelatedOnlyFieldListFilter))
    search_fields = ("report_label", "user__username")
    date_hierarchy = "at"
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
