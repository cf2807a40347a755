"""Settings for the test suite: a throwaway data dir, so tests never touch var/."""

import os
import tempfile

os.environ.setdefault("ARCHIVE_DATA_DIR", tempfile.mkdtemp(prefix="archive-test-"))

from .settings import *  # noqa: E402,F403  (a settings overlay is a star import by design)

# Tests that lose or damage the index rebuild it themselves; tests/test_index_health.py
# turns the automatic rebuild on.
SEARCH_REBUILD = "off"
# The suite calls import_reports in its own process: it must not lower its own priority.
IMPORT_NICENESS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test logins

# Tests never run collectstatic: plain static names, served from the app folders.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Per-process counters, cleared by the tests that count (tests/test_security_abuse.py).
CACHES = {
    **CACHES,  # noqa: F405
    "throttle": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "throttle",
    },
    "versions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "versions",
    },
}
# pytest-django runs the tests with DEBUG off, as when served: the policy is enforced.
CONTENT_SECURITY_POLICY = STRICT_CSP  # noqa: F405
CONTENT_SECURITY_POLICY_REPORT_ONLY = None
