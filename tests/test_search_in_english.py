"""The results page for an English reader (issue 19): facet and result place names
in English, the reports' own words (titles, snippets, issuers, the words searched)
kept Chinese and marked ``lang="zh"`` for screen readers and the screens test."""

import io
import re

import pytest
from django.core.management import call_command

from search.indexing import backend, drain_queue

from .conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed():
    backend().clear()
    seeds = sorted(map(str, SEEDS_DIR.glob("*.txt")))
    call_command("import_reports", *seeds, stdout=io.StringIO(), stderr=io.StringIO())
    drain_queue()


def facet_labels(html: str, facet: str) -> set[str]:
    section = html.split(f'data-facet="{facet}"')[1].split("</section>")[0]
    return set(re.findall(r'<a href="[^"]*"[^>]*>([^<]+)</a>', section))


def test_place_facets_are_english_and_the_searched_words_are_marked(client, indexed):
    html = client.get("/search/", {"q": "人才公寓"}, headers={"accept-language": "en"})
    html = html.content.decode()
    assert {"Luzhou", "Lanzhou", "Hohhot"} <= facet_labels(html, "city")
    assert {"Sichuan", "Gansu", "Inner Mongolia"} <= facet_labels(html, "province")
    assert 'Results for “<span lang="zh">人才公寓</span>”' in html
    assert '<p class="snippet" lang="zh">' in html


def test_chinese_readers_see_the_stored_names(client, indexed):
    html = client.get("/search/", {"q": "人才公寓"}).content.decode()
    assert {"泸州市", "兰州市"} <= facet_labels(html, "city")
    assert "“人才公寓”的检索结果" in html  # a Chinese page needs no lang mark
