"""The fixed query mix of the search benchmark, by class (issue 7).

Every class an analyst uses is here, because their costs differ by orders of
magnitude: a common word matches most reports (scoring and facet counting over
all of them), a quoted phrase reads positions of several ``grams`` terms, one
character is a ``grams`` unigram with a huge posting list. Words are taken from
the seeds, so every query matches reports of the generated corpus.
"""

from __future__ import annotations

from urllib.parse import urlencode

#: (class, query parameters); ``q`` may be empty (browse with filters only).
QUERY_MIX: tuple[tuple[str, dict[str, str]], ...] = (
    ("common", {"q": "人才"}),
    ("common", {"q": "发展"}),
    ("common", {"q": "创新"}),
    ("common", {"q": "高质量发展"}),
    ("common", {"q": "人才工作"}),
    ("common", {"q": "政策"}),
    ("rare", {"q": "牵引电机"}),
    ("rare", {"q": "孵化器"}),
    ("rare", {"q": "法兰克福"}),
    ("rare", {"q": "轻量化"}),
    ("rare", {"q": "贴敷"}),
    ("rare", {"q": "精装公寓"}),
    ("and", {"q": "人才 公寓"}),
    ("and", {"q": "购房 补贴"}),
    ("and", {"q": "高校毕业生 就业"}),
    ("and", {"q": "博士后 工作站"}),
    ("and", {"q": "院士 专家"}),
    ("and", {"q": "人才 住房 补贴"}),
    ("phrase", {"q": '"拎包入住"'}),
    ("phrase", {"q": '"人才公寓"'}),
    ("phrase", {"q": '"高层次人才"'}),
    ("phrase", {"q": '"新闻发布会"'}),
    ("phrase", {"q": '"黄金30条"'}),
    ("phrase", {"q": '"人才是第一资源"'}),
    ("phrase", {"q": '"创新链产业链人才链"'}),
    ("one_char", {"q": "房"}),
    ("one_char", {"q": "才"}),
    ("one_char", {"q": "津"}),
    ("one_char", {"q": "硕"}),
    ("traditional", {"q": "瀘州"}),
    ("traditional", {"q": "補貼"}),
    ("traditional", {"q": "畢業生"}),
    ("traditional", {"q": '"人才公寓"'}),
    ("traditional", {"q": "關於 建議"}),
    ("unspaced", {"q": "高层次人才引进"}),
    ("operators", {"q": "人才 -补贴"}),
    ("operators", {"q": "公寓 OR 住房"}),
    ("filtered", {"q": "人才", "province": "四川省"}),
    ("filtered", {"q": "补贴", "doc_type": "news"}),
    ("filtered", {"q": "人才", "year_from": "2020", "year_to": "2022"}),
    ("filtered", {"q": "", "province": "山东省"}),
    ("sorted", {"q": "补贴", "sort": "newest"}),
    ("sorted", {"q": '"人才公寓"', "sort": "oldest"}),
    ("sorted", {"q": "创新", "sort": "newest", "page": "3"}),
    ("paged", {"q": "人才", "page": "5", "page_size": "50"}),
)


def query_urls(base: str, path: str) -> list[tuple[str, str]]:
    """(class, url) for every query of the mix against ``path`` (/api/search or /search/)."""
    return [(kind, f"{base}{path}?{urlencode(params)}") for kind, params in QUERY_MIX]
