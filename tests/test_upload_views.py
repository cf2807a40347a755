"""The staff upload page end to end: every format, through the real admin views with
the test client and CSRF checks on (issue 6, "What it must show")."""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from archive.ingest.pipeline import process_document
from archive.models import AuditEntry, Report
from search.models import IndexQueue
from tests.conftest import SEED_EXPECTED, seed_path
from tests.upload_builders import (
    cjk_font,
    docx_file,
    html_page,
    pdf_file,
    seed_text,
    warc_file,
    zip_file,
)
from tests.upload_client import UPLOAD_URL, csrf_token, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memoized_pipeline")]


def staff_client(*perms: str, username: str = "editor") -> Client:
    user = User.objects.create_user(username, password="pw-unused", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=perms))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.fixture
def editor() -> Client:
    return staff_client("add_report", "change_report", "view_report")


def expect_seed(report: Report, prefix: str) -> None:
    for field, value in SEED_EXPECTED[prefix].items():
        if field == "city":
            assert report.city.name == value
        elif field == "province":
            assert report.province.name == value
        elif field == "published_on":
            assert report.published_on_display == value
        else:
            assert getattr(report, field) == value, (prefix, field)


def test_anonymous_users_are_sent_to_the_login_page():
    response = Client().get(UPLOAD_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")
    assert Client().post(UPLOAD_URL, {}).status_code == 302


def test_staff_without_the_add_permission_get_403_and_non_staff_the_login_page():
    assert staff_client("view_report").get(UPLOAD_URL).status_code == 403
    user = User.objects.create_user("reader", password="pw")
    client = Client()
    client.force_login(user)
    assert client.get(UPLOAD_URL).status_code == 302


def test_a_forged_post_without_csrf_token_is_refused_and_stores_nothing(editor):
    data = {"files": [_file("001.txt", seed_path("001").read_bytes())]}
    assert editor.post(UPLOAD_URL, data).status_code == 403
    assert Report.objects.count() == 0


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_the_admin_index_and_report_list_link_to_the_upload_page(editor):
    assert UPLOAD_URL in editor.get("/admin/").content.decode()
    assert UPLOAD_URL in editor.get("/admin/archive/report/").content.decode()
    assert editor.get("/admin/archive/report/add/")["Location"] == UPLOAD_URL


def test_every_format_creates_a_report_with_the_metadata_of_the_txt_import(editor):
    files = {
        "001.docx": docx_file(seed_text("001")),
        "002.html": html_page(seed_text("002")),
        "bundle.zip": zip_file({"letters/004.txt": seed_path("004").read_bytes()}),
        "capture.warc.gz": warc_file(
            [{"uri": "https://lz.example.gov.cn/rc/000.html", "body": html_page(seed_text("000"))}]
        ),
    }
    if cjk_font() is not None:
        files["003.pdf"] = pdf_file(seed_text("003"))
    rows, _ = upload(editor, files)
    by_file = {row.file.split(" ")[0]: row for row in rows}
    assert by_file["001.docx"].status == "created"
    assert by_file["002.html"].status == "created"
    assert by_file["bundle.zip/letters/004.txt"].status == "created"
    assert by_file["capture.warc.gz#0001.html"].status == "created"
    expect_seed(Report.objects.get(original_name="001.docx"), "001")
    expect_seed(Report.objects.get(original_name="002.html"), "002")
    expect_seed(Report.objects.get(original_name="bundle.zip/letters/004.txt"), "004")
    warc = Report.objects.get(original_name="capture.warc.gz#0001.html")
    expect_seed(warc, "000")
    assert warc.source_url == "https://lz.example.gov.cn/rc/000.html"
    assert warc.evidence["captured_at"] == "2024-06-20T08:00:00Z"
    if "003.pdf" in files:
        # Seed 003 is a reply letter without a date: held back for review.
        assert by_file["003.pdf"].status == "needs_review"
        pdf = Report.objects.get(original_name="003.pdf")
        expect_seed(pdf, "003")
        assert pdf.needs_review and pdf.published_on is None
    assert set(Report.objects.values_list("uploaded_by__username", flat=True)) == {"editor"}
    assert AuditEntry.objects.filter(action="created").count() == len(files)
    assert IndexQueue.objects.count() == 0  # drained once, after the batch


def test_a_seed_saved_as_html_with_chrome_comes_out_as_clean_as_the_txt(editor):
    text = seed_text("002")
    from_txt = process_document(text.encode(), filename="002.txt")
    from_html = process_document(html_page(text), filename="002.html")
    assert from_html.clean_text == from_txt.clean_text
    rows, html = upload(editor, {"002.txt": text.encode(), "002-web.html": html_page(text)})
    original = Report.objects.get()
    assert [r.status for r in rows] == ["created", "duplicate"]
    assert f"#{original.pk}" in rows[1].cells[2]
    assert f"/admin/archive/report/{original.pk}/change/" in html


def test_the_same_file_twice_is_stored_once_and_linked_to_the_original(editor):
    upload(editor, {"001.txt": seed_path("001").read_bytes()})
    rows, _ = upload(editor, {"again.txt": seed_path("001").read_bytes()})
    assert rows[0].status == "duplicate"
    assert "原文 / original: #" in rows[0].cells[2]
    assert Report.objects.count() == 1


def test_the_same_article_on_another_site_is_flagged_as_a_possible_duplicate(editor):
    upload(editor, {"002.txt": seed_path("002").read_bytes()})
    first = Report.objects.get()
    lines = seed_text("002").split("\n")
    other = "\n".join(["草原云 > 新闻 > 正文", *lines[: int(len(lines) * 0.85)], "责任编辑：王五"])
    rows, html = upload(editor, {"caoyuan.html": html_page(other)})
    assert rows[0].status == "created"
    second = Report.objects.get(original_name="caoyuan.html")
    assert second.near_duplicate_of == first
    assert 0.7 <= second.near_duplicate_score < 1
    assert f"可能重复于 / possible duplicate of #{first.pk}" in rows[0].cells[3]
    page = editor.get(f"/admin/archive/report/{second.pk}/change/").content.decode()
    assert f"可能重复于 #{first.pk}" in page


def test_script_tags_and_markup_from_uploads_are_escaped_everywhere(editor):
    body = "兰州市人才工作简报\n2024年6月18日\n兰州市新建人才公寓500套。"
    page = html_page(body).replace(
        b"<article>",
        "<article><script>alert('x')</script><style>p{}</style>"
        "<p>&lt;b onmouseover=alert(1)&gt;加粗&lt;/b&gt;</p>".encode(),
    )
    name = "<img src=x onerror=alert(1)>.html"
    rows, html = upload(editor, {name: page})
    report = Report.objects.get()
    assert "alert" not in report.clean_text.replace("onmouseover=alert(1)", "")
    assert "p{}" not in report.clean_text  # scripts and styles are dropped
    assert "<b onmouseover=alert(1)>" in report.clean_text  # text that looks like markup
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;.html" in html
    change = editor.get(f"/admin/archive/report/{report.pk}/change/").content.decode()
    public = Client().get(f"/reports/{report.pk}/").content.decode()
    for shown in (html, change, public):
        assert "<b onmouseover" not in shown
        assert "alert('x')" not in shown
    assert "&lt;b onmouseover=alert(1)&gt;" in change


def test_a_report_without_city_or_date_waits_for_review_then_is_published(editor):
    rows, html = upload(editor, {"003.txt": seed_path("003").read_bytes()})
    report = Report.objects.get()
    assert rows[0].status == "needs_review" and report.needs_review
    assert 'name="published"' in html and 'name="city"' not in html  # 德州市 was found
    token = csrf_token(editor)
    review_url = f"/admin/archive/report/{report.pk}/review/"
    bad = editor.post(review_url, {"published": "someday", "csrfmiddlewaretoken": token})
    assert bad.status_code == 302
    report.refresh_from_db()
    assert report.needs_review  # an unreadable date publishes nothing
    editor.post(review_url, {"published": "2021-03-05", "csrfmiddlewaretoken": token})
    report.refresh_from_db()
    assert not report.needs_review
    assert report.published_on_display == "2021-03-05"
    assert report.overrides["published_on"] == "2021-03-05"
    entry = AuditEntry.objects.get(action="reviewed")
    assert entry.user.username == "editor"
    assert entry.changes["published_on"] == [None, "2021-03-05"]
    assert entry.changes["needs_review"] == [True, False]


def test_the_cli_keeps_reports_without_a_date_public():
    from django.core.management import call_command

    call_command("import_reports", str(seed_path("003")), stdout=None, stderr=None)
    assert Report.objects.get().needs_review is False


def test_staff_pick_the_city_detection_missed_from_the_gazetteer(editor):
    text = "人才政策简报\n2024年6月18日\n本市新建人才公寓500套，发放安家补贴1200万元。"
    rows, html = upload(editor, {"brief.txt": text.encode()})
    report = Report.objects.get()
    assert rows[0].status == "needs_review" and report.city is None
    assert 'list="gazetteer-cities"' in html
    assert '<option value="泸州市 · 四川省 · 510500">' in html
    token = csrf_token(editor)
    review_url = f"/admin/archive/report/{report.pk}/review/"
    editor.post(review_url, {"city": "", "csrfmiddlewaretoken": token})
    assert Report.objects.get().needs_review  # a missing city must be picked
    editor.post(review_url, {"city": "泸州市 · 四川省 · 510500", "csrfmiddlewaretoken": token})
    report.refresh_from_db()
    assert (report.city.name, report.province.name, report.needs_review) == (
        "泸州市",
        "四川省",
        False,
    )
