"""Reads for the comparison views: figures by dimension and city, with evidence.

A prefecture's comparison includes the reports filed under its counties and
districts (a report about 江阳区 speaks for 泸州市). Exact duplicates and reports
awaiting review are left out: an analyst compares published evidence only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, F, Max, Min, Model, Q, QuerySet
from django.db.models.base import ModelState
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from archive import city_sums
from archive.cache_versions import ARCHIVE, cached, city_scope
from archive.ingest.figures import DIMENSIONS
from archive.models import HEAVY_FIELDS, City, Figure, Report, ReportTerms
from archive.selectors import city_and_counties, city_by_name

from .dimensions import KIND_LABELS, LABELS
from .terms import TermText, term_rates

MIN_CITIES, MAX_CITIES = 2, 8


#: figures read per dimension and city for the page (newest first); the CSV export,
#: like the API, has every figure.
PER_CELL = 40
#: distinctive keywords shown per city on the compare page.
COMPARE_KEYWORDS = 8


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
class KindRow:
    """One dimension × kind row: a cell never mixes a cap with a total (issue 17)."""

    key: str
    kind: str
    label: str
    kind_label: str
    cells: dict[int, list[Figure]]


KIND_ORDER = ("per_person", "total", "count", "area", "condition", "rate", "")


@dataclass
class Comparison:
    columns: list[CityColumn]
    rows: list[DimensionRow]

    @property
    def cities(self) -> list[City]:
        return [c.city for c in self.columns]

    @property
    def kind_rows(self) -> list[KindRow]:
        """The rows split by kind, each only where some city has a figure of it;
        a dimension nobody states keeps one empty row, so "—" shows what is missing.
        Inside a cell figures are grouped by beneficiary (A类人才, 硕士, …)."""
        out = []
        for row in self.rows:
            kinds = {f.kind for figures in row.cells.values() for f in figures}
            if row.key == "settlement":
                kinds.add("condition")  # 落户: the conditions row always shows
            for kind in sorted(kinds, key=KIND_ORDER.index) or [""]:
                cells = {
                    pk: sorted(
                        (f for f in figures if f.kind == kind),
                        key=lambda f: (f.beneficiary == "", f.beneficiary),
                    )
                    for pk, figures in row.cells.items()
                }
                label = str(KIND_LABELS.get(kind, "")) if kind else ""
                out.append(KindRow(row.key, kind, row.label, label, cells))
        return out


def city_list_text(raw: str) -> str:
    """The ``cities=`` text as typed, capped and without control characters: no city
    name has one, a NUL breaks PostgreSQL, and the page echoes the text back."""
    return "".join(ch for ch in raw[:400] if ch.isprintable())


def parse_cities(raw: str) -> list[City]:
    """Cities from ``cities=兰州市,泸州市`` (names, short or Traditional names, slugs)."""
    raw = city_list_text(raw)
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
        raise CompareError(_("未知城市：%(names)s") % {"names": "、".join(unknown)})
    if not MIN_CITIES <= len(cities) <= MAX_CITIES:
        raise CompareError(
            _("请选择 %(low)d 到 %(high)d 个城市，现在是 %(n)d 个")
            % {"low": MIN_CITIES, "high": MAX_CITIES, "n": len(cities)}
        )
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
    return _figures(Q(report__in=reports_of(city)))


def _figures(where: Q) -> QuerySet[Figure]:
    return (
        Figure.objects.filter(where)
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
        if per_cell is None:
            figures, totals = city_figures(city), None
        else:
            figures, totals = newest_cells(city, per_cell)
        for figure in figures:
            cell = by_key[figure.dimension].cells[city.pk]
            if per_cell is None or len(cell) < per_cell:
                cell.append(figure)
        for row in rows:
            row.totals[city.pk] = (
                totals.get(row.key, 0) if totals is not None else len(row.cells[city.pk])
            )
    return Comparison([_column(city) for city in cities], rows)


def newest_cells(city: City, per_cell: int) -> tuple[list[Figure], Counter[str]]:
    """``_newest_figures`` read, cached per city version: a city's cells change only
    with its own reports, so a save elsewhere leaves them cached."""
    key = ("compare-cells", city.pk, per_cell)
    return cached(key, [city_scope(city.pk)], lambda: _newest_figures(city, per_cell), local=True)


def _newest_figures(city: City, per_cell: int) -> tuple[CellFigures, Counter[str]]:
    """The figures that may be among the newest ``per_cell`` of each dimension (in
    ``city_figures`` order, to be cut at ``per_cell``), and every dimension's total.

    Why: a window over all of a large city's figures (~70,000 at 10,000 reports)
    cost 100-300 ms a city. Each report's figures per dimension are stored at write
    time (archive/city_sums.py), so walking the city's reports newest first (in the
    database's own order) says which reports hold each dimension's newest figures;
    only those are read. The totals are the city's stored sums, so the walk stops as
    soon as every dimension has its ``per_cell`` (or all its figures): decoding every
    report's record was 17-48 ms of a large city's cold compare column (stop 22).
    The walk's order is ``city_figures``' report order, so the figures are put in
    that order here rather than by a join on the reports in the query (~3 ms of a
    large city's ~17 ms read, issue 18 stop 24). They are read as column values
    (``CellFigures``: ~4 ms of model building a large city, stop 25).
    """
    totals = city_sums.figure_counts(city.pk)
    wanted: dict[str, list[int]] = {}
    rank: dict[int, int] = {}  # report id -> its place in the walk (newest first)
    if totals:
        needed = {dimension: min(n, per_cell) for dimension, n in totals.items()}
        records = (
            ReportTerms.objects.filter(report__in=reports_of(city))
            .order_by(F("report__published_on").desc(), "report_id")
            .values_list("report_id", "dimensions")
        )
        for report_id, dims in records.iterator(chunk_size=WALK_CHUNK):
            rank[report_id] = len(rank)
            for dimension, (n, _best, _at) in dims.items():
                left = needed.get(dimension, 0)
                if left > 0:
                    wanted.setdefault(dimension, []).append(report_id)
                    needed[dimension] = left - n
            if all(left <= 0 for left in needed.values()):
                break
    where = Q(pk__in=[])
    for dimension, ids in wanted.items():
        where |= Q(dimension=dimension, report_id__in=ids)
    # The ids are the city's public reports already: no second join on the city.
    read = Figure.objects.filter(where).exclude(dimension="").order_by()
    rows = read.values_list(*FIGURE_COLUMNS)
    rows = sorted(rows, key=lambda row: (row[_DIM], rank[row[_REP]], row[_ORD]))
    ids = {row[_REP] for row in rows}
    reports = Report.objects.filter(pk__in=ids).values_list(*CELL_REPORT_COLUMNS) if ids else []
    return CellFigures.from_rows(rows, list(reports)), totals


#: reports' records read per fetch while walking a city newest first (a walk that
#: stops early reads no further chunk).
WALK_CHUNK = 64
#: a figure's columns, in model order: what a cached cell holds per figure.
FIGURE_COLUMNS = tuple(f.attname for f in Figure._meta.concrete_fields)
_DIM, _REP, _ORD = (FIGURE_COLUMNS.index(c) for c in ("dimension", "report_id", "ordinal"))
#: the report columns a compare cell draws (compare/figure_html.py: link, date). In
#: SQLite these come before the texts: reading a column after them walked each
#: report's overflow pages.
CELL_REPORT_COLUMNS = ("id", "title", "published_on", "date_precision")
_REPORT_FIELD = Figure._meta.get_field("report")


def _loaded(model: type[Model], columns: tuple[str, ...], values: tuple) -> Model:
    """An instance as ``Model.from_db`` makes it (the fields not in ``columns`` deferred),
    built as unpickling builds one: without ``__init__``'s per-field loop and its
    signals, which no model of the archive listens to."""
    instance = model.__new__(model)
    instance.__dict__.update(zip(columns, values, strict=True))
    state = instance._state = ModelState()
    state.adding, state.db = False, DEFAULT_DB_ALIAS
    return instance


class CellFigures(list):
    """A city's cell figures, each sharing one light ``Report`` per report, kept in
    the shared cache as column values.

    Why: a model pickles through ``__reduce__``, which copies its state and field
    cache: ~5 ms for a large city's ~450 figures, the largest part of writing a
    cold compare column to the shared cache (issue 18 stop 25 profile), where their
    column values pickle in ~1.5 ms. Built back the way they were read."""

    @classmethod
    def from_rows(cls, rows: list[tuple], report_rows: list[tuple]) -> CellFigures:
        columns = CELL_REPORT_COLUMNS
        reports = {values[0]: _loaded(Report, columns, values) for values in report_rows}
        figures = cls()
        for values in rows:
            figure = _loaded(Figure, FIGURE_COLUMNS, values)
            _REPORT_FIELD.set_cached_value(figure, reports[values[_REP]])
            figures.append(figure)
        return figures

    def __reduce__(self):
        reports = {figure.report_id: figure.report for figure in self}.values()
        rows = [tuple(figure.__dict__[c] for c in FIGURE_COLUMNS) for figure in self]
        report_rows = [tuple(report.__dict__[c] for c in CELL_REPORT_COLUMNS) for report in reports]
        return (CellFigures.from_rows, (rows, report_rows))


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
    return cached(("compare-picker",), [ARCHIVE], _picker_cities, local=True)


def _picker_cities() -> list[City]:
    ids = {pk for row in _public_reports_by_city() for pk in row[:2] if pk is not None}
    return list(
        City.objects.filter(pk__in=ids)
        .select_related("province")
        .order_by("province__adcode", "adcode")
    )


def _public_reports_by_city() -> list[tuple[int, int | None, int]]:
    """(city pk, its prefecture's pk or None, public reports filed under it): one
    grouped read of the report rows, where a join of every city with every report
    was ~120 ms at 10,000 reports; cached per archive version, as the picker and
    the suggestions both read it."""
    return cached(("reports-by-city",), [ARCHIVE], _count_public_reports_by_city)


def _count_public_reports_by_city() -> list[tuple[int, int | None, int]]:
    return list(
        Report.objects.public()
        .exclude(city=None)
        .order_by()
        .values_list("city_id", "city__parent_id")
        .annotate(n=Count("pk"))
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
    value among the city's figures of that dimension, with a count of the others
    so the analyst knows there is more to compare.

    Ties go to the older report id, then the first figure in it. Each report's
    largest figure per dimension is stored at write time (archive/city_sums.py),
    so the city's is picked from one record per report and only the winners are
    read: a window over every figure of a large city cost ~250 ms cold.
    """
    records = ReportTerms.objects.filter(report__in=reports_of(city)).values_list(
        "report_id", "dimensions"
    )
    best: dict[str, tuple[float, int, int]] = {}
    stated: Counter[str] = Counter()
    for report_id, dims in records:
        for dimension, (n, value, ordinal) in dims.items():
            stated[dimension] += n
            mine = (value, -report_id, -ordinal)
            if dimension not in best or mine > best[dimension]:
                best[dimension] = mine
    where = Q(pk__in=[])
    for _value, report_id, ordinal in best.values():
        where |= Q(report_id=-report_id, ordinal=-ordinal)
    by_dimension = {figure.dimension: figure for figure in _figures(where)}
    return [
        KeyFigure(key, str(LABELS[key]), figure, stated[key] - 1)
        for key in DIMENSIONS
        if (figure := by_dimension.get(key)) is not None
    ]


#: How many cities a city page suggests to compare with.
SUGGESTIONS = 8


def city_compare_suggestions(city: City, *, limit: int = SUGGESTIONS) -> list[City]:
    """Cities worth comparing with ``city``, from the data: those of the same
    province first, then those whose figures cover more of the same dimensions,
    then larger archives. Every city page suggested the same list (issue 17).

    The candidates are the prefectures of ``_city_profiles`` (those with public
    reports of their own or their counties', as in the picker); only the winners
    are read as cities: building and caching the whole picker for eight links was
    a third of a cold city page at 10,000 reports (issue 18 stop 18)."""
    profiles = _city_profiles()
    mine = profiles.get(city.pk, (0, frozenset()))[1]
    places = City.objects.filter(pk__in=list(profiles)).values_list("pk", "province_id", "adcode")
    scored = []
    for pk, province_id, adcode in places:
        if pk == city.pk:
            continue
        n, dims = profiles[pk]
        scored.append(((province_id != city.province_id, -len(mine & dims), -n, adcode), pk))
    best = [pk for _, pk in sorted(scored)[:limit]]
    found = City.objects.select_related("province").in_bulk(best)
    return [found[pk] for pk in best]


def _city_profiles() -> dict[int, tuple[int, frozenset[str]]]:
    """Prefecture pk -> (public reports, dimensions its figures cover), counties
    folded into their city; two grouped queries, cached per archive version."""
    return cached(("compare-profiles",), [ARCHIVE], _count_city_profiles)


def _count_city_profiles() -> dict[int, tuple[int, frozenset[str]]]:
    counts: dict[int, int] = {}
    for city_id, parent_id, n in _public_reports_by_city():
        counts[parent_id or city_id] = counts.get(parent_id or city_id, 0) + n
    # Stored at write time (archive/city_sums.py): reading every figure of the
    # archive for this was ~400 ms at 10,000 reports.
    dims = city_sums.dimensions_by_prefecture()
    return {pk: (n, dims.get(pk, frozenset())) for pk, n in counts.items()}
