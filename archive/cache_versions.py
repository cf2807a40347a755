"""The one cache-version scheme (issues 15 and 18): every cached read is keyed by the
versions of what it depends on, and the versions change in one place, after commit.

Three kinds of version:

- ``ARCHIVE``: changes after any report is saved or deleted (upload, import,
  reprocess, publish, duplicate mark, staff edit, restore) and after an index drain
  or rebuild (the report page's "similar reports" come from the index);
- ``INDEX``: changes after an index drain or rebuild only, not after a save whose
  indexing is still queued (``import_reports`` drains once, at its end): what is
  read from the index alone, such as a report's similar reports, is kept across
  the saves of an import (issue 18 stop 19, archive/fragments.py);
- ``city_scope(pk)``: changes after a report of that city, or of one of its
  counties, is saved or deleted (its old city too when a staff edit moves it);
- ``LISTED``: changes after a report already in the archive is saved (a staff
  edit, a hold, a duplicate mark, a reprocess) or deleted, not when one is added.
  A list of search hits shows reports the index found: a new report can only
  join it through the index, whose own state keys such answers
  (search/selectors.py ``answer_versions``), so a bulk import, which indexes at
  its end, no longer discards every search answer at each report it adds.

A version is a random token, not a counter: a lost or cleared store can never hand
an old number back, so a value computed before a write is never served after it.
Tokens live in the ``versions`` cache (files under the data dir by default, so
every gunicorn worker sees a bump at once); values live in the ``default`` cache,
which every worker shares too and which outlives a restart: each key also holds
the process's ``epoch()``, drawn when the server starts (config/wsgi.py, in
gunicorn's master before it forks), so a deploy or a restart never serves a value
computed before it. Any other process has its own, so a command's values are its
own, except where it follows the server's, which the server writes to the
versions store: ``import_reports`` computing its cities' values after its last
commit (compare/warming.py), so the server finds them.
``bump`` is called only by the signal handlers below and the index drain and
rebuild; readers call ``cached``.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

T = TypeVar("T")

ARCHIVE = "archive"
LISTED = "listed"
INDEX = "index"
#: an hour: values are also dropped when a version changes, this only bounds memory.
TIMEOUT = 3600
_MISSING = object()
#: where the serving process's epoch is kept in the versions store (``epoch``).
EPOCH_KEY = "epoch"
#: this process's generation of cached values: its own until it starts a server or
#: follows one (``start_epoch``, ``follow_server_epoch``).
_epoch: str = uuid.uuid4().hex
_commit_only: ContextVar[bool] = ContextVar("cache_versions_commit_only", default=False)
_batch: ContextVar[_PendingBump | None] = ContextVar("cache_versions_batch", default=None)


def start_epoch() -> str:
    """A new generation of cached values for a server starting (config/wsgi.py),
    written where commands run beside it can follow it (``follow_server_epoch``).
    A worker without the master's preload draws its own."""
    global _epoch
    _epoch = uuid.uuid4().hex
    _tokens_store().set(EPOCH_KEY, _epoch, timeout=None)
    return _epoch


def follow_server_epoch() -> str:
    """This process takes the epoch the server last started with (its own if no
    server has), so the values it computes from now on are those the server reads.

    Only for what a command computes after its writes are committed (compare/warming.py):
    until then a command keeps its own epoch, so nothing it computes inside an
    uncommitted transaction can reach a reader."""
    global _epoch
    found = _tokens_store().get(EPOCH_KEY)
    if found is not None:
        _epoch = found
    return _epoch


def epoch() -> str:
    """The generation of cached values this process reads and writes (module docstring)."""
    return _epoch


def city_scope(city_id: int) -> str:
    return f"city:{city_id}"


def _tokens_store() -> BaseCache:
    return caches[settings.CACHE_VERSIONS]


def values() -> BaseCache:
    """Where cached values (and whole pages) are kept."""
    return caches["default"]


def tokens(scopes: Sequence[str]) -> tuple[str, ...]:
    """The current token of each scope, minting one for a scope never bumped."""
    store = _tokens_store()
    found = store.get_many(scopes)
    missing = [scope for scope in scopes if scope not in found]
    for scope in missing:
        store.add(scope, uuid.uuid4().hex, timeout=None)
    if missing:
        found.update(store.get_many(missing))
    return tuple(found[scope] for scope in scopes)


