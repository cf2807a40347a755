"""Synonyms word by word: the tier between every word and some words (issue 16).

人才公寓's synonym 人才住房 keeps 人才 and puts 住房 in place of 公寓. A report that
writes 紧缺人才 and 公共租赁住房 apart (08.html, judged relevant to 人才公寓) holds
neither spelling verbatim, so it used to sink among the reports holding 人才 alone
(nearly all of them). It now comes right after the reports holding every word or a
synonym, before those holding some words. The archive: the five seeds and the
sixteen labelled captures (``labelled_archive``).
"""

import pytest

import textkit
from archive.models import Report
from search.query import parse_query, word_slots
from search.selectors import synonym_table

pytestmark = pytest.mark.django_db

HOUSING = ("公寓", "住房", "安居房")


@pytest.mark.parametrize(
    ("typed", "variants", "slots"),
    [
        (
            ["人才", "公寓"],
            [["人才", "住房"], ["人才", "安居房"]],
            [["人才"], ["公寓", "住房", "安居房"]],
        ),
        (["购房", "补贴"], [["购房", "补助"]], [["购房"], ["补贴", "补助"]]),
        (["租房", "补贴"], [["住房", "租赁", "补贴"]], [["租房", "住房租赁"], ["补贴"]]),
        (["人才", "公寓"], [["人才", "房"]], None),  # one character alone means little
        (["高层次", "人才"], [["高端", "专家"]], None),  # both words changed
        (["安家费"], [["安家", "补贴"]], None),  # one typed word: a whole alternative
        (["人才", "公寓"], [["人才", "公寓"]], None),  # nothing changed
    ],
)
def test_word_slots(typed, variants, slots):
    assert word_slots(typed, variants) == slots


def test_no_tier_without_synonyms_or_without_a_swapped_word():
    assert parse_query("人才公寓").widened is None  # exact=1 parses without synonyms
    assert parse_query("绍兴", synonyms=synonym_table()).widened is None


def _answer(client, **params) -> dict:
    response = client.get("/api/search", {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    return response.json()


def _holds_both(report: Report) -> bool:
    text = textkit.normalize(f"{report.title}\n{report.clean_text}")
    return "人才" in text and any(word in text for word in HOUSING)


def test_reports_holding_a_stand_in_word_follow_the_full_hits(client, labelled_archive):
    answer = _answer(client, q="人才公寓")
    listed = [hit["id"] for hit in answer["results"]]
    full = answer["all_words_count"]
    reports = Report.objects.in_bulk(listed)
    stand_ins = {pk for pk in listed[full:] if _holds_both(reports[pk])}
    assert labelled_archive["08.html"] in stand_ins
    assert not any(
        w in textkit.normalize(reports[labelled_archive["08.html"]].clean_text)
        for w in ("人才公寓", "人才住房")
    )
    # every stand-in right after the full hits, then the reports holding some words
    assert set(listed[full : full + len(stand_ins)]) == stand_ins
    assert len(listed) == answer["count"]  # the list counts them: nothing lost, no repeat
    assert len(set(listed)) == len(listed)


def test_an_exclusion_still_excludes_stand_ins(client, labelled_archive):
    listed = [hit["id"] for hit in _answer(client, q="人才公寓 -深圳")["results"]]
    assert listed and labelled_archive["08.html"] not in listed
    reports = Report.objects.in_bulk(listed)
    assert not any("深圳" in textkit.normalize(r.clean_text) for r in reports.values())


def test_title_only_stand_ins_hold_the_words_in_their_titles(client, labelled_archive):
    answer = _answer(client, q="人才住房", **{"in": "title"})
    reports = Report.objects.in_bulk([hit["id"] for hit in answer["results"]])
    for report in reports.values():
        assert "人才" in textkit.normalize(report.title)
