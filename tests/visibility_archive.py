"""An archive with everything the visibility rule must hide, built through the real
write path: several reports per province and per city (one filed under a county),
different dates, an upload held for review and a confirmed duplicate.

    四川省  泸州市 2024-06-18 (seed 004), 江阳区 2023-03-01 (a county of 泸州市),
            成都市 2022-05-10 and 2021-01-15
            + 成都市 2024-12-01: a copy, confirmed as a duplicate of the first 成都市 report
    山西省  运城市 2023-02-06 (seed 001)
    内蒙古  呼和浩特市 2024-09-28 (seed 002)
    甘肃省  兰州市 2022-12-09 (seed 000)
    山东省  德州市, no date (seed 003) uploaded on the web: held for review

Seven public reports. The copy is the newest of all, so a leak would top every
list; the import order differs from the date order, so the feed (newest added
first) and the home list (newest published first) disagree when both are right.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction

from archive.models import Report
from archive.services import report_ingest
from archive.upload.services import report_mark_duplicate
from search.indexing import backend, drain_queue

from .conftest import seed_path

CHENGDU_HOUSING = (
    "成都市人才安居工程实施情况通报\n成都市人才工作领导小组办公室\n2022年5月10日\n"
    "成都市今年建设人才公寓3000套，对新引进博士给予最高10万元安家补贴。\n"
)
CHENGDU_YOUTH = (
    "成都市青年人才驿站运行报告\n成都市人力资源和社会保障局\n2021年1月15日\n"
    "全市青年人才驿站累计接待高校毕业生12000人次，提供免费住宿7天。\n"
)
JIANGYANG = (
    "江阳区人才工作简报\n泸州市江阳区委人才办\n2023年3月1日\n"
    "江阳区发布人才新政，对新引进博士给予最高20万元安家补贴。\n"
)
#: the housing report again under another headline and date: staff confirm it.
CHENGDU_COPY = (
    "成都人才安居工程转载稿\n成都市人才工作领导小组办公室\n2024年12月1日\n"
    "成都市今年建设人才公寓3000套，对新引进博士给予最高10万元安家补贴。\n"
)


@dataclass
class Archive:
    public: dict[str, Report]  # by short name: "luzhou", "jiangyang", "chengdu", ...
    held: Report
    duplicate: Report

    @property
    def hidden(self) -> list[Report]:
        return [self.held, self.duplicate]


def quiet(*args: str) -> None:
    call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())


def _write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _by_file(name: str) -> Report:
    return Report.objects.get(original_name__endswith=name)


def build(folder: Path) -> Archive:
    """Import, upload, confirm the duplicate and index, as staff and operators do."""
    housing = _write(folder, "cd-housing.txt", CHENGDU_HOUSING)
    quiet("import_reports", str(seed_path("001")), housing)
    quiet("import_reports", "--city", "江阳区", _write(folder, "jiangyang.txt", JIANGYANG))
    quiet("import_reports", str(seed_path("004")), str(seed_path("000")))
    held = report_ingest(
        data=seed_path("003").read_bytes(), filename="003.txt", review_missing=True
    ).report
    quiet("import_reports", _write(folder, "cd-youth.txt", CHENGDU_YOUTH), str(seed_path("002")))
    quiet("import_reports", _write(folder, "cd-copy.txt", CHENGDU_COPY))
    original = _by_file("cd-housing.txt")
    duplicate = report_mark_duplicate(report=_by_file("cd-copy.txt"), of=original, user=None)
    drain_queue()
    public = {
        "yuncheng": _by_file(seed_path("001").name),
        "chengdu_housing": original,
        "jiangyang": _by_file("jiangyang.txt"),
        "luzhou": _by_file(seed_path("004").name),
        "lanzhou": _by_file(seed_path("000").name),
        "chengdu_youth": _by_file("cd-youth.txt"),
        "huhehaote": _by_file(seed_path("002").name),
    }
    return Archive(public=public, held=held, duplicate=duplicate)


@pytest.fixture(scope="module", name="built")
def built_fixture(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Archive]:
    """The archive once per module, in a transaction rolled back at its end (each
    test runs in a savepoint inside it); the index is emptied before and after."""
    with django_db_blocker.unblock(), transaction.atomic():
        backend().clear()
        yield build(tmp_path_factory.mktemp("visibility"))
        transaction.set_rollback(True)
    backend().clear()


@pytest.fixture(name="archive")
def archive_fixture(built: Archive, db) -> Archive:
    """The archive, with fresh rate-limit counters: one walk downloads every export."""
    caches["throttle"].clear()
    return built
