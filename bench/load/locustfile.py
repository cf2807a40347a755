"""Mixed reading traffic against a served archive (issue 8, "Load").

60 % searches with filters and sorts (page and API), 20 % report pages, 10 % city
pages, 10 % comparisons. Report ids, cities and provinces are read from the site
itself at start, so the scenario runs against any archive. Run by bench/load/run.py.
"""

from __future__ import annotations

import random

from locust import HttpUser, between, events, tag, task

TERMS = (
    "人才公寓", "安家补贴", "高校毕业生", "博士", "落户", "人才", "购房补贴", "创业",
    "院士工作站", "博士后", "技能培训", "人才引进", "住房", "生活补贴", "青年人才",
)  # fmt: skip
DOC_TYPES = ("news", "press_conference", "proposal_reply", "policy_document")
SORTS = ("relevance", "newest", "oldest")
SITE: dict[str, list] = {"reports": [], "cities": [], "provinces": []}


@events.test_start.add_listener
def learn_the_archive(environment, **_kwargs) -> None:
    """Report ids and cities to visit, from the API (one client, before the users)."""
    import requests

    base = environment.host
    cities = requests.get(f"{base}/api/cities", timeout=60).json()
    SITE["cities"] = [(c["slug"], c["name"]) for c in cities if c["report_count"]]
    SITE["provinces"] = sorted({c["province"] for c in cities})
    ids: list[int] = []
    for page in range(1, 4):
        data = requests.get(
            f"{base}/api/search", params={"page": page, "page_size": 100}, timeout=60
        ).json()
        ids += [hit["id"] for hit in data["results"]]
    SITE["reports"] = ids


class Reader(HttpUser):
    wait_time = between(0.5, 1.5)

    def _search_params(self) -> dict:
        params: dict = {"q": " ".join(random.sample(TERMS, random.choice((1, 1, 2))))}
        if random.random() < 0.5 and SITE["provinces"]:
            params["province"] = random.choice(SITE["provinces"])
        if random.random() < 0.3:
            params["doc_type"] = random.choice(DOC_TYPES)
        if random.random() < 0.3:
            params["year_from"] = random.choice((2018, 2020, 2022))
        params["sort"] = random.choice(SORTS)
        if random.random() < 0.2:
            params["page"] = 2
        return params

    @task(40)
    @tag("search")
    def search_page(self) -> None:
        self._search("/search/", "/search/ [filters]")

    @task(20)
    @tag("search")
    def search_api(self) -> None:
        self._search("/api/search", "/api/search [filters]")

    def _search(self, path: str, name: str) -> None:
        """A search; a page 2 past the end of a narrow search is the API's designed 404
        (API.md), not a failure of the server."""
        params = self._search_params()
        with self.client.get(path, params=params, name=name, catch_response=True) as answer:
            if answer.status_code == 404 and params.get("page") == 2:
                answer.success()

    @task(20)
    @tag("report")
    def report_page(self) -> None:
        if SITE["reports"]:
            pk = random.choice(SITE["reports"])
            self.client.get(f"/reports/{pk}/", name="/reports/[id]/")

    @task(10)
    @tag("city")
    def city_page(self) -> None:
        if SITE["cities"]:
            slug, _name = random.choice(SITE["cities"])
            self.client.get(f"/cities/{slug}/", name="/cities/[slug]/")

    @task(10)
    @tag("compare")
    def compare_page(self) -> None:
        if len(SITE["cities"]) >= 2:
            picked = [name for _slug, name in random.sample(SITE["cities"], 2)]
            self.client.get(
                "/compare/", params={"cities": ",".join(picked)}, name="/compare/?cities=[2]"
            )