def key_for(key_parts: Sequence[object], versions: Sequence[str]) -> str:
    """A short key (cache backends warn past 250 characters) naming its first part."""
    return _key(key_parts, tokens(versions))


def _key(key_parts: Sequence[object], versions_tokens: tuple[str, ...]) -> str:
    raw = repr((epoch(), tuple(key_parts), versions_tokens)).encode()
    return f"{key_parts[0]}:{hashlib.blake2b(raw, digest_size=16).hexdigest()}"


def cached_per_city(
    name: str,
    city_ids: Sequence[int],
    compute: Callable[[list[int]], dict[int, T]],
    default: T,
) -> dict[int, T]:
    """``compute(ids)`` for these cities, each city's value remembered until its own
    ``city_scope`` is bumped; those not remembered are computed in one call (a
    city missing from its answer gets ``default``).

    Why: while ``import_reports`` runs, the cities it touched are summed from their
    reports (archive/city_resum.py) by every reader, and every report it saves
    moves ``ARCHIVE``: the compare suggestions of each city page summed the figures
    of every pending city again, a tenth of the CPU of ``make load`` (issue 18
    stop 24 profile). A save changes one city's value only.
    """
    ids = list(dict.fromkeys(city_ids))
    if not ids:
        return {}
    versions_tokens = tokens([city_scope(pk) for pk in ids])
    keys = {pk: _key((name, pk), (token,)) for pk, token in zip(ids, versions_tokens, strict=True)}
    found = values().get_many(list(keys.values()))
    missing = [pk for pk in ids if keys[pk] not in found]
    if missing:
        computed = compute(missing)
        fresh = {keys[pk]: computed.get(pk, default) for pk in missing}
        values().set_many(fresh, timeout=TIMEOUT)
        found.update(fresh)
    return {pk: found[keys[pk]] for pk in ids}


def cached(
    key_parts: Sequence[object],
    versions: Sequence[str],
    compute: Callable[[], T],
    *,
    local: bool = False,
) -> T:
    """``compute()``, remembered until one of ``versions`` is bumped.

    ``key_parts`` names the value (its first part is a readable prefix) and every
    argument it depends on; ``versions`` are scopes (``ARCHIVE``, ``city_scope``).
    With ``local`` this process also keeps the object (``local_values``): for
    values read often and costly to unpickle, which no caller may change.
    """
    key = key_for(key_parts, versions)
    if local:
        return local_values.cached(key, compute)
    found = values().get(key, _MISSING)
    if found is _MISSING:
        found = compute()
        values().set(key, found, timeout=TIMEOUT)
    return found


