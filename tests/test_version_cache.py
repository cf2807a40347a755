"""The ``versions`` backend keeps Django's file cache behaviour, minus the folder
listing on every write (config/version_cache.py)."""

from __future__ import annotations

import pytest

from config import settings as production
from config.version_cache import VersionTokenCache


@pytest.fixture
def tokens(tmp_path) -> VersionTokenCache:
    return VersionTokenCache(str(tmp_path / "versions"), {"OPTIONS": {"MAX_ENTRIES": 3}})


def test_writes_never_list_the_folder(tokens, monkeypatch):
    def listed():
        raise AssertionError("a write listed the folder")

    monkeypatch.setattr(tokens, "_list_cache_files", listed)
    scopes = {f"city:{pk}": f"token-{pk}" for pk in range(10)}
    tokens.set_many({"archive": "a1", **scopes}, timeout=None)
    assert tokens.add("listed", "l1", timeout=None) is True
    assert tokens.add("listed", "l2", timeout=None) is False
    tokens.set("archive", "a2", timeout=None)
    # past MAX_ENTRIES (3): a token is never dropped to make room
    assert tokens.get_many(["archive", "listed", *scopes]) == {
        "archive": "a2",
        "listed": "l1",
        **scopes,
    }


def test_clear_still_removes_every_token(tokens):
    tokens.set_many({"archive": "a1", "city:1": "c1"}, timeout=None)
    tokens.clear()
    assert tokens.get_many(["archive", "city:1"]) == {}


def test_the_server_keeps_tokens_in_it():
    assert production.CACHES["versions"]["BACKEND"] == "config.version_cache.VersionTokenCache"
