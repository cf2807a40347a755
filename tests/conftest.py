"""Shared fixtures: the seed reports as raw bytes, exactly as shipped."""

from pathlib import Path

import pytest

SEEDS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def seed_path(prefix: str) -> Path:
    """Path of the seed whose file name starts with ``prefix`` (e.g. "004")."""
    (match,) = sorted(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    return match


@pytest.fixture
def seed_bytes():
    return lambda prefix: seed_path(prefix).read_bytes()
