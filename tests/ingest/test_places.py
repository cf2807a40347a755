"""City and province detection on the seeds and on realistic made-up reports."""

import pytest

from archive.gazetteer import Gazetteer
from archive.ingest.places import detect_place, weigh_mentions

SEED_TITLES = {
    "000": "深入实施人才优先发展战略 为兰州高质量发展提供更有B体育力人才支撑新闻发布会实录(文+图)",
    "001": "厚植人才沃土 赋能高质量发展",
    "002": "【锚定现代化 改革再深化】创新链产业链人才链深度融合 呼和浩特市深化改革“环境留才”",
    "003": "",
    "004": "瀘州市人力資源和社會保障局關(guān)于對市九屆人大三次會議S09030288號建議答復(fù)的函",
}


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load_default()


def names(detection):
    city, province = detection.city, detection.province
    return (city.name if city else None, province.name if province else None)


def weights(gaz, text, title=""):
    return [
        (w.mention.surface, w.weight, w.reason)
        for w in weigh_mentions(title=title, text=text, gazetteer=gaz)
    ]


# -- the five seeds --------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "city", "province", "city_evidence"),
    [
        ("000", "兰州市", "甘肃省", "城市取自标题：兰州"),
        ("001", "运城市", "山西省", "城市取自正文：运城（提及17次）"),
        ("002", "呼和浩特市", "内蒙古自治区", "城市取自标题：呼和浩特市"),
        ("003", "德州市", "山东省", "城市取自正文：德州（提及26次）"),
        ("004", "泸州市", "四川省", "城市取自标题：瀘州市"),
    ],
)
def test_it_detects_the_city_and_province_of_each_seed(
    seed_bytes, gaz, prefix, city, province, city_evidence
):
    text = seed_bytes(prefix).decode("utf-8", errors="replace")
    detection = detect_place(title=SEED_TITLES[prefix], text=text, gazetteer=gaz)
    assert names(detection) == (city, province)
    assert detection.city_evidence == city_evidence
    assert detection.province_evidence == f"省份取自上级行政区：{province}"


def test_the_seed_cities_win_without_any_title(seed_bytes, gaz):
    found = [
        names(detect_place(title="", text=seed_bytes(p).decode("utf-8", "replace"), gazetteer=gaz))
        for p in ("000", "002", "004")
    ]
    assert found == [("兰州市", "甘肃省"), ("呼和浩特市", "内蒙古自治区"), ("泸州市", "四川省")]


def test_a_link_line_to_another_city_weighs_nothing(seed_bytes, gaz):
    text = seed_bytes("000").decode("utf-8")
    link = next(line for line in text.splitlines() if line.startswith("上一篇"))
    assert weights(gaz, link) == [("荆州", 0.0, "链接或页脚")]


def test_source_and_contact_lines_weigh_nothing_but_prose_starting_alike_does(gaz):
    text = "来源：南京日报\n联系地址：南京市鼓楼区\n相关负责人表示，南京将加大投入。"
    assert weights(gaz, text) == [
        ("南京", 0.0, "链接或页脚"),
        ("南京市", 0.0, "链接或页脚"),
        ("鼓楼区", 0.0, "链接或页脚"),
        ("南京", 1.0, ""),
    ]


def test_cities_listed_for_comparison_weigh_a_quarter(gaz):
    line = "积极承接北京、天津、济南等周边发达地区人才资源外溢辐射"
    assert weights(gaz, line) == [
        ("北京", 0.25, "列举"),
        ("天津", 0.25, "列举"),
        ("济南", 0.25, "列举"),
    ]


def test_a_university_named_after_a_place_is_not_the_subject(gaz):
    line = "柔性引進四川大學(xué),、電子科技大學(xué)重點專業(yè)高層次人才"
    assert weights(gaz, line) == [("四川", 0.25, "机构名")]
    assert weights(gaz, "引进上海交通大学团队") == [("上海", 0.25, "机构名")]


def test_an_unconfirmed_weak_alias_weighs_nothing(gaz):
    text = "深化校地合作，推动合作共赢。\n昆山市人社局与苏州大学合作。\n昆山企业纷纷响应。"
    assert weights(gaz, text) == [
        ("合作", 0.0, "未佐证的简称"),
        ("合作", 0.0, "未佐证的简称"),
        ("昆山市", 1.0, ""),
        ("苏州", 0.25, "机构名"),
        ("合作", 0.0, "未佐证的简称"),
        ("昆山", 1.0, ""),
    ]


# -- made-up but realistic reports -----------------------------------------------


