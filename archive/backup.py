"""Backups of the whole archive while it runs, and restores into an empty data dir.

A backup is a folder: the database snapshot, the originals the snapshot refers
to, and ``manifest.json`` (counts and checksums). It is consistent because the
list of originals is read from the snapshot itself, and originals are
content-addressed and never deleted or changed (storage.py): whatever the
snapshot names is on disk with exactly those bytes. Reports created after the
snapshot are simply not in it.

- SQLite: sqlite3's online backup API copies the database in one step under a
  read transaction; in WAL mode writers go on meanwhile
  (https://www.sqlite.org/backup.html).
- PostgreSQL: ``pg_dump`` run on a snapshot exported from the transaction that
  reads the counts and originals (``pg_export_snapshot``), so all three agree.

Not in a backup: the search index (rebuilt from the database after a restore),
collected static files, the caches (throttle, version tokens, shared values) and
the generated secret key (a backup should carry no secret; a restored site just
issues new sessions).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction

from .models import AuditEntry, Figure, Report
from .storage import original_path

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_FILE = "archive.sqlite3"
PG_FILE = "archive.pgdump"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup cannot be written or trusted; the message says why."""


@dataclass
class Snapshot:
    """What the database snapshot holds, read from the snapshot itself."""

    database: dict
    counts: dict[str, int]
    originals: list[tuple[str, int]]  # (sha256, size) of every report
    migrations: dict[str, str]


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    missing: list[str] = field(default_factory=list)  # originals absent or damaged live


def _counted_tables() -> dict[str, str]:
    return {
        "reports": Report._meta.db_table,
        "figures": Figure._meta.db_table,
        "audit_entries": AuditEntry._meta.db_table,
        "users": get_user_model()._meta.db_table,
    }


