"""Whole-page and value caches (archive/page_cache.py, archive/cache_versions.py) give
the slow path's answers, and a write is seen by the next request.

The archive comes from tests/visibility_archive.py: several reports per city and
province, one under a county, one held for review and a confirmed duplicate. "Slow"
means every cache emptied and the page cache off, as before issue 18.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings

from archive import cache_versions
from archive.cache_versions import ARCHIVE
from archive.models import City, Report
from archive.services import report_ingest
from archive.upload.services import report_mark_duplicate, report_publish, report_update
from archive.views import home
from search.indexing import drain_queue, enqueue

from .conftest import rebuild_index
from .visibility_archive import (  # noqa: F401  (the fixtures)
    archive_fixture,
    built_fixture,
)

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')
PAGES = [
    "/",
    "/?page=1",
    "/cities/",
    "/provinces/sichuan/",
    "/cities/luzhou/",
    "/cities/chengdu/?sort=oldest",
    "/compare/?cities=泸州市,成都市&terms=博士",
    "/feeds/reports/",
    "/cities/chengdu/feed/",
]
LANGUAGES = {"zh": {}, "en": {"HTTP_ACCEPT_LANGUAGE": "en"}}


def without_tokens(html: bytes) -> str:
    return TOKEN.sub(r"\1-\3", html.decode())


def slow(client: Client, url: str, **headers) -> str:
    """The page as computed with no cache at all."""
    for cache in caches.all():
        cache.clear()
    with override_settings(PAGE_CACHE=False):
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    assert "X-Page-Cache" not in response
    return without_tokens(response.content)


def cached(client: Client, url: str, expect: str, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    assert response["X-Page-Cache"] == expect, url
    return without_tokens(response.content)


def pages_of(archive) -> list[str]:
    return [*PAGES, *(f"/reports/{r.pk}/" for r in archive.public.values())]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_cached_page_is_the_slow_paths_page(client, archive, language):
    headers = LANGUAGES[language]
    for url in pages_of(archive):
        expected = slow(client, url, **headers)
        assert cached(client, url, "miss", **headers) == expected, url
        assert cached(client, url, "hit", **headers) == expected, url


def test_languages_and_query_strings_are_cached_apart(client, archive):
    chinese = cached(client, "/cities/luzhou/", "miss")
    english = cached(client, "/cities/luzhou/", "miss", HTTP_ACCEPT_LANGUAGE="en")
    assert chinese != english and 'lang="en"' in english
    cached(client, "/cities/luzhou/?sort=oldest", "miss")
    cached(client, "/cities/luzhou/", "hit")


def test_a_cached_page_carries_each_readers_own_csrf_token(archive):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    assert first.get("/cities/luzhou/")["X-Page-Cache"] == "miss"
    answer = second.get("/cities/luzhou/")
    assert answer["X-Page-Cache"] == "hit"
    tokens = {TOKEN.search(c.get("/").content.decode())[2] for c in (first, second)}
    assert len(tokens) == 2
    own = TOKEN.search(answer.content.decode())[2]
    assert "csrftoken" in answer.cookies  # the hit gave this reader a cookie to match
    switched = second.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": own})
    assert switched.status_code == 302
    foreign = first.cookies["csrftoken"].value
    assert foreign not in answer.content.decode()


def test_logged_in_staff_are_never_served_or_stored_a_cached_page(client, archive, admin_user):
    client.force_login(admin_user)
    held = f"/reports/{archive.held.pk}/"
    for url in ["/", "/cities/luzhou/", held]:
        assert "X-Page-Cache" not in client.get(url)
        assert "X-Page-Cache" not in client.get(url)
    client.logout()
    assert client.get(held).status_code == 404
    assert cached(client, "/", "miss") == slow(Client(), "/")


def test_a_request_with_messages_waiting_is_answered_fresh_and_not_stored(archive):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages import info
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().get("/")
    request.user, request.session = AnonymousUser(), {}
    request._messages = FallbackStorage(request)
    info(request, "只给这一位读者的消息")
    assert "X-Page-Cache" not in home(request)
    assert cached(Client(), "/", "miss")


def test_a_page_rendered_without_the_index_is_not_stored(client, archive, monkeypatch):
    from search import engine

    def unavailable(report, **kwargs):
        raise engine.SearchUnavailable("rebuilding")

    url = f"/reports/{archive.public['luzhou'].pk}/"
    monkeypatch.setattr(engine, "similar_reports", unavailable)
    assert "no-store" in client.get(url)["Cache-Control"]
    monkeypatch.undo()
    assert cached(client, url, "miss") == slow(client, url)


# --- a write is seen by the next request ----------------------------------------------


def quiet(*args: str) -> None:
    call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())


def _upload(archive, tmp_path, admin_user):
    text = "成都市人才计划年度报告\n成都市委人才办\n2025年3月4日\n成都市引进博士1200人。\n"
    report_ingest(data=text.encode(), filename="chengdu-2025.txt", uploaded_by=admin_user)


def _import(archive, tmp_path, admin_user):
    path = tmp_path / "luzhou-new.txt"
    path.write_text(
        "泸州市人才新政解读\n泸州市委人才办\n2025年1月2日\n泸州市对新引进博士给予最高30万元安家补贴。\n",
        encoding="utf-8",
    )
    quiet("import_reports", str(path))


def _stale_luzhou_report(archive, tmp_path, admin_user):
    """Before warming: a report whose row an older pipeline wrote (its title), the
    kind of row ``reprocess`` exists to fix; written past the save path, so no
    version moved."""
    text = "泸州市人才工作年报\n泸州市委人才办\n2025年2月3日\n泸州市引进博士300人。\n"
    report = report_ingest(data=text.encode(), filename="luzhou-2025.txt").report
    Report.objects.filter(pk=report.pk).update(title="旧流水线的标题")
    archive.stale = report


def _reprocess(archive, tmp_path, admin_user):
    quiet("reprocess", str(archive.stale.pk))


def _publish(archive, tmp_path, admin_user):
    report_publish(report=archive.held, user=admin_user, city=City.objects.get(slug="luzhou"))


def _mark_duplicate(archive, tmp_path, admin_user):
    youth, housing = archive.public["chengdu_youth"], archive.public["chengdu_housing"]
    report_mark_duplicate(report=youth, of=housing, user=admin_user)


def _move_city(archive, tmp_path, admin_user):
    report = archive.public["jiangyang"]
    report_update(
        report=report, changes={"city": City.objects.get(slug="chengdu")}, user=admin_user
    )


WRITES = [_upload, _import, _reprocess, _publish, _mark_duplicate, _move_city]
WATCHED = ["/", "/cities/luzhou/", "/cities/chengdu/", "/compare/?cities=泸州市,成都市"]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__.strip("_"))
def test_a_write_is_seen_by_the_next_request(client, archive, admin_user, tmp_path, write):
    if write is _reprocess:
        _stale_luzhou_report(archive, tmp_path, admin_user)
    before = {url: cached(client, url, "miss") for url in WATCHED}
    for url in WATCHED:
        cached(client, url, "hit")
    write(archive, tmp_path, admin_user)
    after = {url: cached(client, url, "miss") for url in WATCHED}
    assert after != before  # every write here changes at least one watched page
    for url in WATCHED:
        assert after[url] == slow(client, url), url


def test_a_bump_waits_for_the_commit_and_comes_again_after_it(
    archive, admin_user, django_capture_on_commit_callbacks
):
    start = cache_versions.tokens([ARCHIVE])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _mark_duplicate(archive, None, admin_user)
        inside = cache_versions.tokens([ARCHIVE])
    assert callbacks and start != inside != cache_versions.tokens([ARCHIVE])


# --- search answers follow the index and the listed reports, not every write -----------

SEARCHES = ["/search/?q=博士", "/api/search?q=博士", "/api/search?q=人才&province=四川省"]


@pytest.fixture
def indexed(archive):
    """The archive with an index of exactly its reports: the module's tests share
    one index, which their rolled-back writes leave documents in."""
    rebuild_index()
    yield archive
    rebuild_index()


TOOK = re.compile(r'[0-9.]+ 毫秒|"took_ms": ?[0-9.]+')


def answer_text(content: bytes) -> str:
    """An answer without its tokens and its own timing (``took_ms``)."""
    return TOOK.sub("took", without_tokens(content))


def slow_search(client: Client, url: str) -> str:
    """The answer computed with neither the page cache nor remembered results
    (the values cache stays: it holds the archive's own stamp)."""
    with override_settings(PAGE_CACHE=False, SEARCH_RESULT_CACHE=0):
        response = client.get(url)
    assert response.status_code == 200, url
    return answer_text(response.content)


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__.strip("_"))
def test_a_search_answer_after_a_write_is_the_slow_paths(
    client, indexed, admin_user, tmp_path, write
):
    archive = indexed
    if write is _reprocess:
        _stale_luzhou_report(archive, tmp_path, admin_user)
    for url in SEARCHES:
        cached(client, url, "miss")
    write(archive, tmp_path, admin_user)
    drain_queue()  # as the write's commit does (tests never commit)
    for url in SEARCHES:
        assert answer_text(client.get(url).content) == slow_search(client, url), url


