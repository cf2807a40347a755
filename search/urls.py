from django.urls import path

from . import views
from .feeds import SearchFeed

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/export.csv", views.export_csv, name="export"),
    path("search/feed/", SearchFeed(), name="feed"),
]
