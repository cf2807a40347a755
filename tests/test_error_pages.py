"""403, 404 and 500 are pages of the archive (issue 19): the header, a search box,
the way home and to the cities, in the reader's language; the 500 page is built
without the database, which may be what failed."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db


def assert_archive_page(html: str, *, lang: str, heading: str) -> None:
    assert f'<html lang="{lang}">' in html
    assert 'class="site-header"' in html
    assert re.search(rf"<h1>{heading}</h1>", html), heading
    assert 'role="search"' in html and 'name="q"' in html
    assert 'href="/"' in html and 'href="/cities/"' in html
    assert '<meta name="description" content="' in html


def test_an_unknown_address_is_a_404_page_of_the_archive_in_chinese_and_english(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert_archive_page(response.content.decode(), lang="zh-Hans", heading="找不到这个页面")
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/reports/999999/")
    assert english.status_code == 404
    assert_archive_page(english.content.decode(), lang="en", heading="Page not found")
    assert "Not Found" not in english.content.decode()


def test_staff_without_the_permission_get_the_403_page():
    user = User.objects.create_user("clerk", password="unused", is_staff=True)
    client = Client()
    client.force_login(user)
    response = client.get("/admin/archive/report/upload/")
    assert response.status_code == 403
    assert_archive_page(response.content.decode(), lang="zh-Hans", heading="没有权限访问这个页面")


@pytest.mark.urls("tests.error_urls")
def test_a_failing_view_gets_the_500_page_built_without_a_database_query(
    django_assert_num_queries,
):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    with django_assert_num_queries(0):
        response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert_archive_page(html, lang="en", heading="Something went wrong on the server")
    assert "language-switch" not in html  # no request, so no CSRF token for its form
    chinese = Client(raise_request_exception=False).get("/broken/")
    assert_archive_page(chinese.content.decode(), lang="zh-Hans", heading="服务器出错了")