def test_a_report_about_suzhou_ignores_the_cities_it_compares_with(gaz):
    text = (
        "与上海、南京、杭州等城市相比，苏州在人才安居方面力度更大。\n"
        "上海、南京、杭州近年来也陆续出台了人才新政。\n"
        "苏州市人社局相关负责人表示，将继续优化人才服务。\n"
        "地址：上海市浦东新区世纪大道100号"
    )
    detection = detect_place(title="", text=text, gazetteer=gaz)
    assert names(detection) == ("苏州市", "江苏省")
    assert detection.city_evidence == "城市取自正文：苏州（提及2次）"


def test_it_finds_the_city_in_a_traditional_title(gaz):
    detection = detect_place(
        title="蘭州市出臺高層次人才引進辦法",
        text="近日，蘭州市人社局發布新政。\n甘肅省委組織部表示支持。",
        gazetteer=gaz,
    )
    assert names(detection) == ("兰州市", "甘肃省")
    assert detection.city_evidence == "城市取自标题：蘭州市"


@pytest.mark.parametrize(
    ("title", "text", "city", "slug"),
    [
        (
            "泰州出台人才新政",
            "泰州市人社局表示，江苏省将支持泰州建设人才高地。",
            "泰州市",
            "taizhou-jiangsu",
        ),
        (
            "台州出台人才新政",
            "台州市人社局表示，浙江省将支持台州建设人才高地。",
            "台州市",
            "taizhou-zhejiang",
        ),
        (
            "臺州出臺人才新政",
            "臺州市人社局表示，浙江省將支持臺州建設人才高地。",
            "台州市",
            "taizhou-zhejiang",
        ),
    ],
)
def test_the_two_taizhou_cities_keep_their_own_province_and_slug(gaz, title, text, city, slug):
    detection = detect_place(title=title, text=text, gazetteer=gaz)
    assert (detection.city.name, detection.city.slug) == (city, slug)
    assert detection.province.name == {"泰州市": "江苏省", "台州市": "浙江省"}[city]


@pytest.mark.parametrize(
    ("text", "city", "province"),
    [
        ("鼓楼区人才新政发布。福建省人社厅表示，鼓楼区将建人才公寓。", "福州市", "福建省"),
        ("鼓楼区人才新政发布。河南省人社厅表示，鼓楼区将建人才公寓。", "开封市", "河南省"),
        ("朝阳区出台人才新政，吉林省长春市朝阳区人社局介绍。", "长春市", "吉林省"),
        ("朝阳区出台人才新政，北京市朝阳区人社局介绍。", "北京市", "北京市"),
    ],
)
def test_a_district_name_shared_by_several_cities_follows_the_province_context(
    gaz, text, city, province
):
    assert names(detect_place(title="", text=text, gazetteer=gaz)) == (city, province)


def test_an_ambiguous_district_without_context_decides_nothing(gaz):
    detection = detect_place(title="鼓楼区人才新政", text="鼓楼区将建人才公寓。", gazetteer=gaz)
    assert names(detection) == (None, None)


def test_a_county_level_city_that_dominates_is_the_city(gaz):
    detection = detect_place(
        title="昆山市人才新政解读",
        text="昆山市近日出台人才新政。\n昆山将每年投入10亿元。\n苏州市人社局表示支持。",
        gazetteer=gaz,
    )
    assert names(detection) == ("昆山市", "江苏省")
    assert detection.city_evidence == "城市取自标题：昆山市"


def test_a_district_counts_toward_its_prefecture(gaz):
    detection = detect_place(
        title="江陽區出臺人才新政",
        text="江陽區人民政府發布人才新政，龍馬潭區、納溪區也將跟進。",
        gazetteer=gaz,
    )
    assert names(detection) == ("泸州市", "四川省")
    assert detection.city_evidence == "城市取自标题：江陽區（属泸州市）"


def test_a_province_direct_county_city_is_reported_as_the_city(gaz):
    detection = detect_place(title="仙桃市人才新政", text="仙桃市出台措施。", gazetteer=gaz)
    assert names(detection) == ("仙桃市", "湖北省")


def test_a_provincial_report_has_a_province_and_no_city(gaz):
    text = (
        "全省人才工作会议召开。\n兰州、天水、酒泉等地人才总量稳步增长。\n"
        "兰州市新引进人才3000人，天水市2000人，酒泉市1500人，张掖市1000人。"
    )
    detection = detect_place(title="甘肃省人才工作综述", text=text, gazetteer=gaz)
    assert names(detection) == (None, "甘肃省")
    assert (detection.city_evidence, detection.province_evidence) == ("", "省份取自标题：甘肃省")


def test_a_province_speaking_of_itself_is_a_provincial_report(gaz):
    text = (
        "我省坚持人才强省战略，全省新引进人才10万人。\n"
        "成都市引进3万人，绵阳市引进1万人，德阳市引进5000人，宜宾市引进4000人。\n"
        "成都将建设人才公寓。四川省人社厅将继续推进。"
    )
    detection = detect_place(title="", text=text, gazetteer=gaz)
    assert names(detection) == (None, "四川省")
    assert detection.province_evidence == "省份取自正文：四川省（提及1次）"


