"""Figure extraction rules on short sentences phrased like other cities' reports.

None of these sentences comes from a seed: the archive is judged on reports it has
not seen, so the rules are tested on the general shapes (unit grammar, cue words,
qualifiers, years), in both scripts.
"""

import pytest

from archive.ingest.figures import extract_figures


def one(text: str):
    figures = extract_figures(text)
    assert len(figures) == 1, [(f.value, f.unit, f.text) for f in figures]
    return figures[0]


def summary(text: str) -> list[tuple]:
    return [(f.value, f.unit, f.qualifier, f.dimension) for f in extract_figures(text)]


# --- what is not a figure ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "12月17日上午，省政府新闻办举行新闻发布会。",  # date
        "2024年6月18日",  # full date
        "2020年，我市人才工作取得新进展。",  # year
        "您提出的《关于加强人才工作的建议》(S09030288號建議)收悉。",  # document number
        "印发《实施意见》（杭政〔2023〕12号）。",  # document number
        "联系电话：0931-8456789，邮编730030。",  # phone, postcode
        "一是抓机制建设。(三)关于人才关怀。第一，坚持引育并重。一、工作开展情况",  # ordinals
        "增幅104.7%，其中硕士以上占20%，研发投入强度达到3.2%以上。",  # percentages
        "出台人才政策“黄金30条”升级版和人才改革25条。",  # policy nicknames
        "发挥“1小时人才圈”效应，推动“111”创新工程和“十四五”规划。",  # named things
        "组织实施“十万大学生留呼工程”。",  # a number inside a short quoted name
        "出台《兰州市“30万大学生留兰就业创业”行动计划》。",  # inside a book title
        "科技创新指数排名全国第30位，入选前10名。",  # ranks
        "对工作满3年以上的人才给予支持。",  # durations in years (ages: kinds, conditions)
        "按照三元合一的体系，实现两个转型，培养一批青年人才。",  # slogans, articles
        "全市共有30，学校平均每班45。",  # bare numbers without a unit
        "九三学社市委提出建议。",  # a name made of numerals
    ],
)
def test_it_finds_no_figure_in(text):
    assert extract_figures(text) == []


# --- numbers and units ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("全市人才工作专项经费调增为1.5786亿元。", 157860000, "yuan"),
        ("累计兑现5786万元。", 57860000, "yuan"),
        ("共引进人才2,559人。", 2559, "person"),
        ("人才总数达到1.09万人。", 10900, "person"),
        ("新引进硕士以上人才3千人。", 3000, "person"),
        ("共培训14.6万人次。", 146000, "person_time"),
        ("建成人才住房1.2万平方米。", 12000, "m2"),
        ("建成人才公寓800㎡。", 800, "m2"),
        ("興建人才住宅2000平方公尺。", 2000, "m2"),
        ("筹集人才公寓15472套。", 15472, "unit"),
        ("提供人才公寓300間。", 300, "unit"),
        ("建成博士后科研工作站17家。", 17, "item"),
        ("给予一百五十万元资助。", 1500000, "yuan"),
        ("新增技能人才一百二十万人。", 1200000, "person"),
        ("奖励资金近千万元。", 10000000, "yuan"),
    ],
)
def test_it_normalizes_value_and_unit(text, value, unit):
    fig = one(text)
    assert (fig.value, fig.unit) == (value, unit)
    assert isinstance(fig.value, int)


def test_it_counts_households_only_where_housing_is_the_topic():
    assert summary("配租人才住房320户。") == [(320, "unit", "", "housing")]
    assert summary("留学人员创办企业135户。") == [(135, "item", "", None)]


def test_it_reads_a_person_noun_as_the_unit_after_a_scaled_number():
    fig = one("全市留汉就业创业大学生达到30.2万大学生。")
    assert (fig.value, fig.unit, fig.text) == (302000, "person", "30.2万大学生")


def test_it_keeps_the_surface_and_offsets_of_a_traditional_figure():
    text = "去年，累計建成人才公寓2,580套，發放購房補貼1.2億元。"
    housing, subsidy = extract_figures(text)
    assert (housing.text, text[housing.start : housing.end]) == ("2,580套", "2,580套")
    assert (subsidy.value, subsidy.text, subsidy.dimension) == (
        120000000,
        "1.2億元",
        "purchase_subsidy",
    )


# --- qualifiers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("博士最高给予30万元购房补贴。", "最高"),
        ("建成人才公寓6000余套。", "余"),
        ("评选本土优秀人才近2000名。", "近"),
        ("引进急需紧缺人才750余人。", "余"),
        ("利税超8000万元。", "超"),
        ("人均享受乡村教师补助409元。", "人均"),
        ("给予3000元/人的就业补助。", "每人"),
        ("发放每月不低于500元的生活补贴。", "每月、不低于"),
        ("我们每年最高给予10万元的工作补贴。", "每年、最高"),
        ("每年吸引近千余名高校毕业生充实到教师队伍。", "每年、近、余"),
        ("近三年，全市共引进各类急需紧缺高层次人才2559人。", "近三年"),
        ("近五年，全市累计吸引两千余名高校毕业生来杭就业。", "近五年、累计、余"),
        ("力争创新平台数量达到20个以上。", "力争、以上"),
        ("全市教师编制需求缺口在1.1万名左右。", "左右"),
        ("全市共引进人才3565名。", ""),
    ],
)
def test_it_keeps_every_qualifier_in_text_order(text, qualifier):
    assert one(text).qualifier == qualifier


def test_it_parses_two_thousand_odd_in_chinese_numerals():
    fig = one("共吸引两千余名高校毕业生来杭就业。")
    assert (fig.value, fig.unit, fig.qualifier) == (2000, "person", "余")


# --- years --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2023年，兑现各类补贴奖励资金9773万元。", 2023),
        ("截至2022年底，累计建成人才公寓500套。", 2022),
        ("2020年引进青年大学生2.35万人，较2019年增长108%。", 2020),
        ("引进“双一流”人才387人，是2019年的4.7倍。", None),
        ("2021年比2019年多引进人才500人。", 2021),
        ("较2019年多引进人才500人。", None),
        ("2018年以来共引进人才近400人。", None),
        ("自2017年起，累计培训1100余人次。", None),
        ("市本级每年预算安排人才工作经费1亿元。", None),
        ("全市共引进人才3565名(2021年)。", 2021),
    ],
)
def test_it_dates_a_figure_by_the_year_its_sentence_speaks_of(text, year):
    assert one(text).year == year


def test_a_year_in_another_sentence_does_not_date_the_figure():
    figures = extract_figures("2023年工作成效明显。全市共引进人才3565名。")
    assert [f.year for f in figures] == [None]
