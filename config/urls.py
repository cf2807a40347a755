from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("api.urls")),  # first: it serves every /api/ route (issue 9)
    path("", include("search.urls")),
    path("", include("compare.urls")),
    path("", include("archive.urls")),
]
