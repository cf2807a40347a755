"""The report admin's list and form, in the interface language (issue 19).

Column headers, filter titles and form labels are message ids here rather than
``verbose_name`` on the model fields, which would need a migration for no change
to the database; the Chinese admin says 标题, 城市, 日期, the English one Title,
City, Date. The title column is the link and wide enough to read (CSS in
static/css/admin-reports.css: Chinese titles may break anywhere, so without a
minimum width the column shrank to about four characters).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .browse.reading import date_label
from .models import Report
from .place_names import place_name
from .services import OVERRIDABLE
from .upload.filters import DuplicateFilter, YearFilter

LABELS = {
    "title": _("标题"),
    "city": pgettext_lazy("one report", "城市"),
    "province": _("省份"),
    "published_on": _("日期"),
    "date_precision": _("日期精度"),
    "source_name": _("来源"),
    "source_url": _("来源网址"),
    "doc_type": _("类型"),
    "doc_number": _("文号"),
    "issuer": _("发文机关"),
    "needs_review": _("待审核"),
    "duplicate_of": _("重复于"),
    "near_duplicate_of": _("可能重复于"),
    "script": _("字体"),
}


def titled(base: type[admin.FieldListFilter], title) -> type[admin.FieldListFilter]:
    """``base`` with its title in the interface language instead of the field name."""

    class Titled(base):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.title = title

    Titled.__name__ = f"Titled{base.__name__}"
    return Titled


class PlaceFilter(admin.RelatedOnlyFieldListFilter):
    """The provinces or cities the listed reports have, by adcode, named in the
    interface language (Django's choices would be ``str(place)``, always Chinese)."""

    def field_choices(self, field, request, model_admin) -> list[tuple[int, str]]:
        used = model_admin.get_queryset(request).values_list(f"{self.field_path}__pk", flat=True)
        places = field.related_model.objects.filter(pk__in=used).order_by("adcode")
        return [(p.pk, place_name(p)) for p in places]


LIST_FILTER = (
    ("province", titled(PlaceFilter, LABELS["province"])),
    ("city", titled(PlaceFilter, LABELS["city"])),
    ("doc_type", titled(admin.ChoicesFieldListFilter, LABELS["doc_type"])),
    ("needs_review", titled(admin.BooleanFieldListFilter, LABELS["needs_review"])),
    YearFilter,
    ("script", titled(admin.ChoicesFieldListFilter, LABELS["script"])),
    DuplicateFilter,
)


def _formfield(field: models.Field, **kwargs) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")  # as ReportAdmin.formfield_overrides
    return field.formfield(**kwargs)


class ReportAdminForm(forms.ModelForm):
    class Meta:
        formfield_callback = _formfield
        model = Report
        # the admin passes the fieldsets' fields; these are the editable ones
        fields = (*OVERRIDABLE, "needs_review", "duplicate_of", "near_duplicate_of")
        labels = LABELS


class ReportListColumns:
    """The list's columns, mixed into ReportAdmin."""

    @admin.display(description=_("标题"), ordering="title")
    def title_column(self, obj: Report) -> str:
        number = f" · {obj.doc_number}" if obj.doc_number else ""
        return format_html('{}<small class="report-ref">#{}{}</small>', obj.title, obj.pk, number)

    @admin.display(description=LABELS["city"], ordering="city__adcode")
    def city_column(self, obj: Report) -> str:
        return place_name(obj.city) or "—"

    @admin.display(description=LABELS["province"], ordering="province__adcode")
    def province_column(self, obj: Report) -> str:
        return place_name(obj.province) or "—"

    @admin.display(description=_("日期"), ordering="published_on")
    def date_column(self, obj: Report) -> str:
        return date_label(obj.published_on, obj.date_precision)

    @admin.display(description=_("类型"), ordering="doc_type")
    def type_column(self, obj: Report) -> str:
        return obj.get_doc_type_display()

    @admin.display(description=_("来源"), ordering="source_name")
    def source_column(self, obj: Report) -> str:
        return obj.source_name or "—"

    @admin.display(description=_("审核"), ordering="needs_review")
    def review_column(self, obj: Report) -> str:
        if obj.needs_review:
            return format_html('<span class="needs-review">{}</span>', _("待审核"))
        return _("已发布")


LIST_DISPLAY = (
    "title_column",
    "city_column",
    "province_column",
    "date_column",
    "type_column",
    "source_column",
    "review_column",
    "duplicate_status",
)
