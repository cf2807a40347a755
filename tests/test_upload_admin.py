"""The report admin: filters, edits kept as audited overrides, actions (issue 6)."""

from html import escape

import pytest
from django.contrib.auth.models import User
from django.test import Client

from archive.models import AuditEntry, Report
from search.indexing import backend, drain_queue
from search.models import IndexQueue
from tests.conftest import seed_path
from tests.upload_builders import html_page, seed_text
from tests.upload_client import csrf_token, form_fields, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memoized_pipeline")]
CHANGELIST = "/admin/archive/report/"


@pytest.fixture
def admin_client_csrf() -> Client:
    user = User.objects.create_superuser("chief", "chief@example.cn", "pw")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.fixture
def seeded(admin_client_csrf) -> dict[str, Report]:
    upload(
        admin_client_csrf, {f"{p}.txt": seed_path(p).read_bytes() for p in ("001", "002", "004")}
    )
    return {r.original_name[:3]: r for r in Report.objects.all()}


def run_action(client: Client, action: str, reports: list[Report]):
    token = csrf_token(client, CHANGELIST)
    data = {"action": action, "_selected_action": [r.pk for r in reports]}
    return client.post(CHANGELIST, {**data, "csrfmiddlewaretoken": token}, follow=True)


def test_every_model_has_an_admin_page(admin_client_csrf, seeded):
    for model in ("province", "city", "report", "figure", "auditentry"):
        assert admin_client_csrf.get(f"/admin/archive/{model}/").status_code == 200, model
    report = seeded["004"]
    page = admin_client_csrf.get(f"/admin/archive/report/{report.pk}/change/").content.decode()
    assert f"<th>city</th><td>{escape(report.evidence['city'])}</td>" in page
    assert "minhash" not in page  # the sketch is data, not evidence for staff


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("province__id__exact={sichuan}", {"004"}),
        ("doc_type__exact=news", {"001", "002"}),
        ("year=2024", {"002", "004"}),
        ("script__exact=traditional", {"004"}),
        ("needs_review__exact=0", {"001", "002", "004"}),
        ("dup=none", {"001", "002", "004"}),
        ("q=呼和浩特", {"002"}),
    ],
)
def test_the_report_list_filters_and_searches(admin_client_csrf, seeded, query, expected):
    query = query.format(sichuan=seeded["004"].province_id)
    page = admin_client_csrf.get(f"{CHANGELIST}?{query}").content.decode()
    shown = {p for p, r in seeded.items() if f"/admin/archive/report/{r.pk}/change/" in page}
    assert shown == expected


def test_a_staff_edit_becomes_an_audited_override_that_survives_reprocess(
    admin_client_csrf, seeded
):
    report = seeded["001"]
    url = f"/admin/archive/report/{report.pk}/change/"
    fields = form_fields(admin_client_csrf.get(url).content.decode())
    fields.update(title="运城市人才工作综述（人工修订）", published_on="2023-02-07")
    response = admin_client_csrf.post(url, fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.overrides == {
        "title": "运城市人才工作综述（人工修订）",
        "published_on": "2023-02-07",
        "date_precision": "day",
    }
    entry = AuditEntry.objects.get(action="updated")
    assert entry.user.username == "chief"
    assert entry.changes["title"] == [
        "厚植人才沃土 赋能高质量发展",
        "运城市人才工作综述（人工修订）",
    ]
    assert entry.changes["published_on"] == ["2023-02-06", "2023-02-07"]
    run_action(admin_client_csrf, "reprocess", [report])
    report.refresh_from_db()
    assert report.title == "运城市人才工作综述（人工修订）"
    assert report.published_on_display == "2023-02-07"
    assert AuditEntry.objects.filter(action="reprocessed", report=report).count() == 1


def test_changing_the_city_brings_its_province(admin_client_csrf, seeded):
    report = seeded["002"]
    url = f"/admin/archive/report/{report.pk}/change/"
    fields = form_fields(admin_client_csrf.get(url).content.decode())
    fields["city"] = str(seeded["004"].city_id)  # 泸州市
    assert admin_client_csrf.post(url, fields).status_code == 302
    report.refresh_from_db()
    assert (report.city.name, report.province.name) == ("泸州市", "四川省")
    assert AuditEntry.objects.get(action="updated").changes["province"] == [
        "内蒙古自治区",
        "四川省",
    ]


def test_mark_and_unmark_duplicate_and_reindex(admin_client_csrf, seeded):
    lines = seed_text("002").split("\n")
    other = "\n".join(["另一网站 > 正文", *lines[: int(len(lines) * 0.85)]])
    upload(admin_client_csrf, {"copy.html": html_page(other)})
    copy = Report.objects.get(original_name="copy.html")
    assert copy.near_duplicate_of == seeded["002"]
    run_action(admin_client_csrf, "mark_duplicate", [copy])
    copy.refresh_from_db()
    assert copy.duplicate_of == seeded["002"]
    page = admin_client_csrf.get(f"{CHANGELIST}?dup=confirmed").content.decode()
    assert f"/admin/archive/report/{copy.pk}/change/" in page
    run_action(admin_client_csrf, "unmark_duplicate", [copy])
    copy.refresh_from_db()
    assert (copy.duplicate_of, copy.near_duplicate_of, copy.near_duplicate_score) == (
        None,
        None,
        None,
    )
    assert AuditEntry.objects.filter(report=copy, action="updated").count() == 2
    backend().clear()
    drain_queue()
    run_action(admin_client_csrf, "reindex", list(seeded.values()))
    assert {r.pk for r in seeded.values()} <= set(backend().indexed_versions())
    assert IndexQueue.objects.count() == 0


def test_the_publish_action_releases_reports_held_for_review(admin_client_csrf):
    upload(admin_client_csrf, {"003.txt": seed_path("003").read_bytes()})
    report = Report.objects.get()
    assert report.needs_review
    run_action(admin_client_csrf, "publish", [report])
    report.refresh_from_db()
    assert not report.needs_review
    assert AuditEntry.objects.get(action="reviewed").user.username == "chief"


def test_deleting_a_report_leaves_an_audit_entry_with_its_label(admin_client_csrf, seeded):
    report = seeded["004"]
    url = f"/admin/archive/report/{report.pk}/delete/"
    token = csrf_token(admin_client_csrf, url)
    admin_client_csrf.post(url, {"post": "yes", "csrfmiddlewaretoken": token})
    assert not Report.objects.filter(pk=report.pk).exists()
    entry = AuditEntry.objects.get(action="deleted")
    assert entry.report is None
    assert entry.report_label.startswith(f"#{report.pk} 瀘州市")
