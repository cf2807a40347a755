"""URLs of the upload page, mounted inside the admin by ``ReportAdmin.get_urls``:
/admin/archive/report/upload/ and /admin/archive/report/<id>/review/.

Mounting them in the admin gives the login redirect, the staff check and the
admin's look for free, and keeps archive/urls.py (public pages) untouched.
"""

from __future__ import annotations

from django.urls import URLPattern, path
from django.views.decorators.csrf import csrf_exempt

from . import views


def admin_urls(model_admin) -> list[URLPattern]:
    site = model_admin.admin_site

    # csrf_exempt on the outer view only lets the upload view install its size
    # limit handler before the body is parsed; the view then applies csrf_protect.
    @csrf_exempt
    def upload(request):
        return views.upload(request, site.each_context(request))

    def review(request, pk: int):
        return views.review(request, pk, site.each_context(request))

    return [
        path("upload/", site.admin_view(upload), name="archive_report_upload"),
        path("<int:pk>/review/", site.admin_view(review), name="archive_report_review"),
    ]
