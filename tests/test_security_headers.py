"""Security headers on every page, and hostile report text rendered inert everywhere."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from archive.models import Report
from search.indexing import backend, drain_queue

from .conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db

#: The whole policy, directive by directive (django-csp does not keep their order).
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(header: str) -> dict[str, str]:
    """``"default-src 'self'; img-src 'self' data:"`` -> {directive: sources}, each once."""
    parts = [part.strip().split(" ", 1) for part in header.split(";")]
    names = [name for name, *_ in parts]
    assert len(names) == len(set(names)), f"a directive is repeated: {header}"
    return {name: rest[0] if rest else "" for name, *rest in parts}


# A Markdown upload whose front matter, title and body all try to run script.
HOSTILE = """---
title: <script>alert('title')</script>泸州市人才新政<img src=x onerror=alert(1)>
url: javascript:alert(document.cookie)
source: <b onmouseover=alert(2)>泸州日报</b>
date: 2024-06-18
---
泸州市人才新政<script>alert('body')</script>发布

泸州市对新引进的博士给予最高50万元安家补贴<img src=x onerror=alert(3)>，人才公寓拎包入住。

详见<a href="javascript:alert(4)">这里</a>，或 javascript:alert(5) 。
"""


@pytest.fixture
def seeded():
    backend().clear()
    call_command("import_reports", str(SEEDS_DIR), stdout=io.StringIO(), stderr=io.StringIO())
    drain_queue()
    return Report.objects.get(original_name__contains="004_")


@pytest.fixture
def hostile(tmp_path, seeded):
    path = tmp_path / "hostile.md"
    path.write_text(HOSTILE, encoding="utf-8")
    call_command("import_reports", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    drain_queue()
    return Report.objects.get(original_name=path.name)


def test_the_policy_reader_sees_every_directive_and_refuses_repeats():
    header = "default-src 'self'; img-src 'self' data:; upgrade-insecure-requests"
    assert policy(header) == {
        "default-src": "'self'",
        "img-src": "'self' data:",
        "upgrade-insecure-requests": "",
    }
    with pytest.raises(AssertionError, match="repeated"):
        policy("script-src 'self'; script-src 'unsafe-inline'")


def test_every_page_sends_the_csp_and_security_headers(client, seeded, admin_client):
    urls = [
        "/",
        "/search/?q=人才",
        "/api/search?q=人才",
        seeded.get_absolute_url(),
        f"/api/reports/{seeded.pk}",
        reverse("archive:city_list"),
        reverse("archive:city_detail", args=[seeded.city.slug]),
        "/compare/?cities=兰州市,泸州市",
        "/api/compare?cities=兰州市,泸州市",
        "/api/docs",
        reverse("archive:feed"),
        "/admin/login/",
        "/no-such-page/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert policy(response["Content-Security-Policy"]) == CSP, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
    staff_page = admin_client.get(reverse("admin:archive_report_changelist"))
    assert policy(staff_page["Content-Security-Policy"]) == CSP


def active_content(html: str) -> list[str]:
    """Every way the markup could run script: script elements with inline code,
    on* attributes, javascript: URLs."""
    found = []
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        if tag.name == "script" and not tag.get("src") and tag.get("type") != "application/json":
            found.append(f"<script>{tag.get_text()[:40]}")
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"{tag.name} {name}={text[:40]}")
            if name in ("href", "src", "action", "formaction") and (
                text.strip().lower().startswith("javascript:")
            ):
                found.append(f"{tag.name} {name}={text[:40]}")
    return found


PAGES = {
    "report": lambda r: r.get_absolute_url(),
    "search": lambda r: "/search/?q=人才新政",
    "city": lambda r: reverse("archive:city_detail", args=[r.city.slug]),
    "compare": lambda r: "/compare/?cities=泸州市,兰州市",
    "admin list": lambda r: reverse("admin:archive_report_changelist"),
    "admin change": lambda r: reverse("admin:archive_report_change", args=[r.pk]),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_hostile_report_text_is_inert_on_every_page_that_shows_it(admin_client, hostile, page):
    response = admin_client.get(PAGES[page](hostile))
    assert response.status_code == 200
    html = response.content.decode()
    if page != "compare":  # compare shows figures, not titles or text
        assert "alert(" in html, f"{page} does not show the hostile report"
    assert active_content(html) == []


def test_hostile_report_text_is_escaped_in_the_feed(client, hostile):
    feed = client.get(reverse("archive:feed")).content.decode()
    assert "alert(" in feed
    assert "<script" not in feed
    assert "<img" not in feed
