"""clean_text as a whole: what every report keeps, what the page around it loses.

Rule-by-rule tests live in test_clean_lines.py and test_clean_inline.py; this
module checks the pipeline's promises on the five real seeds and on page layouts
(headers, footers) from other kinds of sites.
"""

import dataclasses
import re

import pytest

from archive.ingest.clean import STEPS, CleanResult, Removal, clean_text
from tests.conftest import seed_path

SEEDS = ["000", "001", "002", "003", "004"]


def seed_text(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


def clean_seed(prefix: str) -> CleanResult:
    return clean_text(seed_text(prefix))


def removed_by(result: CleanResult, rule: str) -> list[str]:
    return [removal.text for removal in result.removed if removal.rule == rule]


BODY = "12月17日上午,省政府新闻办举行新闻发布会,介绍兰州市深入实施人才优先发展战略的成效。"


# --- the result type and the pipeline's promises ---------------------------------


def test_the_result_is_frozen_and_names_the_rule_behind_each_removal():
    result = clean_text("分享到:\n" + BODY)
    assert result == CleanResult(BODY, (Removal("drop_share_and_print_bars", "分享到:"),))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = ""  # type: ignore[misc]


def test_every_step_is_named_and_says_why_in_one_docstring_line():
    for step in STEPS:
        assert step.__doc__, step.__name__
        assert "\n" not in step.__doc__.strip(), step.__name__


def test_lines_lose_edge_spaces_including_full_width_ones_and_blank_lines_go():
    text = (
        "  12月17日上午,省政府新闻办举行新闻发布会。\n\n"
        "\u3000\u3000参加今天新闻发布会的有记者朋友们。\xa0\n \n"
    )
    assert clean_text(text).text == (
        "12月17日上午,省政府新闻办举行新闻发布会。\n参加今天新闻发布会的有记者朋友们。"
    )


def test_a_no_break_space_inside_a_headline_becomes_a_plain_space():
    assert clean_text("深度融合\xa0呼和浩特市深化改革\n" + BODY).text.split("\n")[0] == (
        "深度融合 呼和浩特市深化改革"
    )


@pytest.mark.parametrize("prefix", SEEDS)
def test_cleaning_a_seed_twice_gives_the_same_text(prefix):
    once = clean_seed(prefix).text
    assert clean_text(once).text == once


@pytest.mark.parametrize("prefix", SEEDS)
def test_cleaning_only_deletes_characters_it_never_adds_or_converts_any(prefix):
    source = iter(seed_text(prefix).replace("\xa0", " "))
    clean = clean_seed(prefix).text.replace("\n", "")
    assert all(ch in source for ch in clean)  # clean is a subsequence of the source


def test_traditional_text_stays_traditional():
    text = clean_seed("004").text
    assert "瀘州市人力資源和社會保障局" in text
    assert "泸州" not in text and "资源" not in text


# --- sentences each seed must keep --------------------------------------------------

MUST_KEEP = [
    ("000", "12月17日上午,省政府新闻办举行“深入实施人才优先发展战略"),
    ("000", "今天的新闻发布会到此结束,再次感谢今天的发布嘉宾。感谢各位媒体朋友,谢谢大家!"),
    ("000", "记者:兰州市在技能人才培养上取得了哪些成效"),
    ("001", "在全方位推动运城高质量发展之路上释放磅礴力量。 (记者 杨红义 杨 琳)"),
    (
        "001",
        "2022年,全市不断强化科教人才支撑,在推进创新驱动发展上拓展新局面,可谓捷报频传,喜讯连连。",
    ),
    ("002", "通过政府引导、多主体合作、多渠道供给的方式,筹集房源15472套"),
    ("002", "谱写出新时代人才工作华彩篇章。(草原云·内蒙古新闻网记者 郑学良)"),
    ("003", "市委组织部:\n九三学社德州市委:\n您提出的《关于全面占领人才引进高地"),
    ("003", "市人力资源和社会保障局:\n九三学社德州市委:\n贵委提出的"),
    ("004", "在市中心城區建設用地范圍內購買首套新建商品住房的,根據學歷最高給予25萬元補助,"),
    ("004", "力爭瀘州籍畢業生回瀘工作人數再上新臺階。\n瀘州市人力資源和社會保障局\n2024年6月18日"),
]


@pytest.mark.parametrize(("prefix", "passage"), MUST_KEEP)
def test_the_report_body_survives_word_for_word(prefix, passage):
    assert passage in clean_seed(prefix).text


HEADLINES = {
    "000": "深入实施人才优先发展战略 为兰州高质量发展提供更有力人才支撑新闻发布会实录(文+图)",
    "001": "厚植人才沃土 赋能高质量发展",
    "002": "【锚定现代化 改革再深化】创新链产业链人才链深度融合 呼和浩特市深化改革“环境留才”",
    "003": "市委组织部:",
    "004": "瀘州市人力資源和社會保障局關于對市九屆人大三次會議S09030288號建議答復的函",
}


@pytest.mark.parametrize("prefix", SEEDS)
def test_the_headline_is_the_first_line_and_appears_once(prefix):
    lines = clean_seed(prefix).text.split("\n")
    assert lines[0] == HEADLINES[prefix]
    assert lines.count(HEADLINES[prefix]) == 1


def test_the_closing_remarks_are_the_last_line_of_the_press_conference():
    last = clean_seed("000").text.split("\n")[-1]
    assert last.startswith("感谢孙主任的回答,记者问答环节就到这里。")


def test_every_numbered_point_of_the_reply_letters_survives():
    text = clean_seed("003").text
    for marker in ["一、", "二、", "三、", "(一)", "(二)", "(三)", "(四)", "一是", "二是", "三是"]:
        assert re.search(f"^{re.escape(marker)}", text, re.MULTILINE), marker
    assert text.count("九三学社德州市委:") == 2  # the same addressee in two letters, both kept


# --- what goes: headers ------------------------------------------------------------


def test_the_site_name_counter_and_byline_above_the_001_headline_go():
    text = (
        "大院网-山西大院资讯网\n\n \n\n0\n\n厚植人才沃土 赋能高质量发展\n\n"
        "网络编辑 运城 2023-02-06 10:22:13 0 人才\xa0我市\xa0运城\n\n"
        "2022年,全市不断强化科教人才支撑,在推进创新驱动发展上拓展新局面,可谓捷报频传,喜讯连连。"
    )
    result = clean_text(text)
    assert result.text.split("\n")[0] == "厚植人才沃土 赋能高质量发展"
    assert removed_by(result, "drop_header_site_names") == ["大院网-山西大院资讯网"]
    assert removed_by(result, "drop_stray_counters") == ["0"]
    assert removed_by(result, "drop_bylines_and_timestamps") == [
        "网络编辑 运城 2023-02-06 10:22:13 0 人才 我市 运城"
    ]


def test_the_app_banner_doubled_headline_and_dateline_of_002_leave_one_headline():
    title = "【锚定现代化 改革再深化】创新链产业链人才链深度融合 呼和浩特市深化改革“环境留才”"
    text = (
        f"新浪新闻客户端\n\n{title}\n\n{title}\n"
        "2024年09月28日 09:16 内蒙古新闻网-《内蒙古日报\n\n"
        "  “没想到梦想中的家一下子出现在眼前,今后就在这里安居,做一个乐业有为的青年!”"
    )
    result = clean_text(text)
    assert result.text == (
        f"{title}\n“没想到梦想中的家一下子出现在眼前,今后就在这里安居,做一个乐业有为的青年!”"
    )
    assert removed_by(result, "drop_repeated_lines") == [title]


def test_a_government_portal_header_goes_and_its_headline_stays():
    text = (
        "泸州市人民政府\n首页 | 机构概况 | 政务公开 | 办事服务 | 互动交流\n"
        "当前位置：首页 > 政务公开 > 工作动态\n泸州市出台人才安居新政\n"
        "发布时间：2024-06-18 10:30  来源：市人社局  浏览次数：1234\n字号：大 中 小\n"
        "　　为吸引更多高校毕业生来泸就业，市人社局近日出台人才安居新政，最高给予25万元购房补助。"
    )
    assert clean_text(text).text == (
        "泸州市出台人才安居新政\n"
        "为吸引更多高校毕业生来泸就业，市人社局近日出台人才安居新政，最高给予25万元购房补助。"
    )


def test_a_headline_that_ends_like_a_site_name_is_kept_when_nothing_else_is_above_the_body():
    assert clean_text(f"织密人才服务网\n{BODY}").text == f"织密人才服务网\n{BODY}"


def test_a_site_name_goes_when_the_headline_below_it_has_a_comma():
    title = "深入实施人才优先发展战略,为兰州高质量发展提供更有力的人才支撑"
    assert clean_text(f"新浪新闻客户端\n{title}\n{BODY}").text == f"{title}\n{BODY}"


def test_a_bare_date_goes_above_the_body_but_a_letters_own_date_below_it_stays():
    text = f"2024-06-18\n答复函\n{BODY}\n瀘州市人力資源和社會保障局\n2024年6月18日"
    assert clean_text(text).text == f"答复函\n{BODY}\n瀘州市人力資源和社會保障局\n2024年6月18日"


# --- what goes: footers --------------------------------------------------------------


def test_the_copyright_notes_and_prev_next_links_after_the_000_report_go():
    result = clean_seed("000")
    footer = removed_by(result, "drop_footer_block")
    assert footer[0].startswith("1、凡注有“每日甘肃网讯”")
    assert footer[-1].startswith("甘肃新媒体集团法律顾问:")
    assert removed_by(result, "drop_prev_next_links") == [
        "上一篇:荆州高新区举办第二期企业家人才沙龙活动",
        "下一篇:我市大力引进培养“高精尖缺”人才",
    ]


def test_the_001_footer_with_its_about_block_and_english_disclaimer_goes_entirely():
    result = clean_seed("001")
    assert result.text.split("\n")[-1].endswith("(记者 杨红义 杨 琳)")
    footer = removed_by(result, "drop_footer_block")
    assert footer[0] == "版权声明"
    assert "关于山西大院新闻网" in footer
    assert footer[-1].startswith("版权声明: 本站所有文章")


def test_a_government_site_footer_goes_from_the_sponsor_line_on():
    text = (
        f"{BODY}\n主办单位：泸州市人民政府办公室  承办单位：泸州市大数据中心\n"
        "网站标识码：5105000001  蜀ICP备05012345号  川公网安备 51050202000123号"
    )
    result = clean_text(text)
    assert result.text == BODY
    assert removed_by(result, "drop_footer_block")[0].startswith("主办单位：")


def test_a_related_stories_list_after_the_copyright_line_goes():
    text = f"{BODY}\n相关新闻\n成都高新区出台人才新政\n天府新区举办人才招聘会\n版权所有 成都日报社"
    assert clean_text(text).text == BODY


def test_a_report_paragraph_printed_after_a_disclaimer_is_not_lost():
    later = "二、下一步工作打算:我们将加快推进人才公寓建设,年内新增房源2000套,并兑现购房补贴。"
    result = clean_text(f"{BODY}\n版权声明：本文转载自市人社局\n{later}")
    assert result.text == f"{BODY}\n{later}"
    assert removed_by(result, "drop_copyright_lines") == ["版权声明：本文转载自市人社局"]


def test_a_last_sentence_that_asks_readers_to_contact_the_office_is_kept():
    last = "如有疑问,请联系我们。联系电话:0830-1234567。"
    assert clean_text(f"{BODY}\n{last}").text == f"{BODY}\n{last}"


def test_the_warm_reminder_and_login_prompt_closing_004_go_but_the_signature_stays():
    text = "瀘州市人力資源和社會保障局\n2024年6月18日\n溫馨提示\n如已完成請點擊”已登錄“"
    result = clean_text(f"{BODY}\n{text}")
    assert result.text == f"{BODY}\n瀘州市人力資源和社會保障局\n2024年6月18日"
    assert removed_by(result, "drop_comment_and_login_boxes") == ["如已完成請點擊”已登錄“"]
    assert removed_by(result, "drop_trailing_labels") == ["溫馨提示"]


def test_a_warm_reminder_heading_followed_by_content_is_kept():
    text = f"{BODY}\n温馨提示\n申报材料须于2024年6月30日前提交至市人才服务中心,逾期不予受理。"
    assert clean_text(text).text == text
