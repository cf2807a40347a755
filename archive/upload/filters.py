"""List filters of the report admin that Django has no built-in for: the year of
publication (reports are browsed by year) and the duplicate state."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class YearFilter(admin.SimpleListFilter):
    title = _("年份")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        dates = model_admin.get_queryset(request).dates("published_on", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in dates] + [("none", _("日期不详"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(published_on=None)
        if self.value() and self.value().isdigit():
            return queryset.filter(published_on__year=int(self.value()))
        return queryset


class DuplicateFilter(admin.SimpleListFilter):
    title = _("重复")
    parameter_name = "dup"

    def lookups(self, request, model_admin):
        return [("confirmed", _("已确认重复")), ("possible", _("可能重复")), ("none", _("不重复"))]

    def queryset(self, request, queryset):
        if self.value() == "confirmed":
            return queryset.exclude(duplicate_of=None)
        if self.value() == "possible":
            return queryset.filter(duplicate_of=None).exclude(near_duplicate_of=None)
        if self.value() == "none":
            return queryset.filter(duplicate_of=None, near_duplicate_of=None)
        return queryset