class LocalValues:
    """The last ``size`` shared values this process read, as objects, each with the
    stamp it was stored with.

    Why: a value in the shared cache is unpickled on every read. A compare column
    (~450 figures with their reports) took ~5 ms to unpickle, the city picker
    (339 cities) 4.4 ms, a large city's ranked terms ~3 ms: a third of a compare
    page whose cities were all cached (issue 18 stop 22 profile). The shared cache
    stays the truth: each value is stored beside a small random stamp, and the
    kept object is used only while the stamp read now is the one it came with, so
    a value dropped from the shared cache (cleared, culled, expired) is dropped
    here too. Keys hold the version tokens, so a write is seen as before.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._kept: OrderedDict[str, tuple[str, object]] = OrderedDict()

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        store = values()
        stamp_key = key + "#stamp"
        stamp = store.get(stamp_key)
        if stamp is not None:
            with self._lock:
                kept = self._kept.get(key)
                if kept is not None and kept[0] == stamp:
                    self._kept.move_to_end(key)
                    return kept[1]  # type: ignore[return-value]
            found = store.get(key, _MISSING)
            if found is not _MISSING:
                self._keep(key, stamp, found)
                return found
        found = compute()
        stamp = uuid.uuid4().hex
        store.set_many({key: found, stamp_key: stamp}, timeout=TIMEOUT)
        self._keep(key, stamp, found)
        return found

    def _keep(self, key: str, stamp: str, value: object) -> None:
        with self._lock:
            self._kept[key] = (stamp, value)
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def __len__(self) -> int:
        return len(self._kept)


#: a large city's compare column is ~1 MB as objects: 64 values bound a worker's copy.
local_values = LocalValues(64)


def bump(*, city_ids: Iterable[int | None] = (), listed: bool = False, index: bool = False) -> None:
    """New tokens for the archive and these cities (and their prefectures), for
    ``LISTED`` when a report already listed changed, and with ``index`` for the
    index (a drain or rebuild wrote to it).

    Inside a transaction, twice: at once, so the transaction's own later reads (a
    view that writes then renders; a test, which never commits) see the change,
    and after commit, the bump other workers rely on: a reader that cached the
    old rows under the first token, before the commit, is discarded by the second.
    Outside a transaction ``on_commit`` runs at once: one bump.
    """
    wanted = {pk for pk in city_ids if pk is not None}
    pending = _batch.get()
    if pending is not None:  # one_bump_per_batch: once, after the batch commits
        pending.add(wanted, listed, index)
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block and not _reads_nothing_before_commit(connection):
        _bump_now(wanted, listed, index)
    transaction.on_commit(lambda: _bump_now(wanted, listed, index))


@contextmanager
def bumps_at_commit() -> Iterator[None]:
    """Writes in the block bump after commit only, when their transaction is the
    outermost one: for a writer that reads no cached value before it commits
    (``report_ingest``). The bump at once is for such reads; it cost the import
    writer a second ``set_many`` and City query per report (docs/benchmarks.md,
    "Import writer, stop 17"). Inside a caller's transaction (a request, a test)
    both bumps stay."""
    token = _commit_only.set(True)
    try:
        yield
    finally:
        _commit_only.reset(token)


@dataclass
class _PendingBump:
    """What the writes of a batch bump, gathered until it commits."""

    city_ids: set[int] = field(default_factory=set)
    listed: bool = False
    index: bool = False
    any: bool = False

    def add(self, city_ids: set[int], listed: bool, index: bool) -> None:
        self.city_ids |= city_ids
        self.listed, self.index, self.any = self.listed or listed, self.index or index, True

    def bump(self) -> None:
        if self.any:
            _bump_now(self.city_ids, self.listed, self.index)


@contextmanager
def one_bump_per_batch() -> Iterator[None]:
    """The block's writes are one transaction, which bumps once, after it commits.

    Why: ``import_reports`` bumped the archive's version after each report it
    saved, so while staff imported 200 reports under ``make load`` every value kept
    per archive version (keywords, the city picker, the compare suggestions, whole
    pages) was computed again ~3 times a second and hardly ever read again (issue
    18 stop 25 profile). The import now commits a batch of reports at a time
    (archive/management/commands/import_reports.py): a reader sees none of a batch
    before its commit and all of it after, so one bump after the commit keeps
    every cached value right. The block must read no cached value it wrote (as
    ``bumps_at_commit``). Inside a caller's transaction (a test, a request) there is
    no batch: the writes bump as they would without this block.
    """
    if _batch.get() is not None or transaction.get_connection().in_atomic_block:
        yield
        return
    pending = _PendingBump()
    token = _batch.set(pending)
    try:
        with transaction.atomic():
            yield
            transaction.on_commit(pending.bump)
    finally:
        _batch.reset(token)


def _reads_nothing_before_commit(connection) -> bool:
    return _commit_only.get() and len(connection.atomic_blocks) == 1


def _bump_now(city_ids: set[int], listed: bool = False, index: bool = False) -> None:
    from .models import City

    parents = City.objects.filter(pk__in=city_ids).exclude(parent=None)
    scopes = [ARCHIVE, *(city_scope(pk) for pk in city_ids)]
    scopes += [*([LISTED] if listed else []), *([INDEX] if index else [])]
    scopes += [city_scope(pk) for pk in parents.values_list("parent_id", flat=True)]
    _tokens_store().set_many({scope: uuid.uuid4().hex for scope in scopes}, timeout=None)


# --- the one place writes bump versions -----------------------------------------------


def _before_save(sender, instance, raw: bool = False, **kwargs) -> None:
    """The city a report leaves (a staff edit or reprocess may move it)."""
    if instance.pk is not None:
        old = sender.objects.filter(pk=instance.pk).values_list("city_id", flat=True)
        bump(city_ids=list(old), listed=True)


def _after_write(sender, instance, **kwargs) -> None:
    bump(city_ids=[instance.city_id])


def _after_delete(sender, instance, **kwargs) -> None:
    bump(city_ids=[instance.city_id], listed=True)


def connect() -> None:
    from .models import Report

    pre_save.connect(_before_save, sender=Report, dispatch_uid="cache_versions.before")
    post_save.connect(_after_write, sender=Report, dispatch_uid="cache_versions.save")
    post_delete.connect(_after_delete, sender=Report, dispatch_uid="cache_versions.delete")
