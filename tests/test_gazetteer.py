"""The national gazetteer (fixtures/regions.json) and its mention finder."""

import json
import re
from collections import Counter

import pytest

from archive.gazetteer import REGIONS_PATH, Gazetteer


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load_default()


@pytest.fixture(scope="module")
def records():
    return json.loads(REGIONS_PATH.read_text(encoding="utf-8"))


def one(gaz, name):
    (place,) = [p for p in gaz.lookup(name) if p.name == name]
    return place


def found(gaz, text):
    return [(m.surface, m.place.name) for m in gaz.find_mentions(text)]


# -- the data --------------------------------------------------------------------


def test_it_has_every_provincial_level_division(records):
    provinces = [r["name"] for r in records if r["level"] == "province"]
    assert len(provinces) == 34
    assert {"台湾省", "香港特别行政区", "澳门特别行政区", "内蒙古自治区", "重庆市"} <= set(
        provinces
    )


def test_it_has_the_prefectures_plus_municipality_and_sar_twins(records):
    counts = Counter(r["level"] for r in records)
    assert counts == {"province": 34, "prefecture": 339, "county": 2850}
    names = {r["name"] for r in records}
    assert not names & {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
    assert "兰州新区" not in names  # NBS statistical area, not a division


def test_adcodes_are_unique_six_digit_and_sorted(records):
    codes = [r["adcode"] for r in records]
    assert codes == sorted(set(codes))
    assert all(re.fullmatch(r"\d{6}", c) for c in codes)


def test_slugs_are_unique_lowercase_ascii(records):
    slugs = [r["slug"] for r in records]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs)


def test_every_non_province_has_an_existing_parent_one_level_up(records):
    by_code = {r["adcode"]: r for r in records}
    for r in records:
        if r["level"] == "province":
            assert r["parent"] is None
            continue
        parent = by_code[r["parent"]]
        allowed = {"prefecture": {"province"}, "county": {"prefecture", "province"}}
        assert parent["level"] in allowed[r["level"]], r


def test_municipalities_are_both_province_and_city(gaz):
    beijing = gaz.lookup("北京市")
    assert [(p.adcode, p.level) for p in beijing] == [
        ("110000", "province"),
        ("110100", "prefecture"),
    ]
    chaoyang = gaz.get("110105")
    assert gaz.city_of(chaoyang).adcode == "110100"
    assert gaz.province_of(chaoyang).adcode == "110000"
    assert chaoyang in gaz.children(gaz.get("110100"))


def test_a_province_direct_county_city_is_its_own_city(gaz):
    jiyuan = one(gaz, "济源市")
    assert (jiyuan.level, gaz.parent(jiyuan).name) == ("county", "河南省")
    assert gaz.city_of(jiyuan) == jiyuan


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("广西壮族自治区", "广西"),
        ("内蒙古自治区", "内蒙古"),
        ("新疆维吾尔自治区", "新疆"),
        ("香港特别行政区", "香港"),
        ("恩施土家族苗族自治州", "恩施"),
        ("巴音郭楞蒙古自治州", "巴音郭楞"),
        ("大兴安岭地区", "大兴安岭"),
        ("锡林郭勒盟", "锡林郭勒"),
        ("神农架林区", "神农架"),
        ("万柏林区", "万柏林"),
        ("六枝特区", "六枝"),
        ("浦东新区", "浦东"),
        ("沙县区", "沙县"),
        ("赵县", "赵县"),
        ("双江拉祜族佤族布朗族傣族自治县", "双江"),
        ("鄂伦春自治旗", "鄂伦春"),
    ],
)
def test_short_names_drop_the_administrative_suffix_but_keep_two_characters(gaz, name, short):
    assert {p.short_name for p in gaz.lookup(name) if p.name == name} == {short}


def test_pinyin_uses_place_name_readings(gaz):
    pinyin = {n: one(gaz, n).pinyin for n in ("呼和浩特市", "长治市", "朝阳市", "闵行区", "吕梁市")}
    assert pinyin == {
        "呼和浩特市": "huhehaote",
        "长治市": "changzhi",
        "朝阳市": "chaoyang",
        "闵行区": "minhang",
        "吕梁市": "lvliang",
    }


def test_colliding_slugs_are_disambiguated_by_province_or_parent(gaz):
    slugs = {p.name: p.slug for p in gaz.lookup("taizhou")}
    assert slugs == {"泰州市": "taizhou-jiangsu", "台州市": "taizhou-zhejiang"}
    assert gaz.get("610000").slug == "shaanxi" and gaz.get("140000").slug == "shanxi"
    assert gaz.get("110100").slug == "beijing" and gaz.get("110000").slug == "beijing-province"
    assert gaz.get("110105").slug == "chaoyang-beijing"
    assert gaz.by_slug("jilin-jilin").name == "吉林市"


