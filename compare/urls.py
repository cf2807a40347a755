from django.urls import path

from . import views

app_name = "compare"

urlpatterns = [
    path("compare/", views.compare_page, name="compare"),
    path("compare/more/", views.more_figures, name="more"),
    path("compare/export.csv", views.export_csv, name="export"),
    path("compare/applicant/", views.applicant_page, name="applicant"),
    path("compare/applicant/export.csv", views.applicant_csv, name="applicant_export"),
]
