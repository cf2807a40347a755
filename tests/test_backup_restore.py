"""``backup`` and ``restore`` through the commands, on real data dirs, with the seeds."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from .conftest import SEEDS_DIR
from .test_faults_support import (
    fresh_data_dir,
    manage,
    rows,
    run,
    stored_reports,
    write_reports,
)

QUERIES = ("人才", "人才公寓", "泸州", "瀘州", "高校毕业生 -德州", '"拎包入住"')
SEARCH_SCRIPT = """
import json
from django.test import Client
client = Client(SERVER_NAME="localhost")
found = {}
for q in %r:
    data = client.get("/api/search", {"q": q, "page_size": 100}).json()
    found[q] = [[hit["id"], hit["title"], hit["highlights"]] for hit in data["results"]]
print(json.dumps(found, ensure_ascii=False))
"""


def search_results(data_dir: Path) -> dict:
    code, out, err = run(data_dir, "shell", "-c", SEARCH_SCRIPT % (QUERIES,))
    assert code == 0, err
    return json.loads(out.strip().splitlines()[-1])  # after the shell's own notices


def archive_state(data_dir: Path) -> list[tuple]:
    db = sqlite3.connect(data_dir / "archive.sqlite3")
    try:
        return db.execute(
            "SELECT r.id, r.title, r.original_sha256, r.clean_text, r.published_on,"
            " r.city_id, (SELECT COUNT(*) FROM archive_figure f WHERE f.report_id = r.id)"
            " FROM archive_report r ORDER BY r.id"
        ).fetchall()
    finally:
        db.close()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """The five seeds and ten generated reports (read-only for the tests)."""
    root = tmp_path_factory.mktemp("seeded")
    data_dir = fresh_data_dir(root / "live")
    write_reports(root / "more", 10)
    code, _out, err = run(data_dir, "import_reports", str(SEEDS_DIR), str(root / "more"))
    assert code == 0, err
    return data_dir


@pytest.fixture(scope="module")
def backup(seeded, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("backups") / "backup"
    code, out, err = run(seeded, "backup", str(target))
    assert code == 0, err
    assert "15 reports" in out
    return target


def test_a_restored_backup_is_the_same_archive_with_the_same_search_results(
    seeded, backup, tmp_path
):
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["reports"] == 15
    assert manifest["originals"]["count"] == 15
    assert manifest["originals"]["missing"] == []
    assert sorted(manifest["originals"]["sha256"]) == sorted(r[2] for r in stored_reports(seeded))

    restored = tmp_path / "restored"  # an empty data dir, never migrated
    restored.mkdir()
    code, out, err = run(restored, "restore", str(backup))
    assert code == 0, err
    assert "Restored 15 reports and 15 originals" in out
    assert archive_state(restored) == archive_state(seeded)
    live, back = search_results(seeded), search_results(restored)
    assert live == back
    assert len(back["人才"]) == 15
    code, out, _err = run(restored, "check_archive")
    assert code == 0, out


def test_a_backup_taken_during_an_import_is_consistent(tmp_path):
    seeded = fresh_data_dir(tmp_path / "live")
    write_reports(tmp_path / "inbox", 120, start=100)
    importer = manage(seeded, "import_reports", "--json", str(tmp_path / "inbox"))
    for _ in range(5):  # the import is under way
        assert importer.stdout.readline()
    assert importer.poll() is None
    code, _out, err = run(seeded, "backup", str(tmp_path / "backup"))
    # the rest of the rows through the same reader: a batch's rows come at once, and
    # ``readline`` may have buffered some that ``communicate`` (reading the pipe
    # itself) would never see
    out, import_err = importer.stdout.read(), importer.stderr.read()
    importer.wait(timeout=300)
    assert code == 0, err
    assert importer.returncode == 0, import_err
    assert [row["status"] for row in rows(out)].count("created") == 115, out  # 5 read above

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    in_snapshot = stored_reports(tmp_path / "backup")
    assert 5 <= manifest["counts"]["reports"] == len(in_snapshot) <= 120
    assert sorted(manifest["originals"]["sha256"]) == sorted(r[2] for r in in_snapshot)
    restored = tmp_path / "restored"
    restored.mkdir()
    code, _out, err = run(restored, "restore", "--no-index", str(tmp_path / "backup"))
    assert code == 0, err
    code, out, _err = run(restored, "check_archive", "--originals-only")
    assert code == 0, out


def test_restore_refuses_a_data_dir_that_already_has_reports(seeded, backup):
    code, _out, err = run(seeded, "restore", str(backup))
    assert code == 1
    assert "already holds" in err


def test_restore_refuses_a_tampered_backup_and_writes_nothing(backup, tmp_path):
    shutil.copytree(backup, tmp_path / "backup")
    original = next((tmp_path / "backup" / "originals").glob("*/*"))
    original.write_bytes(original.read_bytes()[:-1])
    restored = tmp_path / "restored"
    restored.mkdir()
    code, _out, err = run(restored, "restore", str(tmp_path / "backup"))
    assert code == 1
    assert f"original {original.name} is missing or damaged in the backup" in err
    assert not (restored / "originals").exists()
    assert not (restored / "archive.sqlite3").exists()


def test_backup_refuses_to_overwrite_an_existing_folder(seeded, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "notes.txt").write_text("keep me", encoding="utf-8")
    code, _out, err = run(seeded, "backup", str(tmp_path / "backup"))
    assert code == 1
    assert "exists and is not an empty folder" in err
    assert (tmp_path / "backup" / "notes.txt").read_text(encoding="utf-8") == "keep me"