def test_a_round_up_of_several_cities_names_no_city_and_no_province(gaz):
    detection = detect_place(
        title="多地出台人才新政：杭州、成都、武汉加码",
        text="杭州市发布购房补贴。成都市出台人才公寓办法。武汉市推出留汉计划。",
        gazetteer=gaz,
    )
    assert names(detection) == (None, None)


def test_one_naming_is_enough_when_the_author_says_our_city(gaz):
    text = "我市坚持人才优先发展。\n全市新引进人才5000人。\n德州市人力资源和社会保障局"
    assert names(detect_place(title="", text=text, gazetteer=gaz)) == ("德州市", "山东省")
    assert names(detect_place(title="", text="人才优先发展。\n德州市人社局", gazetteer=gaz)) == (
        None,
        None,
    )


def test_a_municipality_is_city_and_province(gaz):
    detection = detect_place(
        title="上海发布人才新政", text="上海市浦东新区率先试点。", gazetteer=gaz
    )
    assert names(detection) == ("上海市", "上海市")
    assert detection.city.level == "prefecture" and detection.province.level == "province"


def test_nothing_named_gives_nothing(gaz):
    detection = detect_place(title="人才工作综述", text="人才是第一资源。", gazetteer=gaz)
    assert detection == type(detection)(None, None, "", "")


# -- the headline and the issuer name the subject (issue 14) -------------------------


def test_the_headline_city_wins_over_a_city_the_body_names_ten_times_more(gaz):
    body = "\n".join(["阿瓦提县人民医院招聘医生1人，阿瓦提县提供住房。"] * 10)
    found = detect_place(title="关于选派绍兴市第七批援疆干部和人才的通知", text=body, gazetteer=gaz)
    assert names(found) == ("绍兴市", "浙江省")
    assert found.city_evidence.startswith("城市取自标题")


def test_without_a_city_in_the_headline_the_body_decides(gaz):
    body = "\n".join(["阿瓦提县人民医院招聘医生1人，阿瓦提县提供住房。"] * 10)
    found = detect_place(title="关于选派第七批援疆干部和人才的通知", text=body, gazetteer=gaz)
    assert names(found) == ("阿克苏地区", "新疆维吾尔自治区")


def test_the_issuers_city_comes_before_cities_merely_mentioned(gaz):
    body = "\n".join(["重庆市渝中区出台购房补助政策，重庆市人才可申请。"] * 5)
    found = detect_place(
        title="人才购房补贴比较", text=body, gazetteer=gaz, issuer="无锡市人民政府"
    )
    assert names(found) == ("无锡市", "江苏省")
    assert "发文机关" in found.city_evidence


def test_a_district_issuer_maps_to_its_city(gaz):
    found = detect_place(
        title="", text="各相关企业：", gazetteer=gaz, issuer="北京市海淀区人民政府"
    )
    assert names(found) == ("北京市", "北京市")


def test_the_lede_names_the_subject_of_a_story_about_two_cities(gaz):
    text = (
        "5月11日，无锡人才公众号发布，梁溪区出台了人才购房实施办法，给予最高1000万元购房补贴。\n"
        "此前的5月7日，重庆市渝中区发布系列人才政策，在渝中区购房的人才可享受补助。\n"
        "无锡和重庆的做法引发讨论。"
    )
    assert names(detect_place(title="购房补贴抢人，然后呢？", text=text, gazetteer=gaz)) == (
        "无锡市",
        "江苏省",
    )


def test_a_city_written_with_its_district_counts_as_one_reference(gaz):
    found = weights(gaz, "重庆市渝中区发布政策。")
    assert found == [("重庆市", 0.5, "连写地名"), ("渝中区", 0.5, "连写地名")]


def test_the_city_in_the_title_outweighs_another_city_the_body_names_more_often(gaz):
    # A 兰州 story measuring itself against 西安: the body names 西安 four times and
    # 兰州 not at all ("市人社局"); the headline alone makes 兰州 the subject, because
    # one title mention weighs TITLE_WEIGHT body mentions (enough for MIN_SCORE).
    title = "兰州出台人才住房新政"
    text = (
        "市人社局近日发布人才住房新政，补贴标准全面提高。\n"
        "西安市去年发放购房补贴三千余份。\n"
        "西安市的人才公寓已建成五千套。\n"
        "在西安市落户的高校毕业生逐年增加。\n"
        "西安市还设立了人才服务专窗。\n"
    )
    detected = detect_place(title=title, text=text, gazetteer=gaz)
    assert names(detected) == ("兰州市", "甘肃省")
    assert detected.city_evidence.startswith("城市取自标题")
    # Without the title the body's own weight decides: the test can tell the two.
    assert names(detect_place(title="", text=text, gazetteer=gaz))[0] == "西安市"
