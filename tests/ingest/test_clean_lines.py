"""The line rules of the cleaning stage, one kind of site chrome at a time.

Each test feeds a real line from a seed (or the same kind of line from another
site) next to a real body sentence, and asserts the exact clean text and which
rule removed what.
"""

import pytest

from archive.ingest.clean import clean_text

BODY = "12月17日上午,省政府新闻办举行新闻发布会,介绍兰州市深入实施人才优先发展战略的成效。"
LATER = "参加今天新闻发布会的有中央驻甘、香港驻甘、省市30多家媒体的记者朋友们,欢迎大家的到来。"


def removals(text: str) -> list[tuple[str, str]]:
    return [(r.rule, r.text) for r in clean_text(text).removed]


def only_body_left(chrome: str) -> bool:
    return clean_text(f"{BODY}\n{chrome}\n{LATER}").text == f"{BODY}\n{LATER}"


@pytest.mark.parametrize(
    "line",
    [
        "分享到:",
        "分享到：微信 微博 QQ空间",
        "微信 微博 朋友圈",
        "扫一扫在手机打开当前页",
        "【打印本页】【关闭窗口】",
        "字号：大 中 小",
        "【字体：大 中 小】",
        "打开APP阅读全文",
        "返回顶部",
        "[打印] [关闭]",
        "【纠错】",
        "长按识别二维码关注我们",
    ],
)
def test_share_print_and_font_size_bars_are_dropped(line):
    assert only_body_left(line)
    assert removals(f"{BODY}\n{line}") == [("drop_share_and_print_bars", line)]


def test_a_sentence_that_tells_readers_to_scan_a_code_is_kept():
    text = f"{BODY}\n符合条件的人才可扫一扫二维码,在线申报购房补贴。"
    assert clean_text(text).text == text


@pytest.mark.parametrize(
    "line",
    [
        "B体育您当前的位置 :每日甘肃网甘肃新闻发布厅发布实录深入实施人才优先发展战略",
        "当前位置：首页 > 政务公开 > 工作动态",
        "首页 > 新闻中心 > 本地新闻",
        "您现在的位置：首頁 > 新聞動態",
        "人民网>>地方>>甘肃",
    ],
)
def test_breadcrumb_trails_are_dropped(line):
    assert only_body_left(line)


@pytest.mark.parametrize(
    "line",
    [
        "上一篇:荆州高新区举办第二期企业家人才沙龙活动",
        "下一篇:我市大力引进培养“高精尖缺”人才",
        "【上一篇】兰州新区人才公寓交付使用",
        "下一条：没有了",
        "1 2 3 下一页",
        "第1页 共3页",
    ],
)
def test_previous_next_and_page_links_are_dropped(line):
    assert only_body_left(line)


def test_a_number_alone_on_a_line_inside_the_body_is_kept():
    text = f"{BODY}\n15472\n{LATER}"  # e.g. a table cell the extractor put on its own line
    assert clean_text(text).text == text


@pytest.mark.parametrize("line", ["[责任编辑：李四]", "来源：内蒙古日报", "（编辑：王五）"])
def test_bracketed_credit_tags_and_source_lines_are_dropped(line):
    assert only_body_left(line)


@pytest.mark.parametrize("line", ["编辑:贾小燕", "责任编辑：王五", "責任編輯：陳六"])
def test_an_editors_own_credit_line_stays_with_the_article(line):
    assert clean_text(f"{BODY}\n{line}").text == f"{BODY}\n{line}"


def test_an_editor_credit_closing_the_last_paragraph_is_cut_off_it():
    result = clean_text("谱写出新时代人才工作华彩篇章。（责任编辑：李四）")
    assert result.text == "谱写出新时代人才工作华彩篇章。"
    assert [r.text for r in result.removed] == ["（责任编辑：李四）"]


def test_the_reporter_credit_inside_the_last_paragraph_is_kept():
    text = "在全方位推动运城高质量发展之路上释放磅礴力量。 (记者 杨红义 杨 琳)"
    assert clean_text(text).text == text


def test_speaker_labels_in_a_press_conference_transcript_are_kept():
    text = (
        "记者:兰州市在技能人才培养上取得了哪些成效,还有哪些新的举措?\n"
        "方书英:下面,从我市近年来技能人才队伍建设的情况看,全市上下通过“七抓”助推了技能人才的培训。"
    )
    assert clean_text(text).text == text


