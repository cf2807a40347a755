"""The site's URLs plus one view that fails, for the 500 page test."""

from django.urls import path

from config.urls import urlpatterns as site_patterns


def broken_view(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("broken/", broken_view), *site_patterns]
