"""A report's similar reports, remembered per index version (issue 18 stop 19).

A more-like-this query is ~70 % of a report page drawn afresh (~25 ms at 10,000
reports), and its answer depends on the index and the report's own text only: not
on a save whose indexing is still queued (``import_reports`` drains once, at its
end). So the ids are kept under the ``INDEX`` version (archive/cache_versions.py,
bumped by every drain and rebuild) with the index's status (documents, archive
stamps: an index emptied or replaced behind the archive's back is a new key) and a
digest of the text the query is made of (a reprocessed report asks anew). The
reports themselves are still read from the database on every request, so a title
edited or a report held since the drain shows as the slow path shows it.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings

from archive import cache_versions

if TYPE_CHECKING:  # search.engine imports this module
    from .engine import Engine, IndexStatus


def similar_ids(
    engine: Engine, status: IndexStatus, *, doc_id: str, text: str, limit: int
) -> list[int]:
    """``engine.similar(...)``, kept until the index changes (settings.PAGE_FRAGMENTS);
    ``status`` is the engine's ``index_status()``, as checked before asking."""

    def ask() -> list[int]:
        return engine.similar(doc_id=doc_id, text=text, limit=limit)

    if not settings.PAGE_FRAGMENTS:
        return ask()
    key = _key(engine, status, doc_id, text, limit)
    return cache_versions.cached(key, [cache_versions.INDEX], ask)


def _key(engine: Engine, status: IndexStatus, doc_id: str, text: str, limit: int) -> tuple:
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    # Whoosh's folder, Elasticsearch's index: a test or a setting may switch them.
    where = (type(engine).__name__, getattr(engine, "path", ""), getattr(engine, "index_name", ""))
    archives = tuple(sorted(status.archives))
    return ("similar-ids", *where, status.documents, archives, doc_id, digest, limit)
