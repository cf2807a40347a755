"""Kind and beneficiary of figures, on sentences of the seeds and dev documents (issue 17)."""

import pytest

from archive.ingest.figures import extract_figures


def kinds(text: str) -> list[tuple[str, str, str]]:
    return [(f.text, f.kind, f.beneficiary) for f in extract_figures(text)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # 泸州 (seed 004): a per-person cap
        ("購買首套新建商品住房的,根據學歷最高給予25萬元補助。", [("25萬元", "per_person", "")]),
        # 兰州 (seed 000): money paid out in all
        (
            "2018年,高新区企业引进的8名高层次人才被认定为兰州市急需紧缺高层次人才,"
            "兑现了安家补贴280万元。",
            [("8名", "count", "高层次人才"), ("280万元", "total", "")],
        ),
        # 兰州 (seed 000): floor space built in all, not a flat's size
        ("建成可“拎包入住”的人才公寓4.48万平方米。", [("4.48万平方米", "total", "")]),
        # 北京 (dev 14): a flat's size
        (
            "可以入住面积50平方米以上的公共租赁住房。",
            [("50平方米", "area", "")],
        ),
        # 泸州 (seed 004): flats built
        (
            "在全市范圍內建成人才公寓6000余套、青年人才驛站300套。",
            [("6000余套", "count", ""), ("300套", "count", "青年人才")],
        ),
        # 北京 引进人才管理办法 (dev 12): paid-in capital is an eligibility threshold
        (
            "基金管理人和所管理基金均在京设立并备案，实收资本3亿元以上、"
            "近3年实际投资本市高精尖产业5亿元以上的创业投资基金管理人。",
            [("3亿元", "condition", ""), ("5亿元", "condition", "")],
        ),
        # 北京 引进毕业生管理办法 (dev 13): age limits by degree
        (
            "原则上毕业生本科不超过26周岁，硕士研究生不超过30周岁，博士研究生不超过35周岁。",
            [
                ("26周岁", "condition", "本科"),
                ("30周岁", "condition", "硕士"),
                ("35周岁", "condition", "博士"),
            ],
        ),
        # 海淀 (dev 15): months of social insurance
        ("申报人员在本单位3个月以上社保连续缴纳证明。", [("3个月", "condition", "")]),
        # 深圳 (dev 09): amounts by degree, one item each
        (
            "满足条件的人才可申请住房补贴：本科6000元/人、硕士9000元/人、博士12000元/人。",
            [
                ("6000元/人", "per_person", "本科"),
                ("9000元/人", "per_person", "硕士"),
                ("12000元/人", "per_person", "博士"),
            ],
        ),
        # 深圳 (dev 08): "respectively" — degrees listed before the amounts
        (
            "一次性租房和生活补贴按本科、硕士、博士的顺序从原先的6000元、9000元、12000元提高。",
            [
                ("6000元", "per_person", "本科"),
                ("9000元", "per_person", "硕士"),
                ("12000元", "per_person", "博士"),
            ],
        ),
        # 泸州 (seed 004): money to firms, not to the graduates
        (
            "為招引返鄉大學生就業的企業給予3000元/人的就業補助。",
            [("3000元/人", "per_person", "企业")],
        ),
        # 深圳 (dev 09): paid out in all, a count of people
        (
            "2015年深圳共向近4万名新引进人才发放1.33亿元租房补贴。",
            [("4万名", "count", ""), ("1.33亿元", "total", "")],
        ),
    ],
)
def test_it_decides_kind_and_beneficiary_from_the_sentence(sentence, expected):
    assert kinds(sentence) == expected


def test_a_deadline_in_months_is_not_a_condition():
    assert extract_figures("请于6个月内完成建设。") == []


def test_ages_and_months_default_to_settlement_and_keep_their_evidence():
    (fig,) = extract_figures("引进时年龄原则上不超过45周岁。")
    assert (fig.unit, fig.dimension, fig.kind) == ("age", "settlement", "condition")
    assert "不超过" in fig.kind_cue or "年龄" in fig.kind_cue


def test_evidence_names_the_words_that_decided():
    (fig,) = extract_figures("最高给予25万元补助。")
    assert fig.kind_cue == "最高"
    (fig,) = extract_figures("本科15000元/人。")
    assert (fig.beneficiary, fig.beneficiary_cue) == ("本科", "本科")
