"""``import_reports`` exactly as in ../shared/API.md, plus ``--workers``.

``--workers N`` (issue 7): N forked processes run the pure pipeline (decode,
clean, detect, figures) ahead of the one process that writes the database, and
the index drain at the end writes with N Whoosh processes. Rows are still
emitted in input order, with the same JSON and exit status as one worker: the
writer takes results in order and decides duplicates exactly as before.

``--nice N`` (default ``IMPORT_NICENESS``, 19; 0 keeps the priority it was started
with): the import and its workers run at a lower CPU priority, so the readers
served meanwhile come first (issue 18: ``make load`` uploads 200 reports while 50
analysts read). On an idle machine it is as fast: the scheduler only hands the
cores to readers first.

At its end the import computes the page values of the cities it added reports to
(compare columns, keywords, key figures: compare/warming.py), as their first
readers would have; ``--no-warm`` leaves them to those readers.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections
from tqdm import tqdm

import textkit
from archive import cache_versions, city_resum, term_stats
from archive.gazetteer import Gazetteer
from archive.ingest.inputs import InputItem, expand_paths, iter_file_items
from archive.ingest.pipeline import Processed, process_document
from archive.ingest.types import IngestError
from archive.models import City
from archive.selectors import city_by_name
from archive.services import IngestOutcome, report_ingest
from compare.warming import warm_cities
from search.engine import deferred_indexing, writer_processes

#: results computed ahead of the writer, per worker: bounds memory to a few files.
AHEAD_PER_WORKER = 4


class Command(BaseCommand):
    help = "Import report files, folders (recursive) or zip archives into the archive."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--json", action="store_true", help="one JSON object per file on stdout"
        )
        parser.add_argument("--city", help="force this city (name, Traditional name or slug)")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes for the pure pipeline and the index writer (default 1)",
        )
        parser.add_argument(
            "--nice",
            type=int,
            default=settings.IMPORT_NICENESS,
            help="run at this CPU niceness, 0-19 (default IMPORT_NICENESS, 19)",
        )
        parser.add_argument(
            "--no-warm",
            action="store_true",
            help="do not compute the touched cities' page values at the end",
        )

    def handle(
        self,
        *args,
        paths: list[Path],
        json: bool,
        city: str | None,
        workers: int,
        nice: int,
        no_warm: bool = False,
        **options,
    ):
        if workers < 1:
            raise CommandError("--workers must be 1 or more")
        if not 0 <= nice <= 19:
            raise CommandError("--nice must be 0 (as started) to 19 (lowest priority)")
        lower_priority(nice)  # before the workers fork: they inherit it
        forced = self._forced_city(city)
        missing = [p for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(map(str, missing))}")
        max_bytes = settings.MAX_UPLOAD_MB * 1024 * 1024
        files = expand_paths(paths)
        bar = tqdm(total=len(files), unit="file", file=sys.stderr, disable=not sys.stderr.isatty())
        counts = {"created": 0, "duplicate": 0, "failed": 0}
        touched: set[int] = set()  # cities of the reports created
        items = self._items(files, max_bytes=max_bytes, bar=bar)
        # Sums per city once at the end, before the index drain (archive/city_resum.py).
        with writer_processes(workers), deferred_indexing(), city_resum.deferred():
            for outcome in _committed_in_batches(_processed_ahead(items, workers), forced):
                counts[outcome.status] += 1
                if outcome.report is not None and outcome.report.city_id is not None:
                    touched.add(outcome.report.city_id)
                self._emit(outcome, as_json=json, bar=bar)
        bar.close()
        if counts["created"]:
            _refresh_planner_statistics()
        if touched and not no_warm:
            self._warm(touched)
        summary = ", ".join(f"{n} {status}" for status, n in counts.items())
        self.stderr.write(f"Done: {summary}.")
        if counts["failed"]:
            sys.exit(1)

    def _warm(self, city_ids: set[int]) -> None:
        """The touched cities' page values. Its reports are committed by now, so a
        database or cache store that fails here (locked, full, gone) is reported and
        is not the import's failure: the first readers compute what is missing. Any
        other error is a bug and is raised."""
        started = time.monotonic()
        try:
            warmed = warm_cities(city_ids)
        except (DatabaseError, sqlite3.Error, OSError) as exc:
            self.stderr.write(f"Could not compute the cities' pages ({exc!r}); readers will.")
            return
        seconds = time.monotonic() - started
        self.stderr.write(f"Computed the pages of {warmed} cities in {seconds:.1f} s.")

    @staticmethod
    def _items(files: list[tuple[Path, str]], *, max_bytes: int, bar: tqdm) -> Iterator[InputItem]:
        for path, label in files:
            yield from iter_file_items(path, max_bytes=max_bytes, label=label)
            bar.update(1)

    def _forced_city(self, name: str | None) -> City | None:
        if name is None:
            return None
        city = city_by_name(name)
        if city is None:
            raise CommandError(f"unknown city {name!r}: use a gazetteer name, e.g. 兰州市")
        return city

    def _emit(self, outcome: IngestOutcome, *, as_json: bool, bar: tqdm) -> None:
        row = outcome.as_row()
        if as_json:
            self.stdout.write(json.dumps(row, ensure_ascii=False))
            return
        if outcome.status == "failed":
            line = f"failed     {row['file']}: {row['error']}"
        elif outcome.status == "duplicate":
            line = f"duplicate  {row['file']} (of #{row['duplicate_of']})"
        else:
            line = (
                f"created    #{row['report_id']} {row['city'] or '?'} "
                f"{row['published_on'] or '?'} {row['title']}"
            )
        bar.write(line, file=self.stdout._out)


def lower_priority(nice: int) -> None:
    """Run at niceness ``nice`` unless already lower in priority (never raised
    back: an unprivileged process cannot; several imports in one process do not
    add up)."""
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if nice > current:
        os.setpriority(os.PRIO_PROCESS, 0, nice)


def _refresh_planner_statistics() -> None:
    """SQLite plans without statistics until ANALYZE: after a bulk import it chose
    the ``needs_review`` index (true for almost no row, but it cannot know) over
    the city index, and city pages scanned every report (p50 158 -> 50 ms at
    2,000 reports, docs/benchmarks.md). PostgreSQL's autovacuum does this itself."""
    connection = connections["default"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- the pure pipeline ahead of the writer ------------------------------------------

#: what a worker hands back: the pipeline's result with the report's keyword term
#: counts (archive/term_stats.py), or the IngestError's reason.
Ahead = tuple[Processed, dict[str, int]] | str | None


def _ingest(item: InputItem, ahead: Ahead, *, city: City | None) -> IngestOutcome:
    if item.error is not None:
        return IngestOutcome(item.name, "failed", error=item.error)
    kwargs: dict = {}
    if hints := getattr(item, "hints", None):  # WARC pages: capture URL and time
        kwargs["hints"] = hints
    offered: AbstractContextManager = nullcontext()
    if isinstance(ahead, tuple):
        processed, counts = ahead
        kwargs["processed"] = processed
        offered = term_stats.counts_offered(processed.text_hash, processed.clean_text, counts)
    # A refused file (``ahead`` is the reason) goes through report_ingest anyway: a
    # byte-identical earlier report makes it a duplicate, exactly as with one worker.
    with offered:
        return report_ingest(data=item.data, filename=item.name, city=city, **kwargs)


#: a batch of reports is committed (and the cached versions bumped, once) after this
#: many seconds of writing or this many reports, whichever comes first.
BATCH_SECONDS = 0.5
BATCH_REPORTS = 100


def _committed_in_batches(
    processed: Iterable[tuple[InputItem, Ahead]], city: City | None
) -> Iterator[IngestOutcome]:
    """Each item ingested, in order; the outcomes of a batch once it has committed.

    Why: each report saved moved the archive's cache version, and readers then
    computed again everything kept per version (archive/cache_versions.py
    ``one_bump_per_batch``). A batch is one transaction (each report still its own
    savepoint: a failed one leaves the others), committed every ``BATCH_SECONDS``,
    so readers see an import's reports within about that, and a row is printed
    only for a report that is committed."""
    items = iter(processed)
    while True:
        batch: list[IngestOutcome] = []
        with cache_versions.one_bump_per_batch():
            started = time.monotonic()
            for item, ahead in items:
                batch.append(_ingest(item, ahead, city=city))
                if len(batch) >= BATCH_REPORTS or time.monotonic() - started >= BATCH_SECONDS:
                    break
        if not batch:
            return
        yield from batch


def _run_pipeline(data: bytes, filename: str) -> Ahead:
    """In a worker: the pure pipeline and the term counts, or why it refused the file."""
    try:
        processed = process_document(data, filename=filename, gazetteer=Gazetteer.load_default())
    except IngestError as exc:
        return exc.reason
    return processed, term_stats.counts_for_text(processed.clean_text)


def _processed_ahead(items: Iterable[InputItem], workers: int) -> Iterator[tuple[InputItem, Ahead]]:
    """Items in input order, each with its pipeline result when workers computed one.

    At most ``workers * AHEAD_PER_WORKER`` files are in flight, so memory stays
    flat however large the import. Workers are forked after jieba, OpenCC and
    the gazetteer are loaded, and share those pages with the writer.
    """
    if workers == 1:
        yield from ((item, None) for item in items)
        return
    textkit.warm_up()
    Gazetteer.load_default()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_set_aside_inherited_connections) as pool:
        pending: deque = deque()
        for item in items:
            job = None
            if item.data is not None:
                job = pool.apply_async(_run_pipeline, (item.data, item.name))
            pending.append((item, job))
            if len(pending) >= workers * AHEAD_PER_WORKER:
                yield _settled(*pending.popleft())
        while pending:
            yield _settled(*pending.popleft())


#: the writer's connection objects a forked worker inherited, kept referenced so
#: that the worker never finalizes (closes) them.
_INHERITED_CONNECTIONS: list = []


def _set_aside_inherited_connections() -> None:
    """In a new worker: stop Django from using the writer's connections, untouched.

    Closing them here would end the writer's session (PostgreSQL's terminate
    message goes down the shared socket), and closing them in the writer before
    the fork breaks a writer that is inside a transaction (a test, or a caller's
    ``atomic``). The pipeline never queries; if it ever did, Django would open
    the worker a connection of its own.
    """
    for connection in connections.all(initialized_only=True):
        _INHERITED_CONNECTIONS.append(connection.connection)
        connection.connection = None


def _settled(item: InputItem, job) -> tuple[InputItem, Ahead]:
    return item, (job.get() if job is not None else None)
