"""Staff views of the archive. Uploads and review come with issue 6; for now
staff can browse, search and correct metadata (recorded as overrides)."""

from django.contrib import admin

from .models import City, Province, Report
from .services import OVERRIDABLE


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


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "city", "province", "published_on", "doc_type", "script")
    list_filter = ("doc_type", "script", "province")
    search_fields = ("title", "source_name")
    raw_id_fields = ("city", "province", "duplicate_of")
    readonly_fields = (
        "original_name",
        "original_sha256",
        "original_size",
        "encoding",
        "evidence",
        "removed",
        "overrides",
        "text_hash",
        "decoded_text",
        "clean_text",
        "created_at",
        "updated_at",
        "uploaded_by",
    )

    def save_model(self, request, obj, form, change):
        """Record staff edits of detected metadata so ``reprocess`` keeps them."""
        if change:
            for field in OVERRIDABLE:
                if field in form.changed_data:
                    value = form.cleaned_data[field]
                    obj.overrides[field] = getattr(value, "pk", value)
                    if hasattr(value, "isoformat"):
                        obj.overrides[field] = value.isoformat()
        super().save_model(request, obj, form, change)
