"""Reads for the comparison views: figures by dimension and city, with evidence.

A prefecture's comparison includes the reports filed under its counties and
districts (a report about 江阳区 speaks for 泸州市). Exact duplicates and reports
awaiting review are left out: an analyst compares published evidence only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Max, Min, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import get_language

from archive.cache_versions import ARCHIVE, cached, city_scope
from archive.ingest.figures import DIMENSIONS
from archive.models import HEAVY_FIELDS, City, Figure, Report
from archive.selectors import city_and_counties, city_by_name

from .dimensions import LABELS
from .terms import TermText, term_rates

MIN_CITIES, MAX_CITIES = 2, 8


class CompareError(ValueError):
    pass


@dataclass
class CityColumn:
    city: City
    report_count: int = 0
    first: date | None = None
    last: date | None = None


@dataclass
class DimensionRow:
    key: str
    label: str
    cells: dict[int, list[Figure]] = field(default_factory=dict)  # city pk -> figures
    totals: dict[int, int] = field(default_factory=dict)  # city pk -> figures in all


@dataclass
class Comparison:
    columns: list[CityColumn]
    rows: list[DimensionRow]

    @property
    def cities(self) -> list[City]:
        return [c.city for c in self.columns]


def parse_cities(raw: str) -> list[City]:
    """Cities from ``cities=兰州市,泸州市`` (names, short or Traditional names, slugs)."""
    for sep in "，、;；":
        raw = raw.replace(sep, ",")
    names = [n.strip() for n in raw.split(",") if n.strip()]
    cities: list[City] = []
    unknown = []
    for name in dict.fromkeys(names):
        city = city_by_name(name[:40])
        if city is None:
            unknown.append(name[:40])
        elif city not in cities:
            cities.append(city)
    if unknown:
        raise CompareError(f"unknown city: {', '.join(unknown)}")
    if not MIN_CITIES <= len(cities) <= MAX_CITIES:
        raise CompareError(f"choose {MIN_CITIES} to {MAX_CITIES} cities, got {len(cities)}")
    return cities


def reports_of(city: City) -> QuerySet[Report]:
    """The public reports (archive/visibility.py) of a city and its counties."""
    return Report.objects.public().filter(city__in=city_and_counties(city))


def _column(city: City) -> CityColumn:
    stats = reports_of(city).aggregate(
        n=Count("pk"), first=Min("published_on"), last=Max("published_on")
    )
    return CityColumn(city, stats["n"], stats["first"], stats["last"])


def city_figures(city: City) -> QuerySet[Figure]:
    """Classified figures of a city's reports, newest statements first."""
    return (
        Figure.objects.filter(report__in=reports_of(city))
        .exclude(dimension="")
        .select_related("report")
        .defer(*(f"report__{name}" for name in HEAVY_FIELDS))
        .order_by("dimension", "-report__published_on", "report_id", "ordinal")
    )


def city_compare(cities: list[City], *, per_cell: int | None = None) -> Comparison:
    """Every classified figure of each city by dimension, or with ``per_cell`` only
    the newest that many per cell (the page: a large city states thousands of
    figures, and reading and rendering them all was most of a compare request);
    ``totals`` counts them all either way."""
    rows = [DimensionRow(key, str(LABELS[key])) for key in DIMENSIONS]
    by_key = {row.key: row for row in rows}
    for city in cities:
        for row in rows:
            row.cells[city.pk] = []
        figures = city_figures(city)
        if per_cell is not None:
            totals = dict(figures.order_by().values_list("dimension").annotate(n=Count("pk")))
            figures = figures.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("dimension"),
                    order_by=[F("report__published_on").desc(), "report_id", "ordinal"],
                )
            ).filter(rank__lte=per_cell)
        for figure in figures:
            by_key[figure.dimension].cells[city.pk].append(figure)
        for row in rows:
            row.totals[city.pk] = (
                totals.get(row.key, 0) if per_cell is not None else len(row.cells[city.pk])
            )
    return Comparison([_column(city) for city in cities], rows)


def city_term_rates(cities: list[City], terms: list[str]) -> dict:
    texts = [
        TermText(city.name, r.published_on.year if r.published_on else None, r.clean_text)
        for city in cities
        for r in reports_of(city).only("clean_text", "published_on")
    ]
    return term_rates(texts, terms)


def cities_with_reports_for_picker() -> list[City]:
    """Cities with public reports of their own or their counties', for the city picker.

    Cached per archive version: the join over every report row was ~120 ms of a
    compare page at 10,000 reports (in-process profile), for a list that changes
    only when reports do.
    """
    return cached(("compare-picker",), [ARCHIVE], _picker_cities)


def _picker_cities() -> list[City]:
    public = Report.objects.public().values("pk")
    return list(
        City.objects.filter(Q(reports__in=public) | Q(children__reports__in=public))
        .select_related("province")
        .distinct()
        .order_by("province__adcode", "adcode")
    )


@dataclass
class KeyFigure:
    key: str
    label: str
    figure: Figure
    more: int  # other figures of the same dimension


def city_key_figures(city: City) -> list[KeyFigure]:
    """``_city_key_figures``, cached per city version and language (labels are
    translated): it reads every figure of the city, ~2,000 rows for a large city
    at 10,000 reports."""
    key = ("key-figures", city.pk, get_language())
    return cached(key, [city_scope(city.pk)], lambda: _city_key_figures(city))


def _city_key_figures(city: City) -> list[KeyFigure]:
    """One headline figure per dimension for the city page: the largest stated
    value among the city's figures of that dimension and unit family, with a
    count of the others so the analyst knows there is more to compare."""
    by_dimension: dict[str, list[Figure]] = {}
    for figure in city_figures(city):
        by_dimension.setdefault(figure.dimension, []).append(figure)
    rows = []
    for key in DIMENSIONS:
        figures = by_dimension.get(key)
        if figures:
            best = max(figures, key=lambda f: (f.value, -f.report_id))
            rows.append(KeyFigure(key, str(LABELS[key]), best, len(figures) - 1))
    return rows
