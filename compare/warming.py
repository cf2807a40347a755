"""A city's page values computed by the writer after an import, before a reader asks.

Why (issue 18): an import moves the version of every city it adds reports to and
of the archive, so the first reader of each such city's compare column, keywords
and key figures paid for computing them: a compare page of three cold cities at
10,000 reports took 180-250 ms at p95, the same pages with their cities' values
kept 63-85 ms (docs/benchmarks.md, "Issue 18, stop 26"). ``import_reports`` calls
``warm_cities`` once at its end, after every commit, the city sums and the index
drain (all of which move versions), under the running server's epoch
(archive/cache_versions.py ``follow_server_epoch``): it runs the readers' own
cached functions, so what it stores is exactly what the first reader would have
computed and stored, under the same keys; a later write moves the versions and
the next reader computes afresh, as before. Values depending on the reader's
language are computed in the site's default language.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation

from archive.cache_versions import follow_server_epoch
from archive.models import City
from archive.selectors import city_keywords

from .selectors import COMPARE_KEYWORDS, PER_CELL, city_key_figures, newest_cells


def warm_cities(city_ids: Iterable[int]) -> int:
    """The compare column, keywords and key figures of these cities and their
    prefectures, computed and kept as a reader would; how many cities were warmed
    (40-60 ms a city at 10,000 reports)."""
    ids = {pk for pk in city_ids if pk is not None}
    counties = City.objects.filter(pk__in=ids).exclude(parent=None)
    ids.update(counties.values_list("parent", flat=True))
    cities = City.objects.select_related("province").filter(pk__in=ids).order_by("adcode")
    follow_server_epoch()  # what is computed here is for the server to read
    warmed = 0
    with translation.override(settings.LANGUAGE_CODE):
        for city in cities:
            newest_cells(city, PER_CELL)
            city_keywords(city=city, limit=COMPARE_KEYWORDS)
            city_keywords(city=city)
            city_key_figures(city)
            warmed += 1
    return warmed
