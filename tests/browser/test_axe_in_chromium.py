"""axe-core (npm, pinned in package-lock.json) over every page kind, in Chinese and
English (issue 19): 0 violations of any impact.

axe runs inside the page (injected with Playwright's ``add_script_tag``), so it sees
the page as a reader's browser renders it: computed colours for contrast, the
accessible names of links and form fields, landmarks, nesting.
"""

from pathlib import Path

import pytest

from .test_screens_in_chromium import LOCALES, indexed, staff_session  # noqa: F401 fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
#: each violation as "id (impact): target, target"
AXE_RUN_JS = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) =>
    v.id + " (" + v.impact + "): " + v.help + " — " +
    v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(", "));
}"""


def page_kinds(seeded: dict[str, int]) -> dict[str, str]:
    return {
        "home": "/",
        "search": "/search/?q=人才公寓",
        "search-empty": "/search/?q=量子纠缠猫咪",
        "cities": "/cities/",
        "province": "/provinces/sichuan/",
        "city": "/cities/luzhou/",
        "report": f"/reports/{seeded['004']}/",
        "compare": "/compare/?cities=泸州市,兰州市,呼和浩特市&terms=人才公寓 补贴",
        "applicant": "/compare/applicant/?education=硕士&age=28&cities=泸州市,兰州市",
        "404": "/no/such/page/",
        "admin-list": "/admin/archive/report/",
    }


@pytest.mark.parametrize("language", LOCALES)
def test_every_page_kind_has_no_axe_violations(
    staff_session,  # noqa: F811
    browser,
    live_server,
    seeded,
    language,
):
    if not AXE.exists():
        pytest.skip("axe-core is missing: run `npm ci` (make vendor)")
    context = browser.new_context(
        locale=LOCALES[language],
        viewport={"width": 1280, "height": 900},
        base_url=live_server.url,
        bypass_csp=True,  # the archive's CSP rightly refuses axe's inline script
    )
    context.add_cookies([staff_session])
    page = context.new_page()
    problems = []
    for name, url in page_kinds(seeded).items():
        response = page.goto(url)
        assert response.status == (404 if name == "404" else 200), (name, response.status)
        page.add_script_tag(path=str(AXE))
        problems += [f"{name}: {violation}" for violation in page.evaluate(AXE_RUN_JS)]
    context.close()
    assert not problems, "\n".join(problems)
