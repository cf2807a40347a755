"""Per-city sums brought up to date once per bulk import, not once per report.

Adding a report's ~500 term counts to its city and prefecture in its own
transaction was ~40% of ``import_reports``'s writer (issue 18; docs/benchmarks.md,
"Bulk import sums, stop 18"). Within ``deferred()`` a write records what each
report adds on its ``ReportTerms`` row as always, but instead of changing the sums
it marks the cities involved as pending (``CitySumsPending``), in the report's own
transaction. When the block ends, every pending city is summed again from its
reports, a few cities per transaction, and its mark removed in that transaction.

Readers stay right at every commit: a pending city's keywords and dimensions are
summed from its reports (``term_sums``, ``figure_sums``), as before the stored
sums existed. An import killed before the end leaves its marks: the readers still
sum those cities from the reports, ``check_archive`` counts each mark as drift and
``--repair`` (or the next import's end) sums them again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import Count, Q

from . import city_sums
from .models import City, CityFigureCount, CitySumsPending, CityTermCount, Figure, ReportTerms

#: cities summed per transaction: short write locks, a few cities' counters in memory.
CITIES_PER_TRANSACTION = 16

_deferring: ContextVar[bool] = ContextVar("city_sums_deferred", default=False)


def deferring() -> bool:
    """Whether sums are to be marked pending rather than changed (inside ``deferred``)."""
    return _deferring.get()


@contextmanager
def deferred() -> Iterator[None]:
    """Within the block, writes mark their cities pending; at its end (or on an
    error: the reports committed so far deserve right sums) they are summed again.
    An interrupt (Ctrl-C, a kill) leaves the marks for ``check_archive --repair``."""
    token = _deferring.set(True)
    try:
        yield
    except Exception:
        _deferring.reset(token)
        resum_pending()
        raise
    except BaseException:
        _deferring.reset(token)
        raise
    _deferring.reset(token)
    resum_pending()


def mark(city_ids: Iterable[int]) -> None:
    """Mark these cities' sums pending; call inside the transaction that changes them."""
    rows = [CitySumsPending(city_id=pk) for pk in sorted(set(city_ids))]
    if rows:
        CitySumsPending.objects.bulk_create(rows, ignore_conflicts=True)


def pending(city_ids: Iterable[int]) -> set[int]:
    """Which of these cities have sums pending (their readers take the slow path)."""
    ids = list(city_ids)
    return set(CitySumsPending.objects.filter(city_id__in=ids).values_list("city_id", flat=True))


def pending_prefectures() -> set[int]:
    return set(CitySumsPending.objects.filter(city__parent=None).values_list("city_id", flat=True))


def resum_pending() -> int:
    """Sum every pending city again (a killed import's too); returns the cities summed."""
    families = City.objects.filter(sums_pending__isnull=False).values_list("pk", "parent_id")
    # A county next to its prefecture: each report is read once per transaction.
    ordered = [pk for pk, parent in sorted(families, key=lambda c: (c[1] or c[0], c[0]))]
    for start in range(0, len(ordered), CITIES_PER_TRANSACTION):
        resum(ordered[start : start + CITIES_PER_TRANSACTION])
    return len(ordered)


def resum(city_ids: list[int]) -> None:
    """Replace these cities' sums with what their public reports add now.

    The mark and the old sums go before the reports are read: a report committed
    after that read marks its city again (on PostgreSQL its insert waits for this
    delete to commit), and an upload's upsert into the old sums is waited for by
    the delete and read, or added to the new ones (``add_to_sums``: a row there
    already can only be a concurrent upload's, whose report this read missed)."""
    with transaction.atomic():
        CitySumsPending.objects.filter(city_id__in=city_ids).delete()
        CityTermCount.objects.filter(city_id__in=city_ids).delete()
        CityFigureCount.objects.filter(city_id__in=city_ids).delete()
        for model, key, number, sums in (
            (CityTermCount, "term", "count", term_sums(city_ids)),
            (CityFigureCount, "dimension", "figures", figure_sums(city_ids)),
        ):
            rows = [(pk, k, n) for pk in sorted(sums) for k, n in sorted(sums[pk].items())]
            city_sums.add_to_sums(model, (key, number), rows)


def _counted(city_ids: list[int]) -> Q:
    """From a report's dependant: public reports of these cities or of their counties
    (as ``city_sums.expected`` counts them)."""
    public = Q(report__needs_review=False, report__duplicate_of=None)
    return public & (Q(report__city_id__in=city_ids) | Q(report__city__parent_id__in=city_ids))


def term_sums(city_ids: list[int]) -> dict[int, Counter[str]]:
    """Each city's summed term counts, from its public reports and its counties'."""
    wanted = set(city_ids)
    out: dict[int, Counter[str]] = defaultdict(Counter)
    rows = ReportTerms.objects.filter(_counted(city_ids)).values_list(
        "report__city_id", "report__city__parent_id", "counts"
    )
    for city_id, parent_id, counts in rows.iterator(chunk_size=200):
        for pk in (city_id, parent_id):
            if pk in wanted:
                out[pk].update(counts)
    return {pk: Counter({t: n for t, n in c.items() if n > 0}) for pk, c in out.items()}


def figure_sums(city_ids: list[int]) -> dict[int, Counter[str]]:
    """Each city's classified figures per dimension, from its public reports and its
    counties'."""
    wanted = set(city_ids)
    out: dict[int, Counter[str]] = defaultdict(Counter)
    rows = (
        Figure.objects.filter(_counted(city_ids), report__term_counts__isnull=False)
        .exclude(dimension="")
        .values_list("report__city_id", "report__city__parent_id", "dimension")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for city_id, parent_id, dimension, n in rows:
        for pk in (city_id, parent_id):
            if pk in wanted:
                out[pk][dimension] += n
    return dict(out)
