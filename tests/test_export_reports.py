"""export_reports -> empty archive -> import_export gives back the same archive.

"The same" (issue 9): metadata after staff overrides, clean text, figures, the
sha256 of every original, review flags and duplicate links, and the same search
results for a set of queries. Ids may differ (sequences are not reset), so
reports are matched by the sha256 of their original.
"""

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command

from api.bulk import COMPARED
from archive.models import City, Report
from archive.storage import sha256_hex
from archive.upload.services import report_update
from search.indexing import backend, drain_queue

from .conftest import SEEDS_DIR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memoized_pipeline")]

QUERIES = ["人才公寓", "泸州", "瀘州", '"拎包入住"', "人才 -德州", "补贴", "房"]
RESTORED_KEYS = (*COMPARED, "needs_review", "overrides", "links", "hints", "original")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with empty request counters: the suite is one client address."""
    caches["throttle"].clear()


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def by_prefix() -> dict[str, Report]:
    return {r.original_name.rsplit("/", 1)[-1][:3]: r for r in Report.objects.all()}


@pytest.fixture
def curated():
    """The seeds as staff left them: one retitled and dated, one moved to another
    city, one held for review, one marked as a duplicate of another."""
    backend().clear()
    run("import_reports", *sorted(map(str, SEEDS_DIR.glob("*.txt"))))
    seeds = by_prefix()
    report_update(
        report=seeds["003"],
        changes={"title": "德州市人才引进建议答复（校订）", "published_on": date(2023, 5, 1)},
        user=None,
    )
    report_update(report=seeds["001"], changes={"city": City.objects.get(name="临汾市")}, user=None)
    report_update(report=seeds["002"], changes={"needs_review": True}, user=None)
    report_update(report=seeds["000"], changes={"duplicate_of": seeds["004"]}, user=None)
    drain_queue()


def records(path: Path) -> dict[str, dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {row["sha256"]: row for row in rows}


def search_by_sha(client) -> dict[str, list[str]]:
    sha = dict(Report.objects.values_list("pk", "original_sha256"))
    results = {}
    for q in QUERIES:
        data = json.loads(client.get("/api/search", {"q": q, "page_size": 100}).content)
        results[q] = [sha[hit["id"]] for hit in data["results"]]
    return results


def empty_the_archive(settings, tmp_path: Path) -> None:
    """What an empty data dir has: no reports, no index, no originals."""
    Report.objects.all().delete()
    backend().clear()
    settings.ORIGINALS_DIR = tmp_path / "fresh-originals"


def test_export_then_import_into_an_empty_archive_restores_every_report(
    client, curated, settings, tmp_path
):
    before_search = search_by_sha(client)
    run("export_reports", "--output", str(tmp_path / "a.jsonl"), "--originals", str(tmp_path / "o"))
    before = records(tmp_path / "a.jsonl")
    empty_the_archive(settings, tmp_path)

    out, err = run("import_export", str(tmp_path / "a.jsonl"), "--originals", str(tmp_path / "o"))
    drain_queue()

    assert "Done: 5 created, 0 restored, 0 unchanged, 0 failed, 0 differs." in err
    run("export_reports", "--output", str(tmp_path / "b.jsonl"))
    after = records(tmp_path / "b.jsonl")
    assert set(after) == set(before)
    for sha, record in before.items():
        for key in RESTORED_KEYS:
            expected = dict(record[key], path=None) if key == "original" else record[key]
            if key == "figures":
                strip = ("report_id", "url")
                expected = [{k: v for k, v in f.items() if k not in strip} for f in expected]
                got = [{k: v for k, v in f.items() if k not in strip} for f in after[sha][key]]
            else:
                got = after[sha][key]
            assert got == expected, (record["title"], key)
    assert search_by_sha(client) == before_search


def test_the_staff_edits_survive_the_round_trip(client, curated, settings, tmp_path):
    run("export_reports", "-o", str(tmp_path / "a.jsonl"), "--originals", str(tmp_path / "o"))
    empty_the_archive(settings, tmp_path)
    run("import_export", str(tmp_path / "a.jsonl"), "--originals", str(tmp_path / "o"))
    seeds = by_prefix()
    assert seeds["003"].title == "德州市人才引进建议答复（校订）"
    assert seeds["003"].published_on_display == "2023-05-01"
    assert (seeds["001"].city.name, seeds["001"].province.name) == ("临汾市", "山西省")
    assert seeds["002"].needs_review is True
    assert seeds["000"].duplicate_of == seeds["004"]


def test_import_reports_on_the_originals_folder_then_import_export_gives_the_same(
    client, curated, settings, tmp_path
):
    run("export_reports", "-o", str(tmp_path / "a.jsonl"), "--originals", str(tmp_path / "o"))
    before = records(tmp_path / "a.jsonl")
    empty_the_archive(settings, tmp_path)

    run("import_reports", str(tmp_path / "o"))
    out, err = run("import_export", str(tmp_path / "a.jsonl"))

    assert "0 created, 5 restored, 0 unchanged, 0 failed, 0 differs" in err
    run("export_reports", "-o", str(tmp_path / "b.jsonl"))
    after = records(tmp_path / "b.jsonl")
    for sha, record in before.items():
        assert after[sha]["original"]["name"] == record["original"]["name"]
        assert after[sha]["title"] == record["title"]
        assert after[sha]["overrides"] == record["overrides"]


def test_the_originals_folder_holds_each_original_byte_for_byte_in_creation_order(
    curated, tmp_path
):
    run("export_reports", "-o", str(tmp_path / "a.jsonl"), "--originals", str(tmp_path / "o"))
    rows = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    paths = [r["original"]["path"] for r in rows]
    assert paths == sorted(paths)
    for row in rows:
        data = (tmp_path / "o" / row["original"]["path"]).read_bytes()
        assert sha256_hex(data) == row["sha256"] == row["original"]["sha256"]
        assert row["original"]["path"].endswith(".txt")


def test_a_record_carries_the_api_fields_figures_and_portable_overrides(curated, tmp_path):
    out, err = run("export_reports")
    rows = {r["title"]: r for r in map(json.loads, out.splitlines())}
    assert len(rows) == 5 and "Done: 5 exported" in err
    dezhou = rows["德州市人才引进建议答复（校订）"]
    assert dezhou["overrides"]["title"] == "德州市人才引进建议答复（校订）"
    assert dezhou["overrides"]["published_on"] == "2023-05-01"
    linfen = next(r for r in rows.values() if r["city"] == "临汾市")
    assert linfen["overrides"]["city"] == linfen["city_adcode"] == "141000"
    assert linfen["overrides"]["province"] == linfen["province_adcode"] == "140000"
    luzhou = next(r for r in rows.values() if r["city"] == "泸州市")
    assert any(f["value"] == 250000 and f["unit"] == "yuan" for f in luzhou["figures"])
    assert luzhou["original"]["path"] is None  # no --originals


def test_a_missing_original_or_a_broken_line_fails_the_restore_with_a_reason(
    curated, settings, tmp_path
):
    run("export_reports", "-o", str(tmp_path / "a.jsonl"), "--originals", str(tmp_path / "o"))
    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "b.jsonl").write_text("\n".join([lines[0], "{oops", lines[1]]), encoding="utf-8")
    first = json.loads(lines[0])
    (tmp_path / "o" / first["original"]["path"]).unlink()
    empty_the_archive(settings, tmp_path)

    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "import_export",
            str(tmp_path / "b.jsonl"),
            "--originals",
            str(tmp_path / "o"),
            stdout=out,
            stderr=io.StringIO(),
        )

    assert exit_info.value.code == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("failed     line 1: cannot read ")
    assert lines[1].startswith("failed     line 2: not JSON")
    assert lines[2].startswith("created ")
    assert Report.objects.count() == 1
    assert not Report.objects.filter(original_sha256=first["sha256"]).exists()
