"""Per-city sums stored at write time: term counts and figures per dimension (issue 18).

A city page's keywords sum the term counts of the city's public reports, and the
compare suggestions need the dimensions every city's figures cover; computed per
request they were most of a cold city or compare page at 10,000 reports (summing
1,271 JSON rows; a join over every figure of the archive). So each public report
adds its counts to ``CityTermCount`` and its classified figures to
``CityFigureCount`` for its city and that city's prefecture (a county's reports
speak for its prefecture, as on the city page), and takes them back when it
changes: text, city, review or duplicate status, figures, deletion.

What a report added is kept on its ``ReportTerms`` row (``cities``,
``dimensions``), so taking back is exact. Sums change by upsert (``count = count
+ n``) in the saving transaction, in sorted order, as ``term_stats`` does. The
database is the truth: ``rebuild`` recomputes every sum from the reports, ``drift``
says how far the stored ones are from that (``check_archive [--repair]``).
A bulk import marks its cities pending instead and sums them once at its end
(archive/city_resum.py); the readers below sum a pending city from its reports.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby
from operator import itemgetter

from django.apps import apps as django_apps
from django.db import connection, transaction

from textkit.keyword_bounds import ranked_terms

from . import cache_versions, city_resum
from .models import (
    City,
    CityFigureCount,
    CitySumsPending,
    CityTermCount,
    Figure,
    Report,
    ReportTerms,
    TermFrequency,
)

_BATCH = 500


def cities_of(report: Report) -> list[int]:
    """The cities a report's sums go to: none unless a reader may see it."""
    if report.needs_review or report.duplicate_of_id is not None or report.city_id is None:
        return []
    parent = City.objects.filter(pk=report.city_id).values_list("parent_id", flat=True).first()
    return [report.city_id, parent] if parent else [report.city_id]


def dimensions_of(report_id: int) -> dict[str, list]:
    """The report's classified figures per dimension, as stored now (``fold``)."""
    rows = Figure.objects.filter(report_id=report_id).exclude(dimension="")
    return fold(rows.order_by("ordinal").values_list("dimension", "value", "ordinal"))


def fold(rows: Iterable[tuple[str, float, int]]) -> dict[str, list]:
    """``{dimension: [figures, largest value, ordinal of the first with it]}`` from one
    report's (dimension, value, ordinal) rows in ordinal order.

    Why the largest: a city's headline figure per dimension is its largest value
    (older report, then first figure, on ties), so the best of each report's best
    is the city's, read from these records instead of every figure of the city.
    """
    out: dict[str, list] = {}
    for dimension, value, ordinal in rows:
        n, best, at = out.get(dimension, (0, None, None))
        if best is None or value > best:
            best, at = value, ordinal
        out[dimension] = [n + 1, best, at]
    return out


#: set around a report's save whose figures are written next in the same transaction.
_figures_follow: ContextVar[bool] = ContextVar("city_sums_figures_follow", default=False)


@contextmanager
def figures_follow() -> Iterator[None]:
    """Within the block, a report's save leaves its sums to the ``sync`` after its
    figures are written, in the same transaction (archive/services.py): syncing
    at the save too read the report's row, city and figures twice, ~3 ms of the
    import writer's ~25 ms a report (issue 18). The same sums at commit: the
    second ``sync`` compares with the row as it was before the save either way."""
    token = _figures_follow.set(True)
    try:
        yield
    finally:
        _figures_follow.reset(token)


def sync_on_save(report: Report) -> None:
    """``sync`` after a report's save, unless its figures follow (``figures_follow``)."""
    if not _figures_follow.get():
        sync(report)


