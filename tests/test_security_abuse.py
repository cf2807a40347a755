"""Rate limits on the costly endpoints, login lockout, and the caps on request size."""

from __future__ import annotations

import time

import django_ratelimit.core
import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from config.security.client import bucket
from config.security.ratelimit import parse_rate

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fresh_counters():
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


class Clock:
    """Stands in for the time module in django_ratelimit.core: still until moved, so
    a burst never straddles two of its fixed windows."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


@pytest.fixture
def tight(settings, monkeypatch) -> Clock:
    settings.RATE_LIMITS = {"search": "3/m", "export": "2/m"}
    clock = Clock()
    monkeypatch.setattr(django_ratelimit.core, "time", clock)
    return clock


@pytest.mark.parametrize(
    ("text", "rate"),
    [("60/m", (60, 60)), ("10/5m", (10, 300)), ("1000/h", (1000, 3600)), ("5/min", (5, 60))],
)
def test_rates_are_read_from_n_per_period(text, rate):
    assert parse_rate(text) == rate


def test_off_disables_a_limit_and_nonsense_is_refused():
    assert parse_rate("off") is None
    with pytest.raises(ImproperlyConfigured, match="rate limit must look like '60/m'"):
        parse_rate("sixty a minute")


def test_ipv6_clients_count_per_64_and_junk_addresses_share_one_bucket():
    assert bucket("2001:db8:1:2:aaaa::1") == bucket("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert bucket("::ffff:203.0.113.7") == "203.0.113.7"
    assert bucket("not an address") == "unknown"


def test_the_search_api_answers_429_json_past_the_limit(client, tight):
    for _ in range(3):
        assert client.get("/api/search", {"q": "人才"}).status_code in (200, 503)
    response = client.get("/api/search", {"q": "人才"})
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"].startswith(
        "too many requests: at most 3 requests per 60 s from one address; retry in "
    )
    assert 1 <= int(response["Retry-After"]) <= 60


def test_another_address_is_not_limited_and_a_forged_forwarded_for_does_not_help(client, tight):
    for _ in range(3):
        client.get("/api/search", {"q": "人才"}, REMOTE_ADDR="203.0.113.7")
    forged = client.get(
        "/api/search", {"q": "人才"}, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert forged.status_code == 429
    other = client.get("/api/search", {"q": "人才"}, REMOTE_ADDR="203.0.113.8")
    assert other.status_code != 429


def test_behind_one_proxy_the_forwarded_client_is_counted(client, tight, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(3):
        client.get("/api/search", {"q": "人才"}, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client.get("/api/search", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert client.get("/api/search", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code != 429


def test_both_csv_exports_share_the_export_limit_and_answer_429_text(client, tight):
    assert client.get("/search/export.csv", {"q": "人才"}).status_code != 429
    assert client.get("/compare/export.csv", {"cities": "兰州市"}).status_code != 429
    response = client.get("/compare/export.csv", {"cities": "兰州市"})
    assert response.status_code == 429
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("请求过于频繁，请 ")


def test_the_search_page_and_reading_pages_are_not_limited(client, tight):
    for _ in range(6):
        assert client.get("/").status_code == 200
        assert client.get("/search/", {"q": "人才"}).status_code != 429


def test_a_refused_client_is_served_again_after_retry_after(client, tight):
    for _ in range(3):
        client.get("/api/search", {"q": "人才"})
    refused = client.get("/api/search", {"q": "人才"})
    assert refused.status_code == 429
    tight.now += int(refused["Retry-After"]) - 1
    assert client.get("/api/search", {"q": "人才"}).status_code == 429
    tight.now += 1
    assert client.get("/api/search", {"q": "人才"}).status_code in (200, 503)


def test_page_size_and_query_length_are_capped(client):
    assert client.get("/api/search", {"q": "人才", "page_size": 101}).status_code == 400
    assert client.get("/api/search", {"q": "人才", "page_size": 100}).status_code in (200, 503)
    long_query = client.get("/api/search", {"q": "人才" * 5000})
    assert long_query.status_code in (200, 503)


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "editor", password=PASSWORD, is_staff=True, is_superuser=True
    )


def login(client, password, address="192.0.2.10", **headers):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def test_five_failed_logins_lock_the_account_for_that_address_even_with_the_password(client, staff):
    for _ in range(5):
        assert login(client, "wrong").status_code == 200  # the form, with its error
    locked = login(client, PASSWORD)
    assert locked.status_code == 429
    assert locked.content.decode().startswith("登录失败次数过多，请 15 分钟后再试。")
    assert "_auth_user_id" not in client.session
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR="192.0.2.10")
    assert authenticate(request, username="editor", password=PASSWORD) is None


def test_a_lockout_from_one_address_does_not_lock_the_staff_member_out_elsewhere(client, staff):
    for _ in range(5):
        login(client, "wrong", address="192.0.2.66")
    response = login(client, PASSWORD, address="192.0.2.10")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_one_address_trying_many_usernames_is_locked_after_twenty_failures(client, staff):
    def guess(n: int) -> int:
        return client.post(
            "/admin/login/", {"username": f"guess{n}", "password": "x"}, REMOTE_ADDR="192.0.2.99"
        ).status_code

    assert [guess(n) for n in range(19)] == [200] * 19
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR="192.0.2.99")
    assert authenticate(request, username="editor", password=PASSWORD) == staff  # not yet
    assert guess(19) == 200
    assert login(client, PASSWORD, address="192.0.2.99").status_code == 429


def test_behind_one_proxy_the_lockout_counts_the_forwarded_client(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        login(client, "wrong", address="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert login(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert login(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302


def test_the_lockout_ends_15_minutes_after_the_latest_attempt(client, staff, monkeypatch):
    for _ in range(5):
        login(client, "wrong")
    locked = login(client, PASSWORD)  # refused, and the lockout starts again from here
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    almost = time.time() + 15 * 60 - 5
    monkeypatch.setattr(time, "time", lambda: almost)  # the cache's clock
    assert login(client, PASSWORD).status_code == 429  # and the lockout starts again
    monkeypatch.setattr(time, "time", lambda: almost + 15 * 60 + 1)
    assert login(client, PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures(client, staff):
    for _ in range(4):
        login(client, "wrong")
    assert login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "wrong")
    assert login(client, PASSWORD).status_code == 302
