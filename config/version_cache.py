"""The ``versions`` cache backend: Django's file cache, never culled.

It holds the version tokens of archive/cache_versions.py, one small file per
scope: the archive, ``LISTED``, ``INDEX`` and one per city (at most the
gazetteer's ~3,200), far under ``MAX_ENTRIES``. Django's ``FileBasedCache``
lists the whole folder on every ``set`` to decide whether to cull; a write bumps
three or four scopes, so at 10,000 reports (342 token files) the listing was 5
of a bump's 8 ms, paid by every upload and by the import writer for each report
(issue 18). With the keys bounded, there is nothing to cull; ``clear`` still
removes every file.
"""

from __future__ import annotations

from django.core.cache.backends.filebased import FileBasedCache


class VersionTokenCache(FileBasedCache):
    """``FileBasedCache`` without the folder listing on every write (module docstring)."""

    def _cull(self) -> None:
        return None
