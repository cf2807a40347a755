"""Settings for django-haystack's own Whoosh tests run against our backend.

``scripts/haystack_outside_check.sh`` puts a copy of haystack's ``test_haystack``
package and this repository on the path. haystack's test settings stay as they
are; only the Whoosh connections' ENGINE changes (``HAYSTACK_CHECK_ENGINE=stock``
keeps haystack's own, for the baseline), plus what our backend imports: the
``archive`` app (``search.search_indexes`` imports its Report model) and the
settings our search modules read.
"""

import os
import tempfile
from pathlib import Path

from test_haystack.settings import *  # noqa: F403  (an overlay of haystack's settings)
from test_haystack.settings import HAYSTACK_CONNECTIONS, INSTALLED_APPS

STOCK_ENGINE = "haystack.backends.whoosh_backend.WhooshEngine"
OUR_ENGINE = "search.backend.ArchiveWhooshEngine"
ENGINE = STOCK_ENGINE if os.environ.get("HAYSTACK_CHECK_ENGINE") == "stock" else OUR_ENGINE

for connection in HAYSTACK_CONNECTIONS.values():
    if connection["ENGINE"] == STOCK_ENGINE:
        connection["ENGINE"] = ENGINE

# ``search.search_indexes`` imports the archive's models, which import the search
# app's (the index queue). haystack's tests build their own unified indexes.
INSTALLED_APPS = [*INSTALLED_APPS, "archive", "search"]
DATA_DIR = Path(tempfile.mkdtemp(prefix="haystack-check-"))
ORIGINALS_DIR = DATA_DIR / "originals"
SEARCH_RESULT_CACHE = 0
SEARCH_REBUILD = "off"
PAGE_CACHE = False
CACHE_VERSIONS = "default"
USE_TZ = False

# pysolr is not installed here: haystack's reset_search_queries() loads every
# connection, and the Solr one would fail to import (no Whoosh test uses it).
HAYSTACK_CONNECTIONS.pop("solr", None)
