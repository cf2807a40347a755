"""haystack's Whoosh ``setup`` with the schema built once per process.

haystack keeps one backend per thread (``haystack.connections`` is thread-local),
and each new backend's ``setup`` collects every installed app's search indexes (a
failed import attempt per app without one) and builds the schema: 1.9 ms of a new
thread's first search, measured in process at 300 reports (0.9 ms collecting,
0.3 ms the schema, 0.1 ms the query parser, 0.1 ms opening the index). runserver starts a thread per
request, so every warm search paid it; gunicorn's threads pay it once (issue 18,
docs/benchmarks.md "Threading models").

The schema is a pure function of the configured search indexes, so it is built
once per process and index folder and shared, with haystack's query parser: its
fields and analyzers keep no per-call state (search/whoosh_schema.py), pooled
searchers already pass one thread's schema to the next (search/backend.py,
``_SearcherPool``), and Whoosh's ``QueryParser.parse`` builds its taggers and
nodes anew on every call (haystack only calls ``parse``). Each backend
still opens the index's files itself, as haystack's ``setup`` does, so a backend
made after the folder was rebuilt reads what is on disk; a missing or read-only
folder goes to haystack's own ``setup`` (it creates the folder, or says why not).
"""

from __future__ import annotations

import os
import threading
from typing import Any

from haystack import connections
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError
from whoosh.qparser import FuzzyTermPlugin, QueryParser

_lock = threading.Lock()
#: (connection alias, index folder) -> (content field name, schema, query parser)
_schemas: dict[tuple[str, str], tuple[str, Schema, QueryParser]] = {}


def shared_schema(backend: Any) -> tuple[str, Schema, QueryParser]:
    """``backend``'s (content field name, schema, parser), built by the first
    thread to ask, as haystack's ``setup`` builds them."""
    key = (backend.connection_alias, backend.path)
    with _lock:
        found = _schemas.get(key)
    if found is None:
        unified = connections[backend.connection_alias].get_unified_index()
        name, schema = backend.build_schema(unified.all_searchfields())
        parser = QueryParser(name, schema=schema)
        parser.add_plugins([FuzzyTermPlugin])
        with _lock:
            found = _schemas.setdefault(key, (name, schema, parser))
    return found


def remember_schema(backend: Any) -> None:
    """Keep what haystack's own ``setup`` just built for ``backend``'s folder, so no
    other thread builds it again."""
    key = (backend.connection_alias, backend.path)
    with _lock:
        _schemas.setdefault(key, (backend.content_field_name, backend.schema, backend.parser))


def set_up_from_shared_schema(backend: Any) -> bool:
    """Open ``backend``'s index with the process's schema, as haystack's ``setup``
    would with its own; False (nothing done) when haystack's must run instead."""
    path = backend.path
    if not backend.use_file_storage or not os.path.isdir(path) or not os.access(path, os.W_OK):
        return False
    backend.content_field_name, backend.schema, backend.parser = shared_schema(backend)
    backend.storage = FileStorage(path)
    try:
        backend.index = backend.storage.open_index(schema=backend.schema)
    except EmptyIndexError:
        backend.index = backend.storage.create_index(backend.schema)
    backend.setup_complete = True
    return True
