import json
import pickle
import re
from pathlib import Path

import pytest
from whoosh.fields import ID, Schema

import textkit
from search.whoosh_schema import GramsTokenizer, JiebaTokenizer, search_fields
from textkit import (
    build_t2s_exceptions,
    finer_cut,
    gram_units,
    grams,
    libraries,
    normalize,
    normalize_with_offsets,
    scripts,
    t2s,
    tokenize,
)

from .conftest import SEED_TITLES, seed_text

REPO = Path(__file__).resolve().parents[2]


def words(text, **kwargs):
    return [(t.text, t.pos) for t in tokenize(text, **kwargs)]


# --- normalize ----------------------------------------------------------------------


def test_normalize_converts_traditional_to_simplified():
    assert normalize("瀘州市人力資源和社會保障局") == "泸州市人力资源和社会保障局"


def test_normalize_folds_full_width_and_lowercases_latin():
    assert normalize("Ａ類人才５萬元，PDF") == "a类人才5万元,pdf"


def test_plain_opencc_turns_qianan_county_into_a_non_name():
    # The reason for the exception list: 乾 -> 干 everywhere.
    assert t2s("乾安县", exceptions=False) == "干安县"


def test_normalize_keeps_gazetteer_names_listed_as_exceptions():
    assert normalize("乾安縣") == "乾安县"
    assert normalize("吉林省乾安县") == "吉林省乾安县"


def test_normalize_still_converts_qian_outside_protected_names():
    assert normalize("乾燥") == "干燥"


@pytest.mark.parametrize("prefix", sorted(SEED_TITLES))
def test_t2s_keeps_the_length_of_every_seed(prefix):
    text = seed_text(prefix)
    assert len(t2s(text)) == len(text)


def test_offsets_point_back_into_the_original_when_nfkc_changes_length():
    original = "面积120㎡的瀘州人才公寓"
    norm = normalize_with_offsets(original)
    assert norm.text == "面积120m2的泸州人才公寓"
    start = norm.text.index("m2")
    assert original[slice(*norm.span(start, start + 2))] == "㎡"
    start = norm.text.index("泸州")
    assert original[slice(*norm.span(start, start + 2))] == "瀘州"


# --- tokenize -----------------------------------------------------------------------


def test_tokenize_gives_ordinal_positions_with_subwords_at_their_parents_position():
    assert words("高层次人才引进") == [
        ("高层次", 0),
        ("高层", 0),
        ("层次", 0),
        ("人才", 1),
        ("引进", 2),
    ]


def test_tokenize_in_query_mode_gives_only_precise_words():
    assert words("高层次人才引进", subwords=False) == [("高层次", 0), ("人才", 1), ("引进", 2)]


def test_tokenize_offsets_are_in_the_original_traditional_text():
    original = "瀘州市人才"
    tokens = tokenize(original, subwords=False)
    assert [(t.text, original[t.start : t.end]) for t in tokens] == [
        ("泸州市", "瀘州市"),
        ("人才", "人才"),
    ]


def test_tokenize_keeps_single_letters_and_numbers():
    assert words("A类人才", subwords=False) == [("a", 0), ("类", 1), ("人才", 2)]
    assert words("5万元、1.7万人次", subwords=False) == [
        ("5", 0),
        ("万元", 1),
        ("1.7", 3),
        ("万人次", 4),
    ]


def test_punctuation_is_dropped_and_skips_a_position_but_whitespace_does_not():
    assert words("拎包,入住") == [("拎包", 0), ("入住", 2)]
    assert words("拎包\n入住") == [("拎包", 0), ("入住", 1)]
    assert words("“拎包入住”") == [("拎包", 0), ("入住", 1)]


def test_tokenize_of_punctuation_only_is_empty():
    assert tokenize("*?()!,。") == []


def test_grams_are_unigrams_and_bigrams_at_character_positions():
    assert [(t.text, t.pos) for t in grams("房价,A类")] == [
        ("房", 0),
        ("房价", 0),
        ("价", 1),
        ("a", 3),
        ("类", 4),
    ]


