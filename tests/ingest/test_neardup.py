"""Near-duplicate sketches on the seeds (archive/ingest/neardup.py)."""

import itertools

import pytest

from archive.ingest.neardup import (
    THRESHOLD,
    best_match,
    from_hex,
    resemblance,
    shingles,
    sketch,
    to_hex,
)
from archive.ingest.pipeline import process_document
from tests.conftest import seed_path

PREFIXES = ("000", "001", "002", "003", "004")


@pytest.fixture(scope="module")
def clean():
    return {
        p: process_document(seed_path(p).read_bytes(), filename=f"{p}.txt").clean_text
        for p in PREFIXES
    }


def other_site(text: str) -> str:
    """The same article on another site: its own breadcrumb and editor line, the
    last fifth of the paragraphs cut, a "related" link added."""
    lines = text.split("\n")
    kept = lines[: int(len(lines) * 0.8)]
    return "\n".join(["某某网 > 新闻中心 > 正文", *kept, "责任编辑：张三", "相关阅读：另一篇文章"])


def test_different_seeds_resemble_each_other_by_less_than_two_percent(clean):
    sketches = {p: sketch(t) for p, t in clean.items()}
    for a, b in itertools.combinations(PREFIXES, 2):
        assert resemblance(sketches[a], sketches[b]) < 0.02, (a, b)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_seed_captured_on_another_site_is_a_near_duplicate(clean, prefix):
    score = resemblance(sketch(clean[prefix]), sketch(other_site(clean[prefix])))
    assert 0.7 <= score < 1.0


def test_script_punctuation_and_spacing_do_not_count():
    simplified = "关于强化泸州现代化建设教育科技人才支撑的建议，我局高度重视。"
    traditional = "關於強化瀘州現代化建設教育科技人才支撐的建議,,我局高度重視"
    assert shingles(simplified) == shingles(traditional)
    assert resemblance(sketch(simplified), sketch(traditional)) == 1.0


def test_a_short_text_has_exact_jaccard_from_its_whole_shingle_set():
    a, b = sketch("人才公寓一千套"), sketch("人才公寓两千套")
    # shingles: 人才公寓一 才公寓一千 公寓一千套 vs 人才公寓两 才公寓两千 公寓两千套
    assert resemblance(a, b) == 0.0
    assert resemblance(a, a) == 1.0


def test_a_sketch_survives_storage_as_hex_and_damage_reads_as_empty(clean):
    signature = sketch(clean["001"])
    assert len(signature) == 128
    assert from_hex(to_hex(signature)) == signature
    assert from_hex("not hex at all!!") == ()
    assert from_hex(None) == ()
    assert resemblance((), signature) == 0.0


def test_best_match_takes_the_highest_score_and_the_earliest_report_on_ties(clean):
    target = sketch(other_site(clean["002"]))
    stored = [(7, sketch(clean["001"])), (9, sketch(clean["002"])), (3, sketch(clean["002"]))]
    match = best_match(target, stored)
    assert match is not None
    assert match.report_id == 3
    assert match.score >= THRESHOLD
    assert best_match(target, [(1, sketch(clean["001"]))]) is None
