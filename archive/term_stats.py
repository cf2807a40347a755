"""Stored term counts and document frequencies behind the city keywords.

Kept in step with reports by signals (any save or delete, from the admin, a
command or a restore), inside the saving transaction: a report's counts and
the frequencies they add are committed or rolled back together. Frequencies
change by upsert (``documents = documents + 1``), so concurrent writers on
PostgreSQL never lose an increment; terms are written in sorted order so two
writers lock rows in the same order and cannot deadlock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction
from django.db.models.signals import post_save, pre_delete

from textkit.keywords import CorpusStats, document_terms

from . import city_sums
from .models import Report, ReportTerms, TermFrequency

#: terms longer than this are never keywords (and would not fit the column).
MAX_TERM = 60
#: rows per IN (...) lookup: well under SQLite's bound on query parameters.
CHUNK = 500


#: counts computed ahead for texts about to be saved, offered by ``counts_offered``
#: around one save (``import_reports --workers`` computes them in the pipeline
#: workers). A context variable, set and reset by the caller: nothing outlives the
#: ``with`` block, and another thread or request never sees it.
_offered: ContextVar[tuple[str, str, dict[str, int]] | None] = ContextVar(
    "term_counts_offered", default=None
)


def counts_for_text(text: str) -> dict[str, int]:
    return {t: n for t, n in document_terms(text).items() if len(t) <= MAX_TERM}


@contextmanager
def counts_offered(text_hash: str, text: str, counts: dict[str, int]) -> Iterator[None]:
    """Within the block, a save of a report with this text uses ``counts`` instead
    of counting again."""
    token = _offered.set((text_hash, text, counts))
    try:
        yield
    finally:
        _offered.reset(token)


def counts_of(report: Report) -> dict[str, int]:
    offered = _offered.get()
    if offered is not None and offered[:2] == (report.text_hash, report.clean_text):
        return offered[2]
    return counts_for_text(report.clean_text)


def sync(report: Report) -> None:
    """Make the report's stored counts match its text and duplicate status."""
    row = ReportTerms.objects.filter(report_id=report.pk).first()
    counted = report.duplicate_of_id is None
    if row is not None and counted and row.text_hash == report.text_hash:
        return
    if row is not None:
        city_sums.withdraw(row)
        _add(row.counts, -1)
        row.delete()
    if counted:
        counts = counts_of(report)
        ReportTerms.objects.create(report_id=report.pk, text_hash=report.text_hash, counts=counts)
        _add(counts, +1)


def forget(report_id: int) -> None:
    row = ReportTerms.objects.filter(report_id=report_id).first()
    if row is not None:
        city_sums.withdraw(row)
        _add(row.counts, -1)
        row.delete()


def _add(counts: dict[str, int], step: int) -> None:
    terms = sorted(counts)
    if not terms:
        return
    table = connection.ops.quote_name(TermFrequency._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (term, documents) VALUES (%s, %s) "
            f"ON CONFLICT (term) DO UPDATE SET documents = {table}.documents + %s",
            [(term, max(step, 0), step) for term in terms],
        )
    if step < 0:
        TermFrequency.objects.filter(term__in=terms, documents__lte=0).delete()


def rebuild(reports: Iterable[Report] | None = None) -> int:
    """Recompute every stored count from clean text; returns the reports counted."""
    with transaction.atomic():
        ReportTerms.objects.all().delete()
        TermFrequency.objects.all().delete()
        df: Counter[str] = Counter()
        queryset = Report.objects.filter(duplicate_of=None).only("pk", "clean_text", "text_hash")
        n = 0
        for report in reports if reports is not None else queryset.iterator():
            counts = counts_of(report)
            ReportTerms.objects.create(
                report_id=report.pk, text_hash=report.text_hash, counts=counts
            )
            df.update(counts.keys())
            n += 1
        TermFrequency.objects.bulk_create(
            (TermFrequency(term=t, documents=d) for t, d in df.items()), batch_size=CHUNK
        )
        city_sums.rebuild()
    return n


def drift() -> int:
    """How far the stored counts are from the reports: rows missing, stale or for a
    duplicate, plus terms whose frequency differs from the stored rows' (0: none)."""
    wanted = dict(Report.objects.filter(duplicate_of=None).values_list("pk", "text_hash"))
    stored = dict(ReportTerms.objects.values_list("report_id", "text_hash"))
    bad_rows = sum(wanted.get(pk) != h for pk, h in stored.items()) + len(wanted.keys() - stored)
    df: Counter[str] = Counter()
    for counts in ReportTerms.objects.values_list("counts", flat=True).iterator():
        df.update(counts.keys())
    kept = dict(TermFrequency.objects.values_list("term", "documents"))
    bad_terms = sum(kept.get(t) != n for t, n in df.items()) + len(kept.keys() - df.keys())
    return bad_rows + bad_terms + city_sums.drift()


def summed_counts(report_ids: Iterable[int]) -> Counter[str]:
    total: Counter[str] = Counter()
    for chunk in _chunks(list(report_ids)):
        for counts in ReportTerms.objects.filter(report_id__in=chunk).values_list(
            "counts", flat=True
        ):
            total.update(counts)
    return total


def corpus_for(terms: Iterable[str]) -> CorpusStats:
    """The archive's document count and the frequencies of just these terms."""
    df: dict[str, int] = {}
    for chunk in _chunks(sorted(terms)):
        df.update(TermFrequency.objects.filter(term__in=chunk).values_list("term", "documents"))
    return CorpusStats(documents=documents(), df=df)


def documents() -> int:
    """The archive's documents for IDF: reports that are not exact duplicates."""
    return ReportTerms.objects.count()


def _chunks(items: list) -> Iterator[list]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def _on_save(sender, instance: Report, raw: bool = False, **kwargs) -> None:
    if not raw:  # loaddata: the dump carries its own term rows
        sync(instance)
        city_sums.sync_on_save(instance)


def _on_delete(sender, instance: Report, **kwargs) -> None:
    forget(instance.pk)


def connect() -> None:
    post_save.connect(_on_save, sender=Report, dispatch_uid="term_stats.save")
    pre_delete.connect(_on_delete, sender=Report, dispatch_uid="term_stats.delete")
