"""import_reports end to end on the seed reports (issue 2 acceptance)."""

import io
import json
import multiprocessing
import os
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.models import Report
from archive.storage import read_original

from .conftest import SEED_EXPECTED, SEEDS_DIR, seed_path

pytestmark = pytest.mark.django_db


def run_import(*args) -> tuple[list[dict], int]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_reports", "--json", *map(str, args), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    return rows, code


def test_it_imports_the_five_seeds_with_their_metadata():
    rows, code = run_import(*sorted(SEEDS_DIR.glob("*.txt")))
    assert code == 0
    assert [r["status"] for r in rows] == ["created"] * 5
    for row in rows:
        prefix = row["file"].rsplit("/", 1)[-1][:3]
        for field, value in SEED_EXPECTED[prefix].items():
            assert row[field] == value, (prefix, field, row)
    assert rows[4]["script"] == "traditional"
    assert {r["script"] for r in rows[:4]} == {"simplified"}
    assert Report.objects.count() == 5


def test_the_stored_original_is_byte_identical_to_the_file():
    rows, _ = run_import(seed_path("004"))
    report = Report.objects.get(pk=rows[0]["report_id"])
    assert read_original(report.original_sha256) == seed_path("004").read_bytes()


def test_reimporting_the_same_file_reports_a_duplicate_and_stores_nothing():
    first, _ = run_import(seed_path("001"))
    again, code = run_import(seed_path("001"))
    assert code == 0
    assert again[0]["status"] == "duplicate"
    assert again[0]["duplicate_of"] == first[0]["report_id"]
    assert again[0]["report_id"] is None
    assert Report.objects.count() == 1


def test_the_same_text_in_another_encoding_is_a_duplicate(tmp_path):
    run_import(seed_path("003"))
    gbk = tmp_path / "003-gbk.txt"
    gbk.write_bytes(seed_path("003").read_text(encoding="utf-8").encode("gb18030"))
    rows, _ = run_import(gbk)
    assert rows[0]["status"] == "duplicate"
    assert Report.objects.count() == 1


def test_empty_and_binary_files_fail_with_a_reason_and_exit_1(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    png = tmp_path / "image.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    rows, code = run_import(empty, png, seed_path("002"))
    assert code == 1
    assert [r["status"] for r in rows] == ["failed", "failed", "created"]
    assert all(r["error"] for r in rows[:2])
    assert Report.objects.count() == 1


def test_a_zip_gives_one_row_per_member(tmp_path):
    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("a/000.txt", seed_path("000").read_bytes())
        zf.writestr("../evil.txt", seed_path("003").read_bytes())
        zf.writestr("inner.zip", b"PK\x05\x06" + b"\0" * 18)
    rows, code = run_import(bundle)
    assert code == 1
    assert [r["file"] for r in rows] == [
        "bundle.zip/a/000.txt",
        "bundle.zip/../evil.txt",
        "bundle.zip/inner.zip",
    ]
    assert [r["status"] for r in rows] == ["created", "created", "failed"]
    assert rows[0]["city"] == "兰州市"
    assert "nested" in rows[2]["error"]


def test_city_option_forces_the_city(tmp_path):
    rows, _ = run_import("--city", "蘭州市", seed_path("001"))
    assert rows[0]["city"] == "兰州市"
    assert rows[0]["province"] == "甘肃省"


def test_reprocess_keeps_staff_overrides():
    rows, _ = run_import(seed_path("002"))
    report = Report.objects.get(pk=rows[0]["report_id"])
    report.overrides = {"title": "人工修订的标题"}
    report.clean_text = "stale"
    report.save()
    call_command("reprocess", str(report.pk), stdout=io.StringIO(), stderr=io.StringIO())
    report.refresh_from_db()
    assert report.title == "人工修订的标题"
    assert "筹集房源15472套" in report.clean_text


def test_a_file_imported_by_absolute_path_stores_only_its_name(tmp_path):
    folder = tmp_path / "captures" / "2024"
    folder.mkdir(parents=True)
    # A text with no headline at all: the title falls back to the file's own name.
    (folder / "rows.txt").write_text("，".join(["给予每人每年60万元购房补贴"] * 5) + "。", "utf-8")
    rows, code = run_import(folder / "rows.txt")
    assert code == 0
    assert rows[0]["file"] == "rows.txt"
    report = Report.objects.get(pk=rows[0]["report_id"])
    assert report.original_name == "rows.txt"
    assert str(tmp_path) not in report.title and "/" not in report.title


def test_a_folder_import_labels_files_relative_to_the_folder_given(tmp_path):
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "000.txt").write_bytes(seed_path("000").read_bytes())
    rows, _ = run_import(folder)
    assert rows[0]["file"] == "batch/sub/000.txt"


def test_reprocess_prints_what_a_new_rule_changed():
    rows, _ = run_import(seed_path("002"))
    report = Report.objects.get(pk=rows[0]["report_id"])
    Report.objects.filter(pk=report.pk).update(
        doc_type="other", clean_text=report.clean_text + "\n网站地图 | 联系我们 | 校长信箱"
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("reprocess", str(report.pk), stdout=out, stderr=err)
    line = out.getvalue().strip()
    assert "doc_type: other → news" in line
    assert "characters removed" in line
    assert "(1 changed)" in err.getvalue()


def test_an_import_runs_at_the_niceness_asked_and_its_workers_inherit_it(monkeypatch):
    """``--nice`` sets the process's CPU niceness before the workers fork (recorded
    here, not applied: the test runner keeps its own priority)."""
    asked: list[tuple[int, int, int]] = []
    monkeypatch.setattr("os.getpriority", lambda which, who: 0)
    monkeypatch.setattr("os.setpriority", lambda *args: asked.append(args))
    rows, status = run_import("--json", "--nice", "7", "--workers", "2", str(seed_path("001")))
    assert status == 0 and rows[0]["status"] == "created"
    assert asked == [(os.PRIO_PROCESS, 0, 7)]


def test_the_niceness_only_ever_lowers_the_priority():
    """Run in a child process: lowering is for good."""
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        before, after_7, after_3 = pool.apply(_niceness_after, ((7, 3),))
    assert after_7 == max(before, 7)
    assert after_3 == after_7  # a second, smaller value is not an increment and not a raise


def _niceness_after(values: tuple[int, ...]) -> list[int]:
    from archive.management.commands.import_reports import lower_priority

    seen = [os.getpriority(os.PRIO_PROCESS, 0)]
    for value in values:
        lower_priority(value)
        seen.append(os.getpriority(os.PRIO_PROCESS, 0))
    return seen


@pytest.mark.parametrize("value", ["-1", "20"])
def test_a_niceness_out_of_range_is_a_clear_error(value):
    with pytest.raises(CommandError, match="--nice must be 0"):
        call_command("import_reports", "--nice", value, str(seed_path("001")))
    assert not Report.objects.exists()
