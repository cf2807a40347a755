"""/api/ (django-ninja, with /api/openapi.json and /api/docs) and the exports.

Included by config/urls.py before the other apps, so these routes answer for
/api/… wherever an older view still has the same path.
"""

from django.urls import include, path

from search.views import export_csv as search_export

from . import docs, exports
from .routes import api

export_patterns = [
    path("search/export.jsonl", search_export, {"fmt": "jsonl"}, name="search_jsonl"),
    path("compare/export.jsonl", exports.compare_jsonl, name="compare_jsonl"),
    # /cities/<slug>/ belongs to the city pages; their exports live apart.
    path(
        "exports/cities/<str:name>.csv",
        exports.city_reports,
        {"fmt": "csv"},
        name="city_csv",
    ),
    path(
        "exports/cities/<str:name>.jsonl",
        exports.city_reports,
        {"fmt": "jsonl"},
        name="city_jsonl",
    ),
]

urlpatterns = [
    path("api/docs/assets/<str:name>", docs.asset, name="api_docs_asset"),
    path("api/", api.urls),
    path("", include((export_patterns, "exports"))),
]
