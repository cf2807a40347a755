from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/original", views.report_original, name="report_original"),
    path("api/reports/<int:pk>", views.api_report, name="api_report"),
    path("api/cities", views.api_cities, name="api_cities"),
]
