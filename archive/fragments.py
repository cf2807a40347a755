"""Parts of a page kept under the narrowest versions that keep it exact (issue 18 stop 19).

The whole-page cache (archive/page_cache.py) is keyed by the ``ARCHIVE`` version,
which every save moves: while ``import_reports`` adds reports several times a
second, every report, city and compare page is drawn afresh. Most of such a page
depends on much less than the archive: a report's text and figures on the report,
a city's report list, timeline and key figures on the city (``city_scope``), a
compare table on its cities, the similar reports on the index
(search/similar_memo.py). Those parts are template fragments
(``{% fragment %}``, archive/templatetags/fragments.py) stored under these scopes;
what depends on the whole archive (keywords' IDF, the compare picker, the
suggestions) is still drawn per ``ARCHIVE`` version.

A fragment's key is its name, the values it is drawn from (a report's pk, the
script, a sort and page) and the reader's language. What a fragment must never
hold, because it differs per request: a CSRF token (a fragment holding one is not
stored), the date (the report page's "accessed on" stays outside), the user (no
fragment draws anything per user). ``settings.PAGE_FRAGMENTS = False`` draws every
fragment afresh: the slow path the tests compare with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from . import cache_versions
from .cache_versions import ARCHIVE, city_scope
from .models import City, Report

T = TypeVar("T")

#: in a fragment's HTML, a sign that it was drawn for one reader only.
PER_REQUEST = ("csrfmiddlewaretoken",)


def report_scopes(report: Report) -> list[str]:
    """What a report's own parts change with: any save of it bumps its city's scope
    (its old city's too when it moves); a report without a city, the archive's."""
    return [city_scope(report.city_id)] if report.city_id is not None else [ARCHIVE]


def city_scopes(cities: Iterable[City]) -> list[str]:
    """A city's parts (its reports, counties' included) change with its own scope."""
    return [city_scope(city.pk) for city in cities]


def fragment(
    name: str, key_parts: Sequence[object], scopes: Sequence[str], draw: Callable[[], str]
) -> str:
    """``draw()``, kept until one of ``scopes`` is bumped (module docstring)."""
    if not settings.PAGE_FRAGMENTS:
        return draw()
    key = cache_versions.key_for(("fragment", name, *key_parts, get_language()), scopes)
    store = cache_versions.values()
    found = store.get(key)
    if found is None:
        found = draw()
        if not any(mark in found for mark in PER_REQUEST):
            store.set(key, SafeString(found), timeout=cache_versions.TIMEOUT)
    return found


def kept(
    name: str, key_parts: Sequence[object], scopes: Sequence[str], compute: Callable[[], T]
) -> T:
    """A value a page reads outside its fragments (a city's span, in the page's
    description too), kept under ``scopes`` like a fragment."""
    if not settings.PAGE_FRAGMENTS:
        return compute()
    return cache_versions.cached((name, *key_parts), scopes, compute)


def lazy(compute: Callable[[], object]) -> SimpleLazyObject:
    """A context value computed only if a template reads it: inside a fragment
    that was found stored, never."""
    return SimpleLazyObject(compute)