def test_trad_names_are_opencc_forms_that_differ(gaz):
    assert one(gaz, "泸州市").trad_names == ("瀘州市", "瀘州")
    assert one(gaz, "兰州市").trad_names == ("蘭州市", "蘭州")
    assert one(gaz, "广州市").trad_names == ("廣州市", "廣州")
    assert one(gaz, "台湾省").trad_names == ("臺灣省", "臺灣")
    assert one(gaz, "德州市").trad_names == ()


# -- lookups ---------------------------------------------------------------------


def test_it_looks_up_traditional_pinyin_and_short_names(gaz):
    assert [p.name for p in gaz.lookup("瀘州")] == ["泸州市"]
    assert [p.name for p in gaz.lookup("蘭州市")] == ["兰州市"]
    assert [p.name for p in gaz.lookup("lanzhou")] == ["兰州市"]
    assert [p.name for p in gaz.lookup("臺灣")] == ["台湾省"]
    assert [p.adcode for p in gaz.lookup("吉林")] == ["220000", "220200"]
    assert [p.name for p in gaz.lookup("恩施州")] == ["恩施土家族苗族自治州"]
    assert gaz.lookup("不存在的地方") == []


def test_the_default_gazetteer_is_built_once():
    assert Gazetteer.load_default() is Gazetteer.load_default()


# -- mention finding -------------------------------------------------------------


def test_it_finds_full_and_short_names_in_a_seed_sentence(gaz):
    text = "邀请兰州市委常委、组织部部长王旭,兰州高新区党工委委员孙裕介绍情况"
    assert found(gaz, text) == [("兰州市", "兰州市"), ("兰州", "兰州市")]


def test_it_finds_the_city_in_traditional_text_with_glued_pinyin(gaz, seed_bytes):
    raw = seed_bytes("004").decode("utf-8", errors="replace")
    first = gaz.find_mentions(raw)[0]
    assert (first.surface, first.place.name, first.start) == ("瀘州市", "泸州市", 0)
    body = "您提出的《關(guān)于強化瀘州現(xiàn)代化建設(shè)教育科技人才支撐"
    (m,) = gaz.find_mentions(body)
    assert (m.place.name, m.surface, body[m.start : m.end]) == ("泸州市", "瀘州", "瀘州")


def test_a_pinyin_gloss_inside_a_name_is_skipped_and_offsets_stay_raw(gaz):
    text = "支持長(zhǎng)沙市人才"
    (m,) = gaz.find_mentions(text)
    assert (m.place.name, m.surface, text[m.start : m.end]) == ("长沙市", "長沙市", "長(zhǎng)沙市")


def test_it_finds_every_city_of_a_list(gaz):
    text = "依托北京、上海、深圳、沈阳、成都、西安6家异地商会设立招才引智联络站"
    assert [s for s, _ in found(gaz, text)] == ["北京", "上海", "深圳", "沈阳", "成都", "西安"]


def test_a_county_needs_its_full_name(gaz):
    assert found(gaz, "坚持和平发展，推进开发区与新城建设，白云蓝天") == []
    assert found(gaz, "江阳区人民政府") == [("江阳区", "江阳区")]


def test_leftmost_longest_reads_a_province_then_a_city(gaz):
    assert found(gaz, "浙江苏州两地") == [("浙江", "浙江省"), ("苏州", "苏州市")]


def test_a_designation_glued_to_the_next_word_is_not_a_name(gaz):
    assert found(gaz, "推动河北区域协调发展") == [("河北", "河北省")]
    assert found(gaz, "振兴县域经济") == []


def test_non_place_words_hide_the_name_inside(gaz):
    assert found(gaz, "确保社会长治久安，发展朝阳产业") == []
    assert found(gaz, "创新乡村人才培养，用好大理石资源") == []
    assert found(gaz, "新乡市、大理州") == [("新乡市", "新乡市"), ("大理州", "大理白族自治州")]


def test_weak_aliases_are_marked_for_corroboration(gaz):
    kunshan, hezuo, urban = (gaz.find_mentions(t)[0] for t in ("昆山", "合作", "中心城区"))
    assert (kunshan.place.name, kunshan.weak) == ("昆山市", True)
    assert (hezuo.place.name, hezuo.weak) == ("合作市", True)
    assert urban.weak and len(urban.candidates) == 3
    assert not gaz.find_mentions("昆山市")[0].weak


def test_an_ambiguous_name_lists_all_its_candidates(gaz):
    (m,) = gaz.find_mentions("朝阳区")
    assert sorted(gaz.city_of(p).name for p in m.candidates) == ["北京市", "长春市"]
