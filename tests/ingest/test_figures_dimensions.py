"""Which policy dimension a figure is filed under, from the cue words around it.

Sentences are phrased like other cities' reports (none is copied from a seed):
the cue tables must generalize, so the tests name the rule, not a city.
"""

import pytest

from archive.ingest.figures import extract_figures


def dimensions(text: str) -> list[tuple]:
    return [(f.value, f.dimension) for f in extract_figures(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2023年，全市新建和筹集人才公寓3200套、人才住房18.6万平方米。",
            [(3200, "housing"), (186000, "housing")],
        ),
        (
            "在我市首次购房的，博士最高给予30万元购房补贴，硕士给予10万元安家费。",
            [(300000, "purchase_subsidy"), (100000, "purchase_subsidy")],
        ),
        ("为毕业生发放租房补贴3600万元。", [(36000000, "rent_subsidy")]),
        (
            "对博士、硕士分别给予每月3000元、2000元的生活补贴。",
            [(3000, "living_subsidy"), (2000, "living_subsidy")],
        ),
        ("市财政每年安排不少于5亿元人才发展专项资金。", [(500000000, "talent_budget")]),
        ("2022年引进各类人才4.6万人，同比增长12%。", [(46000, "talents_introduced")]),
        ("全市留汉就业创业大学生达到30.2万人。", [(302000, "graduates_retained")]),
        ("累计建成院士工作站26家。", [(26, "academicians")]),
        ("新建博士后创新实践基地12家。", [(12, "postdoc_stations")]),
        ("开展职业技能培训12.5万人次。", [(125000, "skills_training")]),
        ("对创业大学生给予最高50万元创业担保贷款。", [(500000, "startup_funding")]),
        ("全年新增落户人才2.8万人。", [(28000, "settlement")]),
        (
            "解决高层次人才子女入学320人、配偶就业安置45人。",
            [(320, "family_services"), (45, "family_services")],
        ),
    ],
)
def test_it_files_the_figure_under_the_dimension_its_cue_names(text, expected):
    assert dimensions(text) == expected


def test_it_files_traditional_text_like_simplified():
    simplified = dimensions("对新引进人才给予最高10万元购房补助，建成人才公寓6000余套。")
    traditional = dimensions("對新引進人才給予最高10萬元購房補助,建成人才公寓6000餘套。")
    assert simplified == traditional == [(100000, "purchase_subsidy"), (6000, "housing")]


def test_a_person_count_is_never_housing():
    assert dimensions("人才公寓已入住青年人才1200人。") == [(1200, None)]


def test_an_amount_is_never_a_head_count_dimension():
    assert dimensions("引进高层次人才兑现工作津贴151万元。") == [(1510000, None)]


def test_a_figure_without_any_cue_is_kept_unclassified():
    assert dimensions("人才总数达到1.09万人。") == [(10900, None)]


def test_economic_results_next_to_a_talent_cue_are_not_talent_figures():
    text = "人才创新创业项目带动研发投入21.8亿元，实现销售额69.7亿元，累计投放贷款43.94亿元。"
    assert dimensions(text) == [(2180000000, None), (6970000000, None), (4394000000, None)]


def test_the_sentence_is_a_fallback_when_the_clause_has_no_cue():
    text = "对在市区购买首套商品住房的人才，根据学历最高给予25万元补助。"
    assert dimensions(text) == [(250000, "purchase_subsidy")]


def test_a_cue_further_than_the_reach_of_a_long_sentence_is_ignored():
    text = (
        "2020年全市青年人才、专业技术人才、技能人才引进培养均创历史最好水平，"
        "市级以上重点人才工程和各类人才平台建设稳步推进，服务保障体系更加完善，"
        "技能人才总量达到55万人。"
    )
    assert dimensions(text) == [(550000, None)]


def test_a_semicolon_separates_unrelated_facts():
    text = "引进海外归国高层次人才120多人；享受国家政府津贴82人。"
    assert dimensions(text) == [(120, "talents_introduced"), (82, None)]


def test_a_cue_belongs_to_the_number_beside_it_not_to_the_next_list_item():
    text = "汇聚10名院士、104名高级行业专家。"
    assert dimensions(text) == [(10, "academicians"), (104, None)]


def test_a_verb_governs_every_item_of_its_list():
    text = "柔性引进院士专家34人、急需紧缺人才750余人。"
    assert dimensions(text) == [(34, "talents_introduced"), (750, "talents_introduced")]


def test_an_example_listed_before_deng_does_not_name_the_total():
    text = "建成产业创新中心、博士后科研工作站等平台载体1443家，其中国家级53家。"
    assert dimensions(text) == [(1443, None), (53, None)]


def test_a_qizhong_clause_shares_the_dimension_of_the_figure_it_breaks_down():
    text = "开展职业技能培训12.5万人次，其中新就业形态劳动者8000人次。"
    assert dimensions(text) == [(125000, "skills_training"), (8000, "skills_training")]


def test_a_cue_inside_a_quoted_name_does_not_count():
    assert dimensions("面向全球选聘17名“引才大使”。") == [(17, None)]


def test_graduates_count_as_retained_only_when_they_stay_or_arrive():
    assert dimensions("吸引4000多名大学生线上云游。") == [(4000, None)]
    assert dimensions("共引进1.23万名高校毕业生来德就业创业。") == [(12300, "graduates_retained")]


def test_the_deciding_cue_is_kept_as_evidence():
    (fig,) = extract_figures("筹集房源15472套。")
    assert fig.cue == "房源"