def archive_backup(*, dest: Path) -> BackupResult:
    """Write a backup folder at ``dest`` (which must not exist, or be empty)."""
    dest = dest.resolve()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest} exists and is not an empty folder")
    work = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        snapshot = _postgres_snapshot(work) if _is_postgres() else _sqlite_snapshot(work)
        copied, missing = _copy_originals(snapshot.originals, work / "originals")
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": snapshot.database,
            "counts": snapshot.counts,
            "migrations": snapshot.migrations,
            "originals": {
                "count": len(copied),
                "bytes": sum(copied.values()),
                "sha256": sorted(copied),
                "missing": missing,
            },
        }
        _write_json(work / MANIFEST, manifest)
        if dest.exists():
            dest.rmdir()
        os.replace(work, dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return BackupResult(dest, manifest, missing)


def read_manifest(src: Path) -> dict:
    """The manifest of backup ``src``, after checking every checksum in it."""
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{src} is not a backup: cannot read {MANIFEST} ({exc})") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    db = manifest["database"]
    if file_sha256(src / db["file"]) != db["sha256"]:
        raise BackupError(f"{db['file']} does not match its checksum in the manifest")
    for digest in manifest["originals"]["sha256"]:
        path = _original_in(src / "originals", digest)
        if not path.exists() or file_sha256(path) != digest:
            raise BackupError(f"original {digest} is missing or damaged in the backup")
    return manifest


def archive_restore(*, src: Path) -> dict:
    """Restore backup ``src`` into this (empty) data dir; returns its manifest.

    Everything is checked before anything is written. The caller then runs
    ``migrate`` (a backup may predate newer migrations) and ``rebuild_index``.
    """
    manifest = read_manifest(src)
    engine = manifest["database"]["engine"]
    if engine != ("postgresql" if _is_postgres() else "sqlite"):
        raise BackupError(f"the backup holds a {engine} database; this site uses another")
    _require_empty_archive()
    if engine == "sqlite":
        _restore_sqlite(src / manifest["database"]["file"])
    else:
        _restore_postgres(src / manifest["database"]["file"])
    for digest in manifest["originals"]["sha256"]:
        _copy_verified(_original_in(src / "originals", digest), original_path(digest), digest)
    return manifest


# --- database snapshots --------------------------------------------------------------


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def _sqlite_snapshot(work: Path) -> Snapshot:
    target = work / SQLITE_FILE
    source = sqlite3.connect(_sqlite_path(), timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # pages=-1: the whole database in one consistent step
        # One self-contained file, no -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        (integrity,) = copy.execute("PRAGMA integrity_check").fetchone()
        if integrity != "ok":
            raise BackupError(f"the database snapshot fails its integrity check: {integrity}")
        counts = {
            name: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for name, table in _counted_tables().items()
        }
        originals = copy.execute(
            f'SELECT original_sha256, original_size FROM "{Report._meta.db_table}"'
        ).fetchall()
        migrations = dict(
            copy.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
        )
    finally:
        copy.close()
        source.close()
    return Snapshot(_db_entry("sqlite", target), counts, originals, migrations)


def _postgres_snapshot(work: Path) -> Snapshot:
    """pg_dump on the snapshot of the transaction that reads counts and originals."""
    target = work / PG_FILE
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot_id,) = cursor.fetchone()
        _run_pg(["pg_dump", "--format=custom", f"--snapshot={snapshot_id}", "--file", target])
        counts = {}
        for name, table in _counted_tables().items():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[name] = cursor.fetchone()[0]
        originals = list(Report.objects.values_list("original_sha256", "original_size"))
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        migrations = dict(cursor.fetchall())
    return Snapshot(_db_entry("postgresql", target), counts, originals, migrations)


def _run_pg(args: list) -> None:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    conn = [
        f"--host={db.get('HOST') or 'localhost'}",
        f"--port={db.get('PORT') or 5432}",
        f"--username={db.get('USER') or ''}",
        f"--dbname={db['NAME']}",
    ]
    try:
        subprocess.run([*map(str, args), *conn], env=env, check=True, capture_output=True)
    except FileNotFoundError as exc:
        raise BackupError(f"{args[0]} is not installed (PostgreSQL client tools)") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{args[0]} failed: {exc.stderr.decode(errors='replace')}") from exc


def _db_entry(engine: str, path: Path) -> dict:
    return {
        "engine": engine,
        "file": path.name,
        "bytes": path.stat().st_size,
        "sha256": file_sha256(path),
    }


# --- restore ---------------------------------------------------------------------------


def _require_empty_archive() -> None:
    """Refuse to restore over reports or originals: move the data dir aside first."""
    originals = Path(settings.ORIGINALS_DIR)
    if originals.exists() and any(p.is_file() for p in originals.rglob("*")):
        raise BackupError(f"{originals} already holds originals: restore into an empty data dir")
    if _is_postgres():
        tables = connection.introspection.table_names()
        if Report._meta.db_table in tables and Report.objects.exists():
            raise BackupError("the database already holds reports: restore into an empty one")
        return
    path = _sqlite_path()
    if not path.exists():
        return
    db = sqlite3.connect(path, timeout=60)
    try:
        table = Report._meta.db_table
        found = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)
        ).fetchone()
        if found and db.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone():
            raise BackupError(f"{path} already holds reports: restore into an empty data dir")
    finally:
        db.close()


def _restore_sqlite(snapshot: Path) -> None:
    path = _sqlite_path()
    connections.close_all()
    staged = path.with_name(f".{path.name}.restore-{os.getpid()}")
    _copy_verified(snapshot, staged, file_sha256(snapshot))
    # A -wal left by the empty database would be replayed onto the restored file.
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(staged, path)


def _restore_postgres(dump: Path) -> None:
    _run_pg(["pg_restore", "--no-owner", "--exit-on-error", dump])


# --- files -----------------------------------------------------------------------------


def _original_in(root: Path, digest: str) -> Path:
    return root / digest[:2] / digest


def _copy_originals(
    originals: list[tuple[str, int]], root: Path
) -> tuple[dict[str, int], list[str]]:
    """Copy each original, checking its bytes against its name on the way."""
    copied: dict[str, int] = {}
    missing: list[str] = []
    for digest, _size in originals:
        try:
            copied[digest] = _copy_verified(
                original_path(digest), _original_in(root, digest), digest
            )
        except (OSError, BackupError):
            missing.append(digest)
    return copied, sorted(missing)


def _copy_verified(source: Path, target: Path, digest: str) -> int:
    """Copy ``source`` to ``target`` through a temporary file, checking its sha256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    hasher = hashlib.sha256()
    size = 0
    try:
        with source.open("rb") as src, tmp.open("wb") as out:
            while chunk := src.read(CHUNK):
                hasher.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        if hasher.hexdigest() != digest:
            raise BackupError(f"{source} does not match its sha256 {digest}")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return size


def file_sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()


def _write_json(path: Path, data: dict) -> None:
    with path.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