def sync(report: Report) -> None:
    """Make the sums hold what ``report`` adds now (after its save or new figures)."""
    row = ReportTerms.objects.filter(report_id=report.pk).first()
    if row is None:  # an exact duplicate, or deleted: adds nothing
        return
    cities = cities_of(report)
    dims = dimensions_of(report.pk) if cities else {}
    if row.cities == cities and row.dimensions == dims:
        return
    if city_resum.deferring():  # a bulk import: summed again at its end
        city_resum.mark([*row.cities, *cities])
    else:
        withdraw(row)
        _apply(cities, row.counts, dims, +1)
    row.cities, row.dimensions = cities, dims
    row.save(update_fields=["cities", "dimensions"])


def withdraw(row: ReportTerms) -> None:
    """Take back what ``row``'s report added (before the row is changed or deleted)."""
    if row.cities and city_resum.deferring():
        city_resum.mark(row.cities)
    elif row.cities:
        _apply(row.cities, row.counts, row.dimensions, -1)
    row.cities, row.dimensions = [], {}


def _apply(cities: list[int], counts: dict[str, int], dims: dict[str, list], step: int) -> None:
    for model, column, values in (
        (CityTermCount, ("term", "count"), counts),
        (CityFigureCount, ("dimension", "figures"), {d: v[0] for d, v in dims.items()}),
    ):
        rows = [(c, key, n * step) for c in sorted(cities) for key, n in sorted(values.items())]
        if rows:
            add_to_sums(model, column, rows)
        if rows and step < 0:
            model.objects.filter(city_id__in=cities, **{f"{column[1]}__lte": 0}).delete()


def add_to_sums(model, column: tuple[str, str], rows: list[tuple[int, str, int]]) -> None:
    """Add each ``(city, key, n)`` to its row of ``model``, creating it at ``n``: one
    statement for both, so concurrent writers add instead of overwriting."""
    table = connection.ops.quote_name(model._meta.db_table)
    key, number = column
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (city_id, {key}, {number}) VALUES (%s, %s, %s) "
            f"ON CONFLICT (city_id, {key}) DO UPDATE SET {number} = {table}.{number} + %s",
            [(city, k, n, n) for city, k, n in rows],
        )


# --- the database is the truth --------------------------------------------------------


@dataclass
class Expected:
    """The sums as the reports say they should be."""

    terms: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    figures: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    rows: dict[int, tuple[list[int], dict[str, list]]] = field(default_factory=dict)


def expected(registry=django_apps) -> Expected:
    """Every sum recomputed from reports, figures and stored term counts.

    ``registry`` is the app registry (a migration passes its historical one).
    """
    model = partial(registry.get_model, "archive")
    parents = dict(model("City").objects.exclude(parent=None).values_list("pk", "parent_id"))
    public = model("Report").objects.filter(needs_review=False, duplicate_of=None)
    city_of = dict(public.exclude(city=None).values_list("pk", "city_id"))
    counted = public.exclude(city=None).values("pk")
    figures = model("Figure").objects.filter(report__in=counted).exclude(dimension="")
    rows = figures.order_by("report_id", "ordinal").values_list(
        "report_id", "dimension", "value", "ordinal"
    )
    dims_of = {
        report_id: fold(row[1:] for row in group)
        for report_id, group in groupby(rows.iterator(), key=itemgetter(0))
    }
    out = Expected()
    for report_id, counts in model("ReportTerms").objects.values_list("report_id", "counts"):
        city = city_of.get(report_id)
        cities = [] if city is None else [city, parents[city]] if city in parents else [city]
        dims = dims_of.get(report_id, {}) if cities else {}
        out.rows[report_id] = (cities, dims)
        for pk in cities:
            out.terms[pk].update(counts)
            out.figures[pk].update({d: v[0] for d, v in dims.items()})
    return out


def rebuild(registry=django_apps) -> int:
    """Replace every stored sum with ``expected()``; returns the reports counted."""
    model = partial(registry.get_model, "archive")
    want = expected(registry)
    with transaction.atomic():
        model("CityTermCount").objects.all().delete()
        model("CityFigureCount").objects.all().delete()
        for name, key, number, sums in (
            ("CityTermCount", "term", "count", want.terms),
            ("CityFigureCount", "dimension", "figures", want.figures),
        ):
            rows = (
                model(name)(city_id=pk, **{key: k, number: n})
                for pk, counter in sums.items()
                for k, n in counter.items()
                if n > 0
            )
            model(name).objects.bulk_create(rows, batch_size=_BATCH)
        _store_rows(model("ReportTerms"), want.rows)
        _clear_pending(registry)
    return sum(bool(cities) for cities, _ in want.rows.values())


