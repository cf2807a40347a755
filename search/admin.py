"""Staff edit the synonym groups that widen analysts' queries (issue 16)."""

from django.contrib import admin

from .models import SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ("__str__", "note", "enabled", "updated_at")
    list_filter = ("enabled",)
    search_fields = ("terms", "note")
    fields = ("terms", "note", "enabled")
