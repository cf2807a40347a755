"""Helpers for tests that run ``manage.py`` in real subprocesses on one data dir.

Imported by test_faults_import.py and test_backup_restore.py; holds no tests.
Each test works in its own ARCHIVE_DATA_DIR (a copy of one migrated database), so
the subprocesses and the checks in the test see the same SQLite file, as gunicorn
workers and an operator's import would.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from .conftest import SEEDS_DIR

BASE_DIR = Path(__file__).resolve().parent.parent
CITIES = ("兰州市", "运城市", "德州市", "泸州市", "呼和浩特市")
_migrated: list[Path] = []


def manage(data_dir: Path, *args: str, **popen) -> subprocess.Popen:
    # SQLite in the data dir, always: these tests are about that file (under
    # `make test-postgres` DATABASE_URL would point every subprocess at one server).
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env = {
        **env,
        "ARCHIVE_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def run(data_dir: Path, *args: str, timeout: float = 300) -> tuple[int, str, str]:
    proc = manage(data_dir, *args)
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def rows(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def fresh_data_dir(target: Path) -> Path:
    """``target`` holding an empty, migrated archive (migrated once per test run)."""
    if not _migrated:
        template = Path(tempfile.mkdtemp(prefix="archive-migrated-"))
        atexit.register(shutil.rmtree, template, ignore_errors=True)  # once per test run
        code, _out, err = run(template, "migrate", "--noinput")
        assert code == 0, err
        _migrated.append(template)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(_migrated[0] / "archive.sqlite3", target / "archive.sqlite3")
    return target


def seed_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted(SEEDS_DIR.glob("*.txt"))[:3]:
        lines = path.read_text(encoding="utf-8").splitlines()
        paragraphs += [line.strip() for line in lines if len(line.strip()) > 40 and "人才" in line]
    return paragraphs


def write_reports(folder: Path, count: int, *, start: int = 0) -> list[Path]:
    """``count`` distinct short reports recombining seed paragraphs."""
    folder.mkdir(parents=True, exist_ok=True)
    paragraphs = seed_paragraphs()
    paths = []
    for i in range(start, start + count):
        city = CITIES[i % len(CITIES)]
        picked = [paragraphs[(i * 7 + k * 3) % len(paragraphs)] for k in range(4)]
        text = (
            f"{city}人才工作简报第{i + 1}期\n\n"
            + "\n\n".join(picked)
            + f"\n\n本期编号{i + 1:05d}，由{city}人才工作领导小组办公室编发。\n"
        )
        path = folder / f"report-{i:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def stored_reports(data_dir: Path) -> list[tuple[int, str, str, str]]:
    """(id, original_name, original_sha256, clean_text) of every stored report."""
    db = sqlite3.connect(data_dir / "archive.sqlite3")
    try:
        return db.execute(
            "SELECT id, original_name, original_sha256, clean_text FROM archive_report"
        ).fetchall()
    finally:
        db.close()


def assert_every_report_is_complete(data_dir: Path) -> None:
    for pk, name, digest, clean in stored_reports(data_dir):
        original = data_dir / "originals" / digest[:2] / digest
        assert original.exists(), f"report #{pk} ({name}) has no original"
        assert hashlib.sha256(original.read_bytes()).hexdigest() == digest
        assert clean.strip(), f"report #{pk} ({name}) has no clean text"
