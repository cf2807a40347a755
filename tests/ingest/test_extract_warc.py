"""Web archives and upload bundles (archive/ingest/extract_warc.py, inputs.py)."""

import io

import pytest

from archive.ingest.extract_warc import warc_pages
from archive.ingest.inputs import iter_upload_items
from archive.ingest.types import IngestError
from tests.upload_builders import html_page, seed_text, warc_file, zip_bomb, zip_file

MB = 1024 * 1024
PAGE = html_page(seed_text("002"))
IMAGE = {"uri": "https://news.example.cn/logo.png", "body": b"\x89PNG", "content_type": "image/png"}
MISSING = {
    "uri": "https://news.example.cn/gone.html",
    "body": b"<p>404</p>",
    "status": "404 Not Found",
}


def capture(uri: str, date: str = "2024-09-28T03:10:00Z") -> dict:
    return {"uri": uri, "body": PAGE, "date": date}


@pytest.mark.parametrize("gzip", [True, False])
def test_each_html_response_becomes_a_page_with_its_url_and_capture_time(gzip):
    data = warc_file(
        [IMAGE, capture("https://news.example.cn/a.html"), MISSING, capture("https://b.cn/x")],
        gzip=gzip,
    )
    pages = list(warc_pages(io.BytesIO(data), max_bytes=MB))
    assert [(p.ordinal, p.target_uri, p.captured_at) for p in pages] == [
        (1, "https://news.example.cn/a.html", "2024-09-28T03:10:00Z"),
        (2, "https://b.cn/x", "2024-09-28T03:10:00Z"),
    ]
    assert pages[0].payload == PAGE


def test_a_file_that_is_not_a_warc_is_refused_before_any_page():
    with pytest.raises(IngestError, match="unreadable WARC"):
        list(warc_pages(io.BytesIO(bytes(range(256)) * 8), max_bytes=MB))


def test_a_warc_without_html_pages_is_refused():
    with pytest.raises(IngestError, match="no successfully captured HTML page"):
        list(warc_pages(io.BytesIO(warc_file([IMAGE, MISSING])), max_bytes=MB))


def test_a_page_over_the_size_limit_is_reported_not_read():
    pages = list(warc_pages(io.BytesIO(warc_file([capture("https://a.cn/")])), max_bytes=1000))
    assert pages[0].payload is None
    assert "page larger than 1000 bytes" in pages[0].error


def test_an_uploaded_warc_gives_html_items_carrying_their_capture_hints():
    data = warc_file([capture("https://news.example.cn/a.html")])
    (item,) = iter_upload_items("cap.warc.gz", io.BytesIO(data), size=len(data), max_bytes=MB)
    assert item.name == "cap.warc.gz#0001.html"
    assert item.data == PAGE
    assert item.hints == {
        "source_url": "https://news.example.cn/a.html",
        "captured_at": "2024-09-28T03:10:00Z",
    }


def test_a_warc_inside_an_uploaded_zip_is_split_too():
    data = zip_file({"pages/cap.warc": warc_file([capture("https://a.cn/")], gzip=False)})
    items = list(iter_upload_items("b.zip", io.BytesIO(data), size=len(data), max_bytes=MB))
    assert [i.name for i in items] == ["b.zip/pages/cap.warc#0001.html"]


def test_an_upload_over_the_limit_is_refused_before_it_is_read():
    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("read before the size check")

    (item,) = iter_upload_items("big.txt", Unreadable(), size=60 * MB, max_bytes=50 * MB)
    assert item.data is None
    assert "file too large" in item.error


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        ({"ok.txt": b"x", "../evil.txt": b"y"}, "unsafe member path '../evil.txt'"),
        ({"a/../../evil.txt": b"y"}, "unsafe member path"),
        ({"/etc/passwd.txt": b"y"}, "unsafe member path"),
        ({"ok.txt": b"x", "inner.zip": zip_file({"a.txt": b"a"})}, "nested archives"),
    ],
)
def test_an_uploaded_zip_with_a_hostile_member_is_refused_whole(members, reason):
    data = zip_file(members)
    items = list(iter_upload_items("b.zip", io.BytesIO(data), size=len(data), max_bytes=MB))
    assert len(items) == 1
    assert items[0].name == "b.zip"
    assert reason in items[0].error


def test_a_zip_bomb_is_refused_from_its_declared_size():
    data = zip_bomb(inflated_mb=600)
    assert len(data) < 2 * MB
    (item,) = iter_upload_items("bomb.zip", io.BytesIO(data), size=len(data), max_bytes=50 * MB)
    assert "uncompressed size over limit" in item.error
