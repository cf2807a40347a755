"""Writes that are killed or contended, run for real: separate processes, one data dir."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from .conftest import SEEDS_DIR
from .test_faults_support import (
    assert_every_report_is_complete,
    fresh_data_dir,
    manage,
    rows,
    run,
    stored_reports,
    write_reports,
)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return fresh_data_dir(tmp_path / "data")


def test_an_import_killed_mid_way_leaves_whole_reports_and_the_rerun_finishes_the_rest(
    data_dir, tmp_path
):
    files = write_reports(tmp_path / "inbox", 60)
    proc = manage(data_dir, "import_reports", "--json", str(tmp_path / "inbox"))
    seen = 0
    while seen < 15:  # let it store a few, then kill it somewhere inside the next one
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        seen += 1
    time.sleep(0.03)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    before = {name.rsplit("/", 1)[-1] for _, name, _, _ in stored_reports(data_dir)}
    assert 15 <= len(before) < len(files)
    assert_every_report_is_complete(data_dir)

    code, out, err = run(data_dir, "import_reports", "--json", str(tmp_path / "inbox"))
    assert code == 0, err
    status = {Path(row["file"]).name: row["status"] for row in rows(out)}
    assert {name for name, s in status.items() if s == "duplicate"} == before
    assert {name for name, s in status.items() if s == "created"} == {
        p.name for p in files
    } - before
    assert len(stored_reports(data_dir)) == len(files)
    assert_every_report_is_complete(data_dir)
    code, out, _err = run(data_dir, "check_archive")
    assert code == 0, out
    assert "60 reports checked: 0 missing, 0 damaged, 0 drifted, 0 failing" in out


def test_a_writer_blocked_by_a_held_database_lock_waits_and_lands(data_dir, tmp_path):
    write_reports(tmp_path / "inbox", 5)
    holder = sqlite3.connect(data_dir / "archive.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the write lock, as a long import transaction holds it
    proc = manage(data_dir, "import_reports", "--json", str(tmp_path / "inbox"))
    time.sleep(4)  # the importer is up and waiting on the lock by now
    assert proc.poll() is None
    holder.execute("COMMIT")
    holder.close()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert [row["status"] for row in rows(out)] == ["created"] * 5


def test_concurrent_importers_and_a_writing_thread_lose_nothing(data_dir, tmp_path):
    batches = [write_reports(tmp_path / f"batch{b}", 12, start=b * 12) for b in range(3)]
    # Two processes import the same third batch: each file lands once, the loser
    # of each race says "duplicate" instead of failing.
    procs = [manage(data_dir, "import_reports", "--json", str(p[0].parent)) for p in batches]
    procs.append(manage(data_dir, "import_reports", "--json", str(batches[2][0].parent)))
    stop = threading.Event()
    writes = []

    def keep_writing() -> None:  # a web worker's small writes (sessions, queue rows)
        db = sqlite3.connect(data_dir / "archive.sqlite3", timeout=20, isolation_level=None)
        db.execute("CREATE TABLE IF NOT EXISTS fault_probe (n INTEGER)")
        while not stop.is_set():
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO fault_probe VALUES (?)", (len(writes),))
            db.execute("COMMIT")
            writes.append(1)
            time.sleep(0.005)
        db.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        outputs = [proc.communicate(timeout=300) for proc in procs]
    finally:
        stop.set()
        writer.join()
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    statuses = [row["status"] for out, _ in outputs for row in rows(out)]
    assert statuses.count("failed") == 0
    assert statuses.count("created") == 36
    assert statuses.count("duplicate") == 12
    assert len(stored_reports(data_dir)) == 36
    db = sqlite3.connect(data_dir / "archive.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM fault_probe").fetchone()[0] == len(writes) > 0
    db.close()
    assert_every_report_is_complete(data_dir)


def test_check_archive_finds_a_damaged_original_and_repairs_drifted_text(data_dir):
    code, _out, err = run(data_dir, "import_reports", str(SEEDS_DIR))
    assert code == 0, err
    (pk_a, _, digest_a, _), (pk_b, *_rest) = sorted(stored_reports(data_dir))[:2]
    db = sqlite3.connect(data_dir / "archive.sqlite3")
    db.execute("UPDATE archive_report SET clean_text = '被改动的正文' WHERE id = ?", (pk_b,))
    db.commit()
    db.close()
    original = data_dir / "originals" / digest_a[:2] / digest_a
    original.write_bytes(original.read_bytes() + b"\n")

    code, out, _err = run(data_dir, "check_archive")
    assert code == 1
    assert f"damaged    report #{pk_a}" in out
    assert f"drifted    report #{pk_b}" in out
    assert "5 reports checked: 0 missing, 1 damaged, 1 drifted, 0 failing" in out

    code, out, _err = run(data_dir, "check_archive", "--repair")
    assert code == 1  # the damaged original is for a backup to fix, never rewritten here
    assert f"repaired   report #{pk_b}" in out
    assert dict((pk, clean) for pk, _, _, clean in stored_reports(data_dir))[pk_b].strip()
    assert original.exists()
    code, out, _err = run(data_dir, "check_archive")
    assert "0 drifted" in out
