"""Per-city sums during and after a bulk import (archive/city_resum.py, issue 18 stop 18).

``import_reports`` marks the cities it touches pending and sums them once at its end.
The archive is tests/visibility_archive.py's (several reports per city, a county of
泸州市, a report held for review, a confirmed duplicate); the import adds two 泸州市
reports, one of its county 纳溪区 (filed with ``--city``), a 兰州市 report and a
byte copy of a stored seed.
What must hold:

- after the import the stored sums equal a rebuild and nothing is left pending;
- while it runs, every committed report is in the keywords, pages and compare
  suggestions, though the stored sums do not hold it yet;
- an import that fails midway sums what it committed; one killed midway leaves its
  cities pending, read right, reported by ``check_archive`` and repaired by it.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client

from archive import city_sums
from archive.management.commands import import_reports
from archive.models import CitySumsPending, CityTermCount, Report, ReportTerms
from archive.selectors import city_keywords, city_term_counts
from archive.services import report_ingest
from compare.selectors import city_compare, city_compare_suggestions

from .conftest import seed_path
from .test_city_sums import FIREFLY, assert_rebuild_agrees, city, page, slow_keywords
from .visibility_archive import (  # noqa: F401  (the fixtures)
    archive_fixture,
    built_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memoized_pipeline")]

LUZHOU_TALENT = (
    "泸州市酒城英才计划通报\n泸州市人才工作领导小组办公室\n2025年4月8日\n"
    "泸州市酒城英才计划对新引进博士给予最高30万元安家补贴，建设人才公寓500套。\n"
)
LUZHOU_STATION = (
    "泸州市人才驿站建设简报\n泸州市委人才办\n2025年5月1日\n"
    "泸州市设立人才驿站，对新引进硕士给予最高3万元生活补贴。\n"
)
#: filed under the county by the operator (``--city 纳溪区``), as tests/visibility_archive.py
#: files 江阳区's: the detector names the prefecture.
NAXI = (
    "纳溪区人才工作简报\n纳溪区委人才办\n2025年5月2日\n"
    "纳溪区建设青年人才公寓200套，对新引进博士给予最高8万元安家补贴。\n"
)
LANZHOU_CARD = (
    "兰州市人才服务月报\n兰州市人力资源和社会保障局\n2025年6月1日\n"
    "兰州市发放人才绿卡2000张，对新引进博士给予最高15万元安家补贴。\n"
)
CHENGDU_TALENT = (
    "成都市蓉漂人才计划通报\n成都市委人才办\n2025年7月1日\n"
    "成都市蓉漂人才计划对新引进博士给予最高12万元安家补贴。蓉漂人才驿站开放。\n"
)
#: in import order; the byte copy of seed 000 is a duplicate of the stored 兰州市 report.
FILES = {
    "a-firefly.txt": FIREFLY,
    "b-luzhou.txt": LUZHOU_TALENT,
    "c-station.txt": LUZHOU_STATION,
    "d-lanzhou.txt": LANZHOU_CARD,
}
CITIES = ["泸州市", "纳溪区", "江阳区", "兰州市", "成都市", "德州市"]


def corpus(folder: Path) -> Path:
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "e-copy.txt").write_bytes(seed_path("000").read_bytes())
    return folder


def county_file(folder: Path) -> Path:
    folder.mkdir()
    (folder / "naxi.txt").write_text(NAXI, encoding="utf-8")
    return folder


def run_import(folder: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_reports", *args, str(folder), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def readings() -> dict:
    """What readers see of the sums: counts, keywords, suggestions, a city page,
    computed now (nothing cached: what the sums' readers return at this moment)."""
    caches["default"].clear()
    client = Client()
    return {
        "counts": {name: dict(city_term_counts(city(name))) for name in CITIES},
        "keywords": {name: city_keywords(city=city(name)) for name in CITIES},
        "slow": {name: slow_keywords(city(name), 12) for name in CITIES},
        "dimensions": city_sums.dimensions_by_prefecture(),
        "suggestions": {n: city_compare_suggestions(city(n)) for n in ("兰州市", "成都市")},
        "page": page(client, f"/cities/{city('泸州市').slug}/"),
        "cells": {name: newest_cells(name, 1) for name in CITIES},
        "full cells": {name: newest_cells(name, None) for name in CITIES},
    }


def newest_cells(name: str, per_cell: int | None) -> dict:
    """The compare page's cells of one city (figure ids and totals per dimension),
    cut at one figure; ``per_cell=None`` reads every figure and cuts here."""
    rows = city_compare([city(name)], per_cell=per_cell).rows
    return {
        row.key: ([f.pk for f in cell[:1]], row.totals[pk])
        for row in rows
        for pk, cell in row.cells.items()
    }


def test_a_bulk_import_leaves_the_sums_a_rebuild_computes(archive, tmp_path):
    out = run_import(corpus(tmp_path / "in"))
    assert out.count("created") == 4 and out.count("duplicate") == 1
    assert not CitySumsPending.objects.exists()
    assert_rebuild_agrees()
    run_import(county_file(tmp_path / "county"), "--city", "纳溪区")
    assert not CitySumsPending.objects.exists()
    assert_rebuild_agrees()
    luzhou = city_term_counts(city("泸州市"))  # a county's report speaks for 泸州市 too
    assert luzhou["萤火虫"] >= 3 and luzhou["纳溪区"] >= 1
    for name in CITIES:
        assert city_keywords(city=city(name)) == slow_keywords(city(name), 12)


def test_readers_during_the_import_see_every_committed_report(archive, tmp_path, monkeypatch):
    client = Client()
    url = f"/cities/{city('泸州市').slug}/"
    assert "萤火虫" not in client.get(url).content.decode()  # cached before the import
    seen: list[dict] = []
    emit = import_reports.Command._emit

    def emit_and_read(self, outcome, **kwargs):
        emit(self, outcome, **kwargs)  # the report's transaction has committed
        stored = CityTermCount.objects.filter(city=city("泸州市"), term="萤火虫")
        seen.append(
            {
                "cached page": page(client, url),
                "pending": set(CitySumsPending.objects.values_list("city__name", flat=True)),
                "stored": stored.exists(),
                # before readings() clears the caches: pending cities' sums kept
                # per city version since the last report (cache_versions.cached_per_city)
                "kept dimensions": city_sums.dimensions_by_prefecture(),
                **readings(),
            }
        )

    monkeypatch.setattr(import_reports.Command, "_emit", emit_and_read)
    run_import(corpus(tmp_path / "in"))
    first, last = seen[0], seen[-1]
    assert "萤火虫" in first["cached page"]  # right after the first report committed
    assert first["keywords"]["泸州市"] == first["slow"]["泸州市"]
    assert last["pending"] == {"泸州市", "兰州市"}  # the stored sums lag ...
    assert not any(reading["stored"] for reading in seen)
    assert "萤火虫" in last["page"] and last["counts"]["泸州市"]["萤火虫"] >= 3
    assert "living_subsidy" in last["dimensions"][city("泸州市").pk]  # c-station.txt's
    for reading in seen:
        assert reading["kept dimensions"] == reading["dimensions"]
    for name in CITIES:
        assert last["keywords"][name] == last["slow"][name]
        assert last["cells"][name] == last["full cells"][name]  # the walk's stop too
    assert any(ids for ids, _n in last["cells"]["泸州市"].values())
    after = readings()  # ... but readers saw the sums the import ends with
    assert {key: last[key] for key in after} == after
    assert city_sums.dimensions_by_prefecture() == after["dimensions"]
    assert not CitySumsPending.objects.exists()


def _failing_at(name: str, error: BaseException, monkeypatch, *, after: bool = False) -> None:
    """The import raises ``error`` on file ``name``, before or after storing it."""
    ingest = import_reports._ingest

    def ingest_or_fail(item, ahead, *, city):
        if item.name.endswith(name) and not after:
            raise error
        outcome = ingest(item, ahead, city=city)
        if item.name.endswith(name):
            raise error
        return outcome

    monkeypatch.setattr(import_reports, "_ingest", ingest_or_fail)


def test_an_import_that_fails_midway_sums_what_it_committed(archive, tmp_path, monkeypatch):
    _failing_at("c-station.txt", RuntimeError("disk full"), monkeypatch)
    with pytest.raises(RuntimeError):
        run_import(corpus(tmp_path / "in"))
    names = Report.objects.values_list("original_name", flat=True)
    assert {"a-firefly.txt", "b-luzhou.txt"} <= {Path(name).name for name in names}
    assert not Report.objects.filter(original_name__endswith="c-station.txt").exists()
    assert not CitySumsPending.objects.exists()
    assert_rebuild_agrees()
    assert city_term_counts(city("泸州市"))["萤火虫"] >= 3


def test_an_import_killed_midway_is_read_right_and_repaired(archive, tmp_path, monkeypatch):
    _failing_at("naxi.txt", KeyboardInterrupt(), monkeypatch, after=True)
    with pytest.raises(KeyboardInterrupt):
        run_import(county_file(tmp_path / "county"), "--city", "纳溪区")
    _failing_at("d-lanzhou.txt", KeyboardInterrupt(), monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        run_import(corpus(tmp_path / "in"))
    assert set(CitySumsPending.objects.values_list("city__name", flat=True)) == {
        "泸州市",
        "纳溪区",
    }
    assert city_sums.drift() > 0
    chengdu = CityTermCount.objects.filter(city=city("成都市"))
    before = set(chengdu.values_list("term", flat=True))
    upload = report_ingest(data=CHENGDU_TALENT.encode(), filename="upload.txt").report
    assert upload.city == city("成都市")  # a write after the import sums at once again
    new_terms = ReportTerms.objects.get(report=upload).counts.keys() - before
    assert new_terms and new_terms <= set(chengdu.values_list("term", flat=True))
    assert not CitySumsPending.objects.filter(city=upload.city).exists()
    read = readings()
    assert "萤火虫" in read["page"] and read["counts"]["纳溪区"]
    for name in CITIES:
        assert read["keywords"][name] == read["slow"][name]
    out = io.StringIO()
    # It also exits 1: this module's originals were stored outside this test's folder.
    with pytest.raises(SystemExit):
        call_command("check_archive", "--originals-only", "--repair", stdout=out)
    assert "repaired   term statistics" in out.getvalue()
    assert not CitySumsPending.objects.exists()
    assert_rebuild_agrees()
    assert readings() == read


def test_the_next_import_sums_what_a_killed_one_left_pending(archive, tmp_path, monkeypatch):
    _failing_at("b-luzhou.txt", KeyboardInterrupt(), monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        run_import(corpus(tmp_path / "in"))
    assert CitySumsPending.objects.filter(city=city("泸州市")).exists()
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "lanzhou.txt").write_text(LANZHOU_CARD, encoding="utf-8")
    run_import(tmp_path / "more")
    assert not CitySumsPending.objects.exists()
    assert_rebuild_agrees()
