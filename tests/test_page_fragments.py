"""Pages drawn from kept fragments (archive/fragments.py) are the slow path's pages,
and a write is seen by the next request (issue 18 stop 19).

The archive comes from tests/visibility_archive.py: several reports per city and
province, one under a county, one held for review and a confirmed duplicate. The
whole-page cache is off throughout, so every request draws its page and only the
fragments, kept values and the similar-reports memo are reused; "slow" also turns
the fragments off and starts from empty caches.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template import Context, Template
from django.test import Client, RequestFactory, override_settings

from archive import cache_versions
from archive.cache_versions import ARCHIVE, INDEX
from archive.models import Report
from archive.services import report_ingest
from archive.upload.services import report_update
from search.indexing import drain_queue

from .visibility_archive import (  # noqa: F401  (the fixtures)
    CHENGDU_HOUSING,
    archive_fixture,
    built_fixture,
)

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')
LANGUAGES = {"zh": {}, "en": {"HTTP_ACCEPT_LANGUAGE": "en"}}
CITY_PAGES = [
    "/cities/chengdu/",
    "/cities/chengdu/?sort=oldest",
    "/cities/chengdu/?page=2",
    "/cities/luzhou/",
    "/cities/jiangyang/",
    "/cities/lanzhou/",
]
COMPARE_PAGES = [
    "/compare/?cities=泸州市,成都市",
    "/compare/?cities=成都市,泸州市",
    "/compare/?cities=运城市,兰州市,呼和浩特市",
    "/compare/?cities=成都市,兰州市&terms=博士",
    "/compare/",
]


def report_pages(archive) -> list[str]:
    reports = [*archive.public.values(), archive.held, archive.duplicate]
    return [f"/reports/{r.pk}/{q}" for r in reports for q in ("", "?script=traditional")]


def without_tokens(html: bytes) -> str:
    return TOKEN.sub(r"\1-\3", html.decode())


def fetch(client: Client, url: str, language: str) -> tuple[int, str]:
    response = client.get(url, **LANGUAGES[language])
    assert "X-Page-Cache" not in response, url
    return response.status_code, without_tokens(response.content)


def slow(client: Client, urls: list[str]) -> dict[tuple[str, str], tuple[int, str]]:
    """Each page in each language drawn with no cache and no fragment at all."""
    pages = {}
    for url in urls:
        for language in LANGUAGES:
            for cache in caches.all():
                cache.clear()
            with override_settings(PAGE_CACHE=False, PAGE_FRAGMENTS=False):
                pages[url, language] = fetch(client, url, language)
    return pages


def served(client: Client, urls: list[str]) -> dict[tuple[str, str], tuple[int, str]]:
    """Each page in each language drawn through the fragments kept so far: every
    variant (language, script, sort, page, order of cities) after the others."""
    with override_settings(PAGE_CACHE=False, PAGE_FRAGMENTS=True):
        return {(url, lang): fetch(client, url, lang) for url in urls for lang in LANGUAGES}


def test_pages_drawn_from_kept_fragments_are_the_slow_paths_pages(client, archive):
    urls = [*report_pages(archive), *CITY_PAGES, *COMPARE_PAGES]
    expected = slow(client, urls)
    for cache in caches.all():
        cache.clear()
    assert served(client, urls) == expected  # the fragments drawn and stored
    assert served(client, urls) == expected  # and read back


# --- a write is seen by the next request ----------------------------------------------


def _upload(text: str, name: str, admin_user) -> Report:
    return report_ingest(data=text.encode(), filename=name, uploaded_by=admin_user).report


def upload_in_another_city(archive, admin_user) -> list[str]:
    _upload(
        "兰州市人才工作年报\n兰州市委人才办\n2025年3月4日\n兰州市引进博士1200人。\n",
        "lanzhou-2025.txt",
        admin_user,
    )
    return ["/cities/lanzhou/", "/compare/?cities=运城市,兰州市,呼和浩特市"]


def upload_in_the_same_city(archive, admin_user) -> list[str]:
    _upload(
        "成都市人才计划年度报告\n成都市委人才办\n2025年3月4日\n成都市引进博士1200人。\n",
        "chengdu-2025.txt",
        admin_user,
    )
    return ["/cities/chengdu/", "/compare/?cities=泸州市,成都市", "/compare/?cities=成都市,泸州市"]


def upload_in_a_county(archive, admin_user) -> list[str]:
    """Filed under 江阳区, shown on 泸州市's pages too (its prefecture's scope)."""
    _upload(
        "江阳区人才工作年报\n泸州市江阳区委人才办\n2025年4月1日\n江阳区引进博士50人。\n",
        "jiangyang-2025.txt",
        admin_user,
    )
    return ["/cities/luzhou/", "/cities/jiangyang/", "/compare/?cities=泸州市,成都市"]


def hold_for_review(archive, admin_user) -> list[str]:
    report = Report.objects.get(pk=archive.public["chengdu_youth"].pk)
    report_update(report=report, changes={"needs_review": True}, user=admin_user)
    return ["/cities/chengdu/", "/compare/?cities=成都市,泸州市", f"/reports/{report.pk}/"]


def edit_a_title(archive, admin_user) -> list[str]:
    report = Report.objects.get(pk=archive.public["luzhou"].pk)
    report_update(report=report, changes={"title": "泸州市人才新政（修订稿）"}, user=admin_user)
    return [f"/reports/{report.pk}/", f"/reports/{report.pk}/?script=traditional"]


def drain_the_index(archive, admin_user) -> list[str]:
    """A near copy of 成都's housing report filed under 兰州, and 成都's other report
    held: the housing report's page shows the copy among the similar reports, and
    no longer the held one, once the index is drained, not before. The index holds
    as many documents after the drain as before (one in, one out)."""
    copy = CHENGDU_HOUSING.replace("成都", "兰州").replace("2022年5月10日", "2025年5月10日")
    _upload(copy, "lanzhou-housing.txt", admin_user)
    hold_for_review(archive, admin_user)
    return [f"/reports/{archive.public['chengdu_housing'].pk}/"]


WRITES = [
    upload_in_another_city,
    upload_in_the_same_city,
    upload_in_a_county,
    hold_for_review,
    edit_a_title,
    drain_the_index,
]
WATCHED = [*CITY_PAGES, *COMPARE_PAGES[:3]]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__)
def test_a_write_is_seen_by_the_next_request(client, archive, admin_user, write):
    urls = [*WATCHED, *report_pages(archive)]
    for cache in caches.all():
        cache.clear()
    served(client, urls)
    before = served(client, urls)  # every fragment kept
    changed = write(archive, admin_user)
    if write is drain_the_index:  # not indexed yet: the page is as it was
        pending = served(client, changed)
        assert pending == {key: before[key] for key in pending}
        drain_queue()
    after = served(client, urls)
    assert after == slow(client, urls)
    for url in changed:  # the write shows where it should (the test can fail)
        assert after[url, "zh"] != before[url, "zh"], url


def test_a_save_leaves_the_index_version_and_a_drain_moves_it(archive, admin_user):
    """What only the index decides (similar reports) is kept across the saves of an
    import, whose indexing waits for one drain at its end."""
    index, whole = cache_versions.tokens([INDEX]), cache_versions.tokens([ARCHIVE])
    drain_the_index(archive, admin_user)
    assert cache_versions.tokens([INDEX]) == index
    assert cache_versions.tokens([ARCHIVE]) != whole
    drain_queue()
    assert cache_versions.tokens([INDEX]) != index


# --- what differs per request never reaches another reader ------------------------------


def test_a_fragment_holding_a_csrf_token_is_drawn_for_each_request(db):
    """A fragment is never stored with one reader's token in it."""
    page = Template(
        '{% load fragments %}{% fragment "t" scopes %}{% csrf_token %}{% endfragment %}'
    )
    drawn = []
    for _ in range(2):
        request = RequestFactory().get("/")
        token = get_token(request)
        html = page.render(Context({"scopes": [ARCHIVE], "csrf_token": token}))
        assert token in html
        drawn.append(html)
    assert drawn[0] != drawn[1]


def test_a_fragment_is_kept_per_language_and_value(db):
    from django.utils import translation

    page = Template(
        "{% load fragments i18n %}"
        '{% fragment "t" scopes n %}{% translate "搜索" %}{{ n }}{% endfragment %}'
    )
    drawn = {}
    for language in ("zh-hans", "en", "zh-hans"):
        for n in (1, 2):
            with translation.override(language):
                drawn.setdefault((language, n), set()).add(
                    page.render(Context({"scopes": [ARCHIVE], "n": n}))
                )
    assert drawn == {
        ("zh-hans", 1): {"搜索1"},
        ("zh-hans", 2): {"搜索2"},
        ("en", 1): {"Search1"},
        ("en", 2): {"Search2"},
    }