def _clear_pending(registry) -> None:
    """Every city is summed now (migration 0008's registry has no marks yet)."""
    with suppress(LookupError):
        registry.get_model("archive", "CitySumsPending").objects.all().delete()


def _store_rows(report_terms, rows: dict[int, tuple[list[int], dict[str, list]]]) -> None:
    changed = []
    for row in report_terms.objects.only("pk", "cities", "dimensions").iterator():
        cities, dims = rows.get(row.pk, ([], {}))
        if (row.cities, row.dimensions) != (cities, dims):
            row.cities, row.dimensions = cities, dims
            changed.append(row)
    report_terms.objects.bulk_update(changed, ["cities", "dimensions"], batch_size=_BATCH)


def drift() -> int:
    """Stored sums and per-report records that differ from ``expected()``, and cities
    whose sums an interrupted import left pending (0: none)."""
    want = expected()
    stored_rows = {
        pk: (c, d) for pk, c, d in ReportTerms.objects.values_list("pk", "cities", "dimensions")
    }
    bad = sum(stored_rows.get(pk) != value for pk, value in want.rows.items())
    for model, key, number, sums in (
        (CityTermCount, "term", "count", want.terms),
        (CityFigureCount, "dimension", "figures", want.figures),
    ):
        stored = {(c, k): n for c, k, n in model.objects.values_list("city_id", key, number)}
        wanted = {(c, k): n for c, counter in sums.items() for k, n in counter.items() if n > 0}
        bad += sum(stored.get(k) != n for k, n in wanted.items()) + len(stored.keys() - wanted)
    return bad + CitySumsPending.objects.count()


# --- reads ----------------------------------------------------------------------------


def term_counts(city_id: int) -> Counter[str]:
    """The summed term counts of a city's public reports (its counties' included)."""
    if city_resum.pending([city_id]):
        return city_resum.term_sums([city_id]).get(city_id, Counter())
    rows = CityTermCount.objects.filter(city_id=city_id, count__gt=0)
    return Counter(dict(rows.values_list("term", "count")))


def ranked_term_counts(city_id: int) -> list[tuple[str, int]]:
    """``ranked_terms(term_counts(city_id))``: the city's (term, count) pairs most
    frequent first, sorted by the database (textkit/keyword_bounds.py's walk order).

    Why: building a Counter of a large city's ~17,000 rows and sorting it in Python
    was two thirds of its cold keywords (issue 18 stop 24 profile). Terms of equal
    count may come in another order than ``ranked_terms``'; the keywords do not
    depend on it (the walk stops on counts only).
    """
    if city_resum.pending([city_id]):
        return ranked_terms(term_counts(city_id))
    table = connection.ops.quote_name(CityTermCount._meta.db_table)
    sql = f"SELECT term, count FROM {table} WHERE city_id = %s AND count > 0 ORDER BY count DESC"
    with connection.cursor() as cursor:
        cursor.execute(sql, [city_id])
        return cursor.fetchall()


def figure_counts(city_id: int) -> Counter[str]:
    """A city's classified figures per dimension over its public reports (its
    counties' included), as ``term_counts`` reads terms."""
    if city_resum.pending([city_id]):
        return city_resum.figure_sums([city_id]).get(city_id, Counter())
    rows = CityFigureCount.objects.filter(city_id=city_id, figures__gt=0)
    return Counter(dict(rows.values_list("dimension", "figures")))


