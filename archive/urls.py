from django.urls import path

from . import views
from .browse import views as browse
from .feeds import CityReportsFeed, LatestReportsFeed
from .page_cache import cached_page

app_name = "archive"

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/original", views.report_original, name="report_original"),
    path("provinces/<slug:slug>/", browse.province_detail, name="province_detail"),
    path("cities/", browse.city_list, name="city_list"),
    # <str:>, not <slug:>: /cities/泸州市/ redirects to /cities/luzhou/.
    path("cities/<str:slug>/", browse.city_detail, name="city_detail"),
    path("cities/<slug:slug>/feed/", cached_page(CityReportsFeed()), name="city_feed"),
    path("feeds/reports/", cached_page(LatestReportsFeed()), name="feed"),
]