@pytest.mark.parametrize(
    "line",
    [
        "2022-12-09 12:01:11",
        "网络编辑 运城 2023-02-06 10:22:13 0 人才 我市 运城",
        "2024年09月28日 09:16 内蒙古新闻网-《内蒙古日报",
        "发布时间：2024-06-18  来源：市人社局  浏览次数：1234",
        "索引号：11510500MB1234567X/2024-00123",
        "时间：2024-06-18  来源：泸州市人社局",
        "关键词：人才 政策 公寓",
        "2024-06-18 来源：泸州日报",
    ],
)
def test_datelines_bylines_and_page_metadata_are_dropped(line):
    assert only_body_left(line)
    assert removals(f"{BODY}\n{line}") == [("drop_bylines_and_timestamps", line)]


def test_a_body_sentence_with_a_date_and_a_time_is_kept():
    text = f"{BODY}\n发布会于2024年9月28日 09:30在市人社局举行,共有30多家媒体参加。"
    assert clean_text(text).text == text


def test_the_time_and_place_of_a_job_fair_are_kept():
    text = f"{BODY}\n时间：2024年6月18日 9:00-12:00\n地点：市人才市场\n{LATER}"
    assert clean_text(text).text == text


@pytest.mark.parametrize(
    "line",
    [
        "留言与评论(共有 条评论)",
        "验证码:",
        "发表评论",
        "请文明上网，理性发言",
        "如已完成請點擊”已登錄“",
    ],
)
def test_comment_boxes_and_login_prompts_are_dropped(line):
    assert only_body_left(line)


def test_an_instruction_to_log_in_to_a_service_portal_is_kept():
    text = f"{BODY}\n1.登录“泸州人才网”注册账号\n2.在线填写申报表"
    assert clean_text(text).text == text


@pytest.mark.parametrize("line", ["举报邮箱:jubao@vip.sina.com", "违法和不良信息举报电话：12377"])
def test_report_abuse_contacts_are_dropped(line):
    assert only_body_left(line)


@pytest.mark.parametrize(
    "line",
    [
        "本文地址:http://www.shanxidayuan.com/gsyl/yuncheng/6635.html",
        "https://example.cn/a/1.html",
        "本文转自人民网",
    ],
)
def test_article_address_lines_and_bare_urls_are_dropped(line):
    assert only_body_left(line)


@pytest.mark.parametrize(
    "line", ["首页 | 机构概况 | 政务公开 | 办事服务 | 互动交流", "联系我们｜网站地图｜使用帮助"]
)
def test_menu_bars_are_dropped(line):
    assert only_body_left(line)


def test_a_section_heading_with_spaces_where_quotes_were_is_kept():
    text = f"一把手 抓 第一资源\n{BODY}"  # 001: the page lost its quotation marks
    assert clean_text(f"标题\n{text}").text == f"标题\n{text}"


@pytest.mark.parametrize(
    "line",
    [
        "Copyright © 1996-2024 SINA Corporation",
        "All Rights Reserved 新浪公司 版权所有",
        "网站标识码：5105000001  蜀ICP备05012345号",
        "版权声明：本文转载自市人社局",
    ],
)
def test_copyright_and_registration_lines_are_dropped_wherever_they_are(line):
    assert only_body_left(line)


@pytest.mark.parametrize(
    "line",
    [
        "下面小编带您看看这一好消息的重要意义！",  # dev 07
        "跟着小编一起来了解一下吧~",
        "小編為大家整理了申請要點：",
    ],
)
def test_an_editors_aside_to_the_reader_is_dropped(line):
    assert only_body_left(line)
    assert removals(f"{BODY}\n{line}") == [("drop_editor_asides", line)]


@pytest.mark.parametrize(
    "line",
    [
        "小编获悉，2024年起博士来兰工作可领取安家补贴30万元。",  # a figure: a fact, kept
        "据记者了解，本次发布会介绍了人才公寓的申请方式和办理流程，小编带您梳理其中的要点和注意事项。",
    ],
)
def test_a_sentence_with_a_fact_or_of_full_length_stays_whoever_speaks(line):
    assert clean_text(f"{BODY}\n{line}").text == f"{BODY}\n{line}"
