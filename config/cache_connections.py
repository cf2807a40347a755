"""diskcache shards whose SQLite connections outlive the thread that opened them.

diskcache opens one connection per thread per shard and, on each new one, reads
its Settings table and applies its per-connection PRAGMAs again: 0.4 ms per shard a
request touches (measured in process on a 300-report archive). runserver starts a
thread per request, so every request paid it, and the connection was closed when
the thread ended; gunicorn's threads keep theirs (issue 18, docs/benchmarks.md
"Threading models").

Here a thread still holds its own connection for as long as it lives: a connection
is never used by two threads at once (diskcache's transactions span several
statements on it). When the thread ends, its connection goes back to the shard's
idle list and the next new thread takes it instead of opening one; connections are
opened with ``check_same_thread=False`` for that hand-over only. A connection left
inside a transaction is closed, never handed on. After a fork the child starts an
empty list, as diskcache itself reopens after one (SQLite connections must not
cross a fork).
"""

from __future__ import annotations

import os
import os.path as op
import sqlite3
import threading
import weakref

from diskcache import FanoutCache
from diskcache.core import DBNAME, DEFAULT_SETTINGS, Cache

#: idle connections kept per shard; more (after a burst of threads) are closed.
MAX_IDLE = 8


class _Idle:
    """One shard's idle connections, belonging to the process that opened them."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []

    def take(self) -> sqlite3.Connection | None:
        with self._lock:
            return self._connections.pop() if self._connections else None

    def give_back(self, con: sqlite3.Connection) -> None:
        if self.pid == os.getpid() and not con.in_transaction:
            with self._lock:
                if len(self._connections) < MAX_IDLE:
                    self._connections.append(con)
                    return
        con.close()


class _Lease:
    """A thread's hold on one connection: dropped with the thread's locals when the
    thread ends, and the connection goes back to the idle list."""

    def __init__(self, con: sqlite3.Connection, idle: _Idle) -> None:
        self.con, self.pid = con, os.getpid()
        self._end = weakref.finalize(self, idle.give_back, con)

    def close(self) -> None:
        self._end.detach()
        self.con.close()


class PooledShard(Cache):
    """``diskcache.Cache`` handing its connections from ended threads to new ones."""

    def __init__(self, *args, **kwargs) -> None:
        self._idle = _Idle()
        super().__init__(*args, **kwargs)

    @property
    def _con(self) -> sqlite3.Connection:
        lease = getattr(self._local, "lease", None)
        if lease is None or lease.pid != os.getpid():
            lease = self._lease()
        return lease.con

    def _lease(self) -> _Lease:
        if self._idle.pid != os.getpid():
            self._idle = _Idle()  # forked: the parent's connections are not ours
        con = self._idle.take()
        fresh = con is None
        if fresh:
            path = op.join(self._directory, DBNAME)
            con = sqlite3.connect(
                path, timeout=self._timeout, isolation_level=None, check_same_thread=False
            )
        lease = self._local.lease = _Lease(con, self._idle)
        if fresh:
            self._apply_settings(con)
        return lease

    def _apply_settings(self, con: sqlite3.Connection) -> None:
        """What diskcache's ``_con`` does to a new connection: its stored ``sqlite_``
        settings are per-connection PRAGMAs (the table may not exist yet)."""
        try:
            stored = con.execute("SELECT key, value FROM Settings").fetchall()
        except sqlite3.OperationalError:
            return
        for key, value in stored:
            if key.startswith("sqlite_"):
                self.reset(key, value, update=False)

    def close(self) -> None:
        """Close this thread's connection (diskcache's meaning: ``__init__`` closes the
        one it opened with no timeout; ``__exit__`` and ``FanoutCache.close`` too)."""
        lease = getattr(self._local, "lease", None)
        if lease is not None:
            del self._local.lease
            lease.close()


class PooledFanoutCache(FanoutCache):
    """``FanoutCache`` whose shards are ``PooledShard``s.

    diskcache builds its own shards in ``__init__``; they are opened once more here
    as pooled shards (the tables exist by then) and the first ones' connections
    closed: a few milliseconds once per process."""

    def __init__(self, directory: str, shards: int, timeout: float, **settings) -> None:
        super().__init__(directory, shards, timeout, **settings)
        size_limit = settings.pop("size_limit", DEFAULT_SETTINGS["size_limit"]) / shards
        first, self._shards = self._shards, tuple(
            PooledShard(
                directory=shard.directory, timeout=timeout, disk=self._disk,
                size_limit=size_limit, **settings,
            )
            for shard in self._shards
        )  # fmt: skip
        for shard in first:
            shard.close()
