"""Reads: queries the views, API and commands share."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import ExtractYear

from textkit.keyword_bounds import distinctive_terms_bounded
from textkit.keywords import CorpusStats, Keyword, distinctive_terms

from . import cache_versions, city_sums, term_stats
from .cache_versions import ARCHIVE, city_scope
from .gazetteer import Gazetteer
from .models import HEAVY_FIELDS, City, Province, Report


def city_by_name(name: str) -> City | None:
    """A city by full, short, Traditional or pinyin name or slug; prefectures win ties.

    The in-memory gazetteer resolves the name (loaded once per process), so this
    is cheap enough per request (compare's ``cities=`` parameter).
    """
    name = name.strip()[:40]
    if not name or not name.isprintable():  # no place name has one; NUL breaks PostgreSQL
        return None
    adcodes = [p.adcode for p in Gazetteer.load_default().lookup(name) if p.level != "province"]
    if not adcodes:
        # A municipality named as a province (北京市) is also its own prefecture.
        return City.objects.filter(name=name, level=City.Level.PREFECTURE).first()
    cities = City.objects.in_bulk(adcodes, field_name="adcode")
    ranked = sorted(cities.values(), key=lambda c: (c.level != City.Level.PREFECTURE, c.adcode))
    return ranked[0] if ranked else None


def public_reports() -> QuerySet[Report]:
    """Every report a reader may see (archive/visibility.py), light and newest first:
    the base of every public list and count."""
    return (
        Report.objects.public()
        .select_related("city", "province")
        .defer(*HEAVY_FIELDS)
        .order_by("-published_on", "-id")
    )


def cities_with_reports() -> QuerySet[City]:
    """Cities with public reports filed under them (not their counties': a county has
    its own row), ``report_count`` annotated, in adcode order (/api/cities)."""
    public = Q(reports__in=Report.objects.public().values("pk"))
    return (
        City.objects.select_related("province")
        .annotate(report_count=Count("reports", filter=public))
        .filter(report_count__gt=0)
        .order_by("adcode")
    )


# --- browsing (issue 4) ---------------------------------------------------------------
# Public pages show published evidence only (public_reports above). Every
# ``values().annotate()`` group-by clears the ordering first: Report.Meta.ordering
# (and public_reports' own) would join the GROUP BY, one group per row.


def city_reports(*, city: City) -> QuerySet[Report]:
    """A city's reports, including those filed under its counties and districts."""
    return public_reports().filter(city__in=city_and_counties(city))


def city_and_counties(city: City) -> list[int]:
    """The ids of a city and of the counties under it: an ``IN`` the city index can
    answer, where ``city OR city.parent`` made SQLite scan every report row."""
    return [city.pk, *City.objects.filter(parent=city).values_list("pk", flat=True)]


@dataclass
class Span:
    """How many reports, and the first and last publication dates among them."""

    count: int = 0
    first: date | None = None
    last: date | None = None


def _span(reports: QuerySet[Report]) -> Span:
    stats = reports.aggregate(n=Count("pk"), first=Min("published_on"), last=Max("published_on"))
    return Span(stats["n"], stats["first"], stats["last"])


@dataclass
class Overview:
    reports: Span
    city_count: int
    province_count: int
    by_province: list[tuple[Province, int]]
    by_year: list[tuple[int, int]]
    undated: int


def archive_overview() -> Overview:
    """The home page's numbers: totals, date range, reports by province and by year."""
    reports = public_reports()
    per_province = dict(
        reports.exclude(province=None)
        .order_by()
        .values_list("province")
        .annotate(n=Count("pk"))
        .values_list("province", "n")
    )
    provinces = Province.objects.in_bulk(list(per_province))
    by_province = sorted(
        ((provinces[pk], n) for pk, n in per_province.items()),
        key=lambda row: (-row[1], row[0].adcode),
    )
    by_year = [
        (row["year"], row["n"])
        for row in reports.exclude(published_on=None)
        .annotate(year=ExtractYear("published_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    ]
    return Overview(
        reports=_span(reports),
        city_count=reports.exclude(city=None).values("city").distinct().count(),
        province_count=len(per_province),
        by_province=by_province,
        by_year=by_year,
        undated=reports.filter(published_on=None).count(),
    )


@dataclass
class CityRow:
    city: City
    count: int
    newest: date | None


@dataclass
class ProvinceGroup:
    province: Province
    cities: list[CityRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Reports in the province (a county's reports also count for its prefecture)."""
        return sum(row.count for row in self.cities if row.city.parent_id is None)


def city_directory(*, province: Province | None = None) -> list[ProvinceGroup]:
    """The directory below, cached per archive version (every city page links to the
    others through it)."""
    key = ("city-directory", province.pk if province else None)
    return cache_versions.cached(key, [ARCHIVE], lambda: _city_directory(province))


def _city_directory(province: Province | None) -> list[ProvinceGroup]:
    """Every city with public reports, grouped by province in adcode order.

    A prefecture's row counts its counties' reports too, as its page lists them;
    a county with reports of its own also gets a row.
    """
    reports = public_reports().exclude(city=None)
    if province is not None:
        reports = reports.filter(province=province)
    rows = reports.order_by().values("city").annotate(n=Count("pk"), newest=Max("published_on"))
    totals: dict[int, list] = {}
    cities = City.objects.select_related("province", "parent").in_bulk(
        [row["city"] for row in rows]
    )
    for row in rows:
        city = cities[row["city"]]
        for target in filter(None, (city, city.parent)):
            count, newest = totals.get(target.pk, (target, 0, None))[1:]
            if row["newest"] and (newest is None or row["newest"] > newest):
                newest = row["newest"]
            totals[target.pk] = (target, count + row["n"], newest)
    groups: dict[int, ProvinceGroup] = {}
    for target, count, newest in sorted(totals.values(), key=lambda t: t[0].adcode):
        group = groups.setdefault(target.province_id, ProvinceGroup(target.province))
        group.cities.append(CityRow(target, count, newest))
    return sorted(groups.values(), key=lambda g: g.province.adcode)


def province_span(*, province: Province) -> Span:
    return _span(public_reports().filter(province=province))


def city_span(*, city: City) -> Span:
    return _span(city_reports(city=city))


def city_timeline(*, city: City) -> list[tuple[int, str, int]]:
    """(year, doc_type, count) of a city's dated reports, oldest year first."""
    rows = (
        city_reports(city=city)
        .exclude(published_on=None)
        .annotate(year=ExtractYear("published_on"))
        .values("year", "doc_type")
        .annotate(n=Count("pk"))
        .order_by("year", "doc_type")
    )
    return [(row["year"], row["doc_type"], row["n"]) for row in rows]


# --- distinctive keywords -------------------------------------------------------------
# Term counts are stored per report when its text changes (archive/term_stats.py),
# so a city page reads its own reports' counts and the frequencies of those terms:
# the cost grows with the city, not with the archive. Cache versions: one scheme,
# archive/cache_versions.py.


def city_keywords(*, city: City, limit: int = 12) -> list[Keyword]:
    """Terms that set this city's reports apart from the whole archive (TF-IDF).

    Cached per archive version: IDF moves with every report, so any write
    invalidates, and the compare page asks for up to five cities.
    """
    key = ("city-keywords", city.pk, limit)
    return cache_versions.cached(key, [ARCHIVE], lambda: _city_keywords(city, limit), local=True)


def city_term_counts(city: City) -> Counter[str]:
    """The summed term counts of a city's public reports (its counties' included).

    Stored at write time (archive/city_sums.py): summing a large city's 1,271 JSON
    rows per request was most of its keyword cost, cold or after any upload.
    """
    return city_sums.term_counts(city.pk)


def _city_keywords(city: City, limit: int) -> list[Keyword]:
    own_names = [city.name, city.short_name, *city.trad_names]
    own_names += [city.province.name, city.province.short_name, *city.province.trad_names]
    if settings.PAGE_FRAGMENTS:
        return _bounded_city_keywords(city, own_names, limit)
    counts, df = city_sums.terms_with_frequencies(city.pk)
    corpus = CorpusStats(documents=term_stats.documents(), df=df)
    return distinctive_terms(counts, corpus, exclude=own_names, limit=limit)


def _bounded_city_keywords(city: City, own_names: list[str], limit: int) -> list[Keyword]:
    """The same keywords, reading the document frequency only of the terms that
    could still make the list (textkit/keyword_bounds.py): after any save the IDF
    moves and the keywords are computed again, but the city's terms, most frequent
    first, are kept per city version (issue 18 stop 19)."""
    ranked = cache_versions.cached(
        ("city-terms-ranked", city.pk),
        [city_scope(city.pk)],
        lambda: city_sums.ranked_term_counts(city.pk),
        local=True,
    )
    return distinctive_terms_bounded(
        ranked, term_stats.documents(), city_sums.frequencies, exclude=own_names, limit=limit
    )


def visible_links(report: Report, *, user: Any) -> dict[str, Report | None]:
    """The reports this one points at (``duplicate_of``, ``near_duplicate_of``),
    each ``None`` unless ``user`` may open it: a public report's "possible duplicate
    of #N" must not name a report held for review."""
    ids = {name: getattr(report, f"{name}_id") for name in ("duplicate_of", "near_duplicate_of")}
    wanted = [pk for pk in ids.values() if pk is not None]
    found = Report.objects.visible_to(user).only("pk", "title").in_bulk(wanted) if wanted else {}
    return {name: found.get(pk) for name, pk in ids.items()}


def public_original_of(pk: int) -> Report | None:
    """The public report that report ``pk`` is a confirmed duplicate of, if any."""
    return Report.objects.public().filter(duplicates__pk=pk).only("pk").first()


def reports_by_ids(ids: list[int]) -> dict[int, Report]:
    """Reports by id in one query (upload result rows, duplicate links)."""
    reports = Report.objects.select_related("city", "province", "near_duplicate_of")
    return {r.pk: r for r in reports.filter(pk__in=ids)}


def gazetteer_city_choices() -> list[tuple[str, str]]:
    """(value, label) for the review form's city list, prefectures first. The value
    carries the adcode: 朝阳区 is in Beijing and in Changchun."""
    cities = City.objects.select_related("province").order_by("-level", "adcode")
    return [(f"{c.name} · {c.province.name} · {c.adcode}", c.name) for c in cities]
