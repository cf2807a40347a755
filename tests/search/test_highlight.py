import re

from search.highlight import find_matches, highlight
from search.query import parse_query

from .conftest import seed_text

MARK_RE = re.compile(r"<mark>(.*?)</mark>")


def marked(snippets):
    return [m for s in snippets for m in MARK_RE.findall(s)]


def test_a_simplified_query_marks_the_traditional_original():
    snippets = highlight(seed_text("004"), parse_query("泸州"))
    assert set(marked(snippets)) == {"瀘州"}
    assert not any("泸" in s for s in snippets)


def test_markup_in_the_document_comes_out_escaped():
    assert highlight("<script>alert(1)</script>人才公寓", ["人才"]) == [
        "&lt;script&gt;alert(1)&lt;/script&gt;<mark>人才</mark>公寓"
    ]


def test_a_quoted_phrase_is_marked_as_one_span():
    snippets = highlight(seed_text("002"), parse_query('"拎包入住"'))
    assert marked(snippets) == ["拎包入住"]


def test_an_unspaced_query_marks_its_verbatim_occurrence_as_one_span():
    snippets = highlight("建成人才公寓6000余套。", parse_query("人才公寓"))
    assert snippets == ["建成<mark>人才公寓</mark>6000余套。"]


def test_a_phrase_broken_by_a_line_is_still_marked_whole():
    assert highlight("可以拎包\n入住。", ["拎包入住"]) == ["可以<mark>拎包 入住</mark>。"]


def test_a_letter_term_does_not_mark_inside_other_words():
    assert highlight("data: A类人才", parse_query("A类")) == ["data: <mark>A类</mark>人才"]


def test_marks_land_on_the_original_chars_when_nfkc_changes_length():
    # NFKC turns ㎡ into "m2": every later offset shifts by one.
    assert highlight("约3000㎡的人才公寓。", ["人才"]) == ["约3000㎡的<mark>人才</mark>公寓。"]
    assert highlight("约3000㎡的人才公寓。", parse_query("3000M2")) == [
        "约<mark>3000㎡</mark>的人才公寓。"
    ]


def test_gazetteer_exception_names_are_marked_in_traditional_text():
    assert marked(highlight("吉林省乾安縣人才", parse_query("乾安县"))) == ["乾安縣"]


def test_snippets_snap_to_sentence_boundaries_in_reach():
    text = "第一句讲别的事情。第二句有人才公寓。第三句。"
    assert highlight(text, ["人才"]) == ["第二句有<mark>人才</mark>公寓。"]


def test_snippets_are_cut_with_an_ellipsis_when_the_sentence_is_long():
    text = "甲" * 100 + "人才" + "乙" * 100
    assert highlight(text, ["人才"], context=5) == ["…甲甲甲甲甲<mark>人才</mark>乙乙乙乙乙…"]


def test_the_densest_window_is_chosen_first():
    text = "人才工作。" + "无关内容。" * 20 + "人才公寓由住房部门建设。"
    snippets = highlight(text, ["人才", "公寓", "住房"], max_snippets=1)
    assert snippets == ["<mark>人才</mark><mark>公寓</mark>由<mark>住房</mark>部门建设。"]


def test_no_more_than_max_snippets_and_none_overlapping():
    text = seed_text("000")
    snippets = highlight(text, ["人才"], max_snippets=3, context=20)
    assert len(snippets) == 3
    assert len(set(snippets)) == 3


def test_no_match_gives_no_snippets():
    assert highlight("人才公寓", ["德州"]) == []
    assert highlight("人才公寓", parse_query("*")) == []


def test_overlapping_matches_merge_into_one_span():
    assert find_matches("高层次人才引进", ["高层次人才", "人才引进"]) == [(0, 7)]
