"""What staff see (issue 19): the report list readable in the admin's language, and
a review form that keeps what they typed when it shows an error."""

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from archive.models import Report
from tests.upload_client import csrf_token, upload

from . import test_browse_pages

# the five seeds imported once per module (fixtures of test_browse_pages)
seeded = test_browse_pages.seeded
seeds = test_browse_pages.seeds

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/archive/report/"


def editor(language: str = "zh-hans") -> Client:
    user = User.objects.create_user(f"editor-{language}", password="unused", is_staff=True)
    codes = ("add_report", "change_report", "view_report")
    user.user_permissions.add(*Permission.objects.filter(codename__in=codes))
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def headers(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", h).strip()
        for h in re.findall(
            r'<th scope="col" class="[^"]*column-(?:\w+)[^"]*">(.*?)</th>', html, re.S
        )
    ]


def test_the_report_list_speaks_the_admins_language_and_links_each_title(seeds):
    chinese = editor().get(LIST_URL).content.decode()
    assert headers(chinese)[:7] == ["标题", "城市", "省份", "日期", "类型", "来源", "审核"]
    report = seeds["004"]
    assert re.search(
        rf'<th class="field-title_column"><a href="/admin/archive/report/{report.pk}/change/[^"]*">'
        rf"{re.escape(report.title)}<small",
        chinese,
    )
    assert '<td class="field-date_column">2024年6月18日</td>' in chinese
    for title in ("省份", "城市", "类型", "待审核"):
        assert f'<details data-filter-title="{title}"' in chinese, title
    english = editor("en").get(LIST_URL).content.decode()
    assert headers(english)[:7] == ["Title", "City", "Province", "Date", "Type", "Source", "Review"]
    for title in ("Province", "City", "Type", "Awaiting review", "Duplicate"):
        assert f'<details data-filter-title="{title}"' in english, title
    assert '<td class="field-city_column">Luzhou</td>' in english
    assert 'href="/static/css/admin-reports.css"' in english


def test_the_report_list_filters_by_province_type_and_review_state(seeds):
    client = editor()
    sichuan = seeds["004"].province_id
    html = client.get(LIST_URL, {"province__id__exact": sichuan}).content.decode()
    assert seeds["004"].title in html and seeds["000"].title not in html
    html = client.get(LIST_URL, {"doc_type__exact": "news"}).content.decode()
    assert seeds["002"].title in html and seeds["004"].title not in html
    assert client.get(LIST_URL, {"needs_review__exact": "1"}).status_code == 200


def test_a_review_with_a_bad_date_keeps_the_city_and_date_staff_typed():
    client = editor()
    text = "人才政策简报\n本市新建人才公寓500套，发放安家补贴1200万元。"
    _rows, html = upload(client, {"brief.txt": text.encode()})
    report = Report.objects.get(title__startswith="人才政策简报")
    assert report.needs_review and report.city is None and report.published_on is None
    review_url = f"/admin/archive/report/{report.pk}/review/"
    back = re.search(r'name="next" value="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "?batch=" in back
    response = client.post(
        review_url,
        {
            "city": "泸州市 · 四川省 · 510500",
            "published": "someday",
            "next": back,
            "csrfmiddlewaretoken": csrf_token(client),
        },
    )
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).needs_review
    html = client.get(response["Location"]).content.decode()
    assert 'value="泸州市 · 四川省 · 510500"' in html
    assert 'value="someday"' in html
    assert "无法识别的日期" in html
    again = client.get(response["Location"]).content.decode()  # shown once, then fresh
    assert 'value="someday"' not in again