def test_a_report_added_and_not_yet_indexed_keeps_the_search_answers(
    client, indexed, admin_user, tmp_path
):
    """A bulk import indexes at its end: until then its reports are in no answer,
    and the answers remembered before stay (they equal the slow path's); the
    index's commit is a new answer holding them."""
    before = {url: cached(client, url, "miss") for url in SEARCHES}
    _upload(indexed, tmp_path, admin_user)  # queued for the index, not drained
    for url in SEARCHES:
        assert TOOK.sub("took", cached(client, url, "hit")) == slow_search(client, url), url
        assert cached(client, url, "hit") == before[url]
    drain_queue()
    after = cached(client, "/api/search?q=博士", "miss")
    assert after != before["/api/search?q=博士"]
    assert "成都市人才计划年度报告" in after


def test_a_hold_of_a_listed_report_is_a_new_search_answer(client, indexed, admin_user):
    url = "/api/search?q=人才&province=四川省"
    shown = indexed.public["luzhou"]
    assert shown.title in cached(client, url, "miss")
    report_update(report=shown, changes={"needs_review": True}, user=admin_user)
    # not drained: the index still holds it, the answer must not show it
    assert shown.title not in cached(client, url, "miss")


def test_any_write_to_the_index_is_a_new_search_answer(client, indexed):
    """A report indexed again (``check_index --repair`` after a write no signal
    saw) changes the answer though no version moved and the count stays."""
    url = "/api/search?q=鲲鹏计划&exact=1"
    assert '"count": 0,' in cached(client, url, "miss")
    report = indexed.public["luzhou"]
    Report.objects.filter(pk=report.pk).update(clean_text=report.clean_text + "\n实施鲲鹏计划。")
    enqueue([report.pk])
    drain_queue()
    assert report.title in cached(client, url, "miss")
