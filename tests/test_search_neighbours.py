"""Partial matches most like the full hits come first (search/neighbours.py, issue 16).

The archive: the five seeds and the sixteen labelled captures, imported with
``import_reports`` as operators do. 人才新政 is written in six of them; 09.html,
explaining one article of the same 深圳 measures as 05.html, is judged relevant
without the word and holds only 人才 of it, as nearly every report does.
"""

import pytest

from archive.models import Report
from search import engine, neighbours

pytestmark = pytest.mark.django_db


def test_neighbours_move_forward_interleaved_and_the_rest_keep_their_order():
    partial = [10, 11, 12, 13, 14, 15]
    lists = [[14, 99, 12], [13, 14]]  # 99 holds no query word: not a partial match
    assert neighbours.neighbours_first(partial, lists) == [14, 13, 12, 10, 11, 15]
    assert neighbours.neighbours_first(partial, []) == partial


def test_only_neighbours_within_the_pool_move():
    partial = list(range(neighbours.POOL + 5))
    far = neighbours.POOL + 2
    assert neighbours.neighbours_first(partial, [[far, 7]]) == [7, *(p for p in partial if p != 7)]


@pytest.fixture
def archive(labelled_archive) -> dict[str, int]:
    """Seeds and labelled captures, indexed: file name -> report id."""
    return labelled_archive


def _answer(client, **params) -> dict:
    response = client.get("/api/search", {"page_size": 10, **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_reports_like_the_full_hits_lead_the_partial_matches(client, archive):
    answer = _answer(client, q="人才新政")
    listed = [hit["id"] for hit in answer["results"]]
    full = [hit["id"] for hit in _answer(client, q="人才新政", exact=1)["results"]]
    assert answer["all_words_count"] == len(full) == 6
    assert listed[:6] == full  # the full hits first, in their own order
    assert archive["09.html"] in listed[6:]  # like 05.html, the first full hit
    # the tail starts with the first full hits' neighbours, interleaved best first
    seeds = neighbours.neighbour_lists(engine.checked(), full)
    interleaved = [pk for pair in zip(*seeds, strict=False) for pk in pair if pk not in full]
    assert listed[6:8] == interleaved[:2]


def test_every_result_still_holds_a_query_word(client, archive):
    answer = _answer(client, q="人才新政", page_size=100)
    texts = Report.objects.in_bulk([hit["id"] for hit in answer["results"]])
    for hit in answer["results"]:
        report = texts[hit["id"]]
        assert "人才" in report.title + report.clean_text or "新政" in report.clean_text


def test_pages_of_a_reordered_list_neither_repeat_nor_skip(client, archive):
    whole = [hit["id"] for hit in _answer(client, q="人才新政", page_size=30)["results"]]
    paged = []
    for page in (1, 2, 3):
        paged += [hit["id"] for hit in _answer(client, q="人才新政", page=page)["results"]]
    assert paged == whole[: len(paged)] and len(set(paged)) == len(paged)