def terms_with_frequencies(city_id: int) -> tuple[Counter[str], dict[str, int]]:
    """A city's summed term counts and the archive document frequency of each, in one
    query (a join on the term) rather than one lookup per 500 terms."""
    if city_resum.pending([city_id]):
        counts = term_counts(city_id)
        return counts, frequencies(list(counts))
    ours = connection.ops.quote_name(CityTermCount._meta.db_table)
    theirs = connection.ops.quote_name(TermFrequency._meta.db_table)
    sql = (
        f"SELECT c.term, c.count, f.documents FROM {ours} c "
        f"LEFT JOIN {theirs} f ON f.term = c.term WHERE c.city_id = %s AND c.count > 0"
    )
    counts: Counter[str] = Counter()
    df: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [city_id])
        for term, count, documents in cursor.fetchall():
            counts[term] = count
            if documents is not None:
                df[term] = documents
    return counts, df


def frequencies(terms: list[str]) -> dict[str, int]:
    """The archive document frequency of each of these terms that has one.

    Kept per process for the archive version they were read at (``_known``): the
    keywords of every city read the frequencies of their ~2,700 likeliest terms,
    and most of those (人才, 补贴, …) are every city's; reading them again for each
    city was ~45% of a city's keywords (profile; a cold compare page of three
    cities is ~10% faster with them kept: issue 18 stop 22).
    A write anywhere moves the version, and with it every frequency read after.
    """
    known = _known.now()
    df = known.df  # this dict: ``add`` may start another
    read: dict[str, int] = {}
    wanted = [term for term in dict.fromkeys(terms) if term not in df]
    if wanted:
        found = _read_frequencies(wanted)
        read = {term: found.get(term, 0) for term in wanted}
        known.add(read)
    out: dict[str, int] = {}
    for term in terms:
        n = df.get(term)
        if n is None:
            n = read[term]
        if n:
            out[term] = n
    return out


def _read_frequencies(terms: list[str]) -> dict[str, int]:
    """Frequencies from the database, in raw SQL: the ORM's query building and row
    handling were most of the cost for a batch of 500 (textkit/keyword_bounds.py)."""
    table = connection.ops.quote_name(TermFrequency._meta.db_table)
    df: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(terms), _BATCH):
            chunk = terms[start : start + _BATCH]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT term, documents FROM {table} WHERE term IN ({marks})", chunk)
            df.update(cursor.fetchall())
    return df


@dataclass
class _Frequencies:
    """Frequencies read at one archive version (0: the term is in no document)."""

    version: str
    df: dict[str, int] = field(default_factory=dict)

    def add(self, read: dict[str, int]) -> None:
        if len(self.df) + len(read) > _KNOWN_TERMS:
            self.df = {}  # a fresh dict: a reader iterating the old one keeps it
        self.df.update(read)


class _KnownFrequencies:
    """This process's ``_Frequencies`` of the current archive version."""

    def __init__(self) -> None:
        self._current = _Frequencies("")

    def now(self) -> _Frequencies:
        (version,) = cache_versions.tokens([cache_versions.ARCHIVE])
        current = self._current
        if current.version != version:
            current = self._current = _Frequencies(version)
        return current


#: frequencies one process keeps (~100 bytes each), beyond which it starts again.
_KNOWN_TERMS = 200_000
_known = _KnownFrequencies()


def dimensions_by_prefecture() -> dict[int, frozenset[str]]:
    """Prefecture pk -> the dimensions its public reports' figures cover."""
    late = sorted(city_resum.pending_prefectures())
    rows = CityFigureCount.objects.filter(city__parent=None, figures__gt=0).exclude(
        city_id__in=late
    )
    out: dict[int, set[str]] = defaultdict(set)
    for city_id, dimension in rows.values_list("city_id", "dimension"):
        out[city_id].add(dimension)
    summed = cache_versions.cached_per_city(
        "pending-figure-sums", late, city_resum.figure_sums, Counter()
    )
    for city_id, figures in summed.items():
        out[city_id].update(d for d, n in figures.items() if n > 0)
    return {pk: frozenset(dims) for pk, dims in out.items() if dims}