def test_gram_units_span_the_original_characters():
    original = "瀘州"
    assert [(u.text, original[u.start : u.end]) for u in gram_units(original)] == [
        ("泸", "瀘"),
        ("州", "州"),
    ]


def test_finer_cut_never_returns_the_word_whole():
    assert finer_cut("泸州市") == ["泸州", "市"]
    assert finer_cut("住房补贴") == ["住房", "补贴"]
    assert finer_cut("房") == ["房"]


def test_jieba_is_built_once_per_process():
    textkit.warm_up()
    first = libraries._get_tokenizer()
    textkit.warm_up()
    assert libraries._get_tokenizer() is first


def test_no_other_module_imports_jieba_or_opencc():
    pattern = re.compile(r"^\s*(import|from)\s+(jieba|opencc)\b", re.MULTILINE)
    offenders = [
        str(path.relative_to(REPO))
        for path in REPO.rglob("*.py")
        if not {".venv", "node_modules"} & set(path.parts)
        and path != REPO / "textkit" / "libraries.py"
        and pattern.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert offenders == []


# --- Whoosh adapters ----------------------------------------------------------------


def test_whoosh_tokenizer_honours_positions_chars_and_offsets():
    stream = JiebaTokenizer()("瀘州人才", positions=True, chars=True, start_pos=10, start_char=100)
    assert [(t.text, t.pos, t.startchar, t.endchar) for t in stream] == [
        ("泸州", 10, 100, 102),
        ("人才", 11, 102, 104),
    ]


def test_whoosh_tokenizer_drops_subwords_in_query_mode():
    index_mode = [t.text for t in JiebaTokenizer()("住房补贴", mode="index")]
    query_mode = [t.text for t in JiebaTokenizer()("住房补贴", mode="query")]
    assert (index_mode, query_mode) == (["住房补贴", "住房", "补贴"], ["住房补贴"])


def test_grams_tokenizer_gives_unigrams_only_in_query_mode():
    assert [t.text for t in GramsTokenizer()("入住", mode="query")] == ["入", "住"]


def test_schema_survives_the_pickling_whoosh_does_to_store_it():
    schema = pickle.loads(pickle.dumps(Schema(id=ID(stored=True), **search_fields())))
    assert list(schema["text"].process_text("瀘州人才", mode="query")) == ["泸州", "人才"]


# --- t2s exception list -------------------------------------------------------------


def test_every_line_of_the_exception_file_is_a_same_length_pair():
    table = scripts.load_t2s_exceptions()
    assert table["乾安縣"] == "乾安县"
    assert all(len(k) == len(v) for k, v in table.items())


def test_builder_lists_only_names_that_opencc_gets_wrong():
    regions = [
        {"name": "乾安县", "short_name": "乾安", "trad_names": ["乾安縣"]},
        {"name": "泸州市", "short_name": "泸州", "trad_names": ["瀘州市"]},
        {"name": "乾县", "short_name": "乾", "trad_names": ["乾縣"]},
    ]
    table, conflicts = build_t2s_exceptions.find_exceptions(regions)
    assert table == {"乾安": "乾安", "乾安县": "乾安县", "乾安縣": "乾安县", "乾县": "乾县"}
    assert conflicts == []


def test_builder_check_mode_reports_a_stale_file(tmp_path):
    gazetteer = tmp_path / "regions.json"
    gazetteer.write_text(json.dumps([{"name": "乾县", "trad_names": []}]), encoding="utf-8")
    output = tmp_path / "t2s_exceptions.txt"
    args = ["--gazetteer", str(gazetteer), "--output", str(output)]
    assert build_t2s_exceptions.main([*args, "--check"]) == 1
    assert build_t2s_exceptions.main(args) == 0
    assert output.read_text(encoding="utf-8").splitlines()[-1] == "乾县\t乾县"
    assert build_t2s_exceptions.main([*args, "--check"]) == 0


def test_an_index_pickled_under_the_old_module_name_still_finds_its_analyzers():
    """Indexes built when the analyzers lived in ``search.schema`` name them so."""
    old_names = b"csearch.schema\nJiebaTokenizer\ncsearch.schema\nGramsTokenizer\n\x86."
    assert pickle.loads(old_names) == (JiebaTokenizer, GramsTokenizer)
