"""Hostile uploads: each gets a clear reason and changes nothing (issue 6)."""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from archive.models import AuditEntry, Report
from search.indexing import backend, drain_queue
from search.models import IndexQueue
from tests.conftest import seed_path
from tests.upload_builders import encrypted_pdf, scanned_pdf, zip_bomb, zip_file
from tests.upload_client import upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memoized_pipeline")]
MB = 1024 * 1024


@pytest.fixture
def editor() -> Client:
    user = User.objects.create_user("editor", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_report"]))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def index_ids() -> set[int]:
    return set(backend().indexed_versions())


HOSTILE = {
    "empty.txt": (b"", "empty file"),
    "random.txt": (bytes(range(256)) * 64, "binary file"),
    "photo.html": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary file (PNG)"),
    "traversal.zip": (
        zip_file({"ok.txt": seed_path("001").read_bytes(), "../../etc/evil.txt": b"x"}),
        "unsafe member path '../../etc/evil.txt'",
    ),
    "nested.zip": (
        zip_file({"ok.txt": seed_path("001").read_bytes(), "in.zip": zip_file({"a.txt": b"a"})}),
        "nested archives are not accepted",
    ),
    "bomb.zip": (zip_bomb(inflated_mb=600), "uncompressed size over limit"),
    "locked.pdf": (encrypted_pdf(), "encrypted PDF"),
    "scan.pdf": (scanned_pdf(), "no text layer"),
    "notes.doc": (b"\xd0\xcf\x11\xe0" + bytes(600), "unsupported file type"),
    "fake.warc.gz": (b"\x1f\x8b" + bytes(range(256)) * 4, "unreadable WARC"),
}


def test_hostile_files_each_fail_with_a_reason_and_change_nothing(editor):
    upload(editor, {"001.txt": seed_path("001").read_bytes()})
    drain_queue()
    before = (Report.objects.count(), AuditEntry.objects.count(), index_ids())
    files = {name: data for name, (data, _) in HOSTILE.items()}
    rows, html = upload(editor, files)
    assert [r.file for r in rows] == list(HOSTILE)
    for row in rows:
        assert row.status == "failed", row
        assert HOSTILE[row.file][1] in row.cells[3], (row.file, row.cells[3])
    drain_queue()
    assert (Report.objects.count(), AuditEntry.objects.count(), index_ids()) == before
    assert IndexQueue.objects.count() == 0


def test_a_60_mb_text_file_is_refused_while_it_streams_and_others_still_land(editor, settings):
    big = "人才".encode() * (10 * MB)  # 60 MB
    rows, _ = upload(editor, {"huge.txt": big, "002.txt": seed_path("002").read_bytes()})
    by_file = {r.file: r for r in rows}
    assert by_file["huge.txt"].status == "failed"
    assert "larger than the 50 MB limit" in by_file["huge.txt"].cells[3]
    assert by_file["002.txt"].status == "created"
    assert Report.objects.count() == 1


def test_the_limit_follows_max_upload_mb(editor, settings):
    settings.MAX_UPLOAD_MB = 1
    rows, html = upload(editor, {"big.txt": seed_path("000").read_bytes() * 40})
    assert rows[0].status == "failed"
    assert "1 MB" in rows[0].cells[3]
    assert "每个文件不超过 1 MB" in html


def test_a_file_that_breaks_an_extractor_fails_alone(editor, monkeypatch):
    from archive.upload import batch

    real = batch.report_ingest

    def flaky(**kwargs):
        if kwargs["filename"] == "boom.txt":
            raise RuntimeError("extractor bug")
        return real(**kwargs)

    monkeypatch.setattr(batch, "report_ingest", flaky)
    rows, _ = upload(
        editor,
        {"boom.txt": seed_path("003").read_bytes(), "001.txt": seed_path("001").read_bytes()},
    )
    assert [r.status for r in rows] == ["failed", "created"]
    assert "internal error; nothing stored" in rows[0].cells[3]
