"""Settings for the test suite: a throwaway data dir, so tests never touch var/."""

import os
import tempfile

os.environ.setdefault("ARCHIVE_DATA_DIR", tempfile.mkdtemp(prefix="archive-test-"))

from .settings import *  # noqa: E402,F403  (a settings overlay is a star import by design)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test logins
