"""Every screen readers and staff use, in Chinese and English, at desktop width and
on a 390 px phone (issue 19): a full-page screenshot of each under
test-output/screenshots/screens-*.png, no horizontal overflow outside the tables
meant to scroll, and on an English page no Chinese outside document content.

"Document content" is what the reports themselves say (titles, sources, 文号,
quoted evidence, the text): it is marked with a ``lang="zh…"`` attribute or sits
in one of ``CONTENT``; any other Han character on an English page is an
untranslated interface string.
"""

import pytest
from django.contrib.auth.models import User

from ..conftest import rebuild_index

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}
LOCALES = {"zh": "zh-CN", "en": "en-US"}
#: document content shown inside interface elements without its own lang attribute
CONTENT = ", ".join(
    [
        "[lang^='zh']",
        ".evidence",  # "city of the issuer: 瀘州市人力資源和社會保障局"
        ".citation-text",
        ".keyword-list",
        ".key-figures .sentence",
        ".figure-list li > a, .figure-list li > span:first-child",
        ".metadata dd",
        "#result_list td, #result_list th.field-title_column",
        "script, style, title",
    ]
)
UNTRANSLATED_JS = """(content) => {
  const han = /[\\u3400-\\u9fff]/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!han.test(node.textContent) || el.closest(content)) continue;
    if (el.closest("[hidden], details:not([open]) > :not(summary)")) continue;
    found.push(el.tagName + ": " + node.textContent.trim().slice(0, 60));
  }
  return found;
}"""
#: elements wider than the phone, other than tables in a scrolling box
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === "auto" || x === "scroll") return true;
    }
    return false;
  };
  return Array.from(document.body.querySelectorAll("*"))
    .filter((el) => el.getBoundingClientRect().right > width + 1 && !scrolls(el))
    .map((el) => el.tagName + "." + el.className + " " + el.getBoundingClientRect().right);
}"""


def screens(seeded: dict[str, int]) -> dict[str, str]:
    return {
        "home": "/",
        "search": "/search/?q=人才公寓",
        "city": "/cities/luzhou/",
        "report": f"/reports/{seeded['004']}/",
        "compare": "/compare/?cities=泸州市,兰州市,呼和浩特市&terms=人才公寓 补贴",
        "404": "/no/such/page/",
        "admin-list": "/admin/archive/report/",
    }


@pytest.fixture
def indexed(seeded) -> None:
    """The search index rebuilt from this test's reports (an earlier test's may linger)."""
    rebuild_index()


@pytest.fixture
def staff_session(seeded, indexed, live_server) -> dict:
    """A logged-in superuser's session cookie, made before Chromium starts (the ORM
    refuses to run inside Playwright's event loop)."""
    from django.test import Client

    client = Client()
    client.force_login(User.objects.create_superuser("chief", "chief@example.org", "unused"))
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LOCALES)
def test_every_screen_fits_the_phone_and_speaks_the_readers_language(
    staff_session, browser, live_server, seeded, screenshot, language, width
):
    problems = []
    for name, url in screens(seeded).items():
        context = browser.new_context(
            locale=LOCALES[language],
            viewport={"width": WIDTHS[width], "height": 900},
            base_url=live_server.url,
        )
        if name == "admin-list":
            context.add_cookies([staff_session])
        page = context.new_page()
        response = page.goto(url)
        assert response.status == (404 if name == "404" else 200), (name, response.status)
        assert page.locator("h1").count() >= 1, name
        if name in ("home", "city"):
            page.wait_for_selector(".chart svg")
        if name == "compare":
            page.wait_for_selector("#term-chart canvas")
        if name == "search":
            assert page.locator("ol.hits li.hit").count() >= 1, "search found nothing"
        screenshot(page, f"screens-{language}-{width}-{name}")
        if width == "phone":
            problems += [f"{name} overflows: {e}" for e in page.evaluate(OVERFLOW_JS)]
        if language == "en":
            found = page.evaluate(UNTRANSLATED_JS, CONTENT)
            problems += [f"{name} untranslated: {text}" for text in found]
        context.close()
    assert not problems, "\n".join(problems)


CLS_JS = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("url", ["/", "/cities/luzhou/"])
def test_drawing_the_charts_moves_nothing_on_the_page(new_page, url):
    page = new_page()
    page.goto(url)
    page.wait_for_selector(".chart-block.drawn .chart svg")
    assert page.evaluate(CLS_JS) < 0.01  # the home page measured 0.178 before (issue 19)
    assert not page.locator(".chart-table").first.is_visible()  # folded once drawn
