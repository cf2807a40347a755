"""Whole-document metadata on realistic reports of kinds the seeds do not cover."""

from datetime import date

from archive.ingest.metadata import (
    detect_date,
    detect_doc_type,
    detect_source,
    detect_title,
    strip_site_suffix,
)
from archive.ingest.types import PartialDate

TODAY = date(2025, 1, 1)


def detect_all(raw: str, clean: str | None = None, *, title_hint=None, hints=(), source=None):
    clean = raw if clean is None else clean
    title = detect_title(raw=raw, clean=clean, title_hint=title_hint)
    return {
        "title": title.value,
        "date": detect_date(raw=raw, clean=clean, date_hints=hints, today=TODAY).value,
        "source": detect_source(raw=raw, clean=clean, source_hint=source).value,
        "doc_type": detect_doc_type(title=title.value or "", clean=clean).value,
    }


GOV_NOTICE = """兰州市人民政府办公厅关于印发兰州市高层次人才引进实施办法的通知
兰政办发〔2023〕15号
各县、区人民政府，市政府各部门，各有关单位：
《兰州市高层次人才引进实施办法》已经市政府同意，现印发给你们，请认真贯彻执行。
兰州市人民政府办公厅
二〇二三年三月一日
（此件公开发布）
兰州市高层次人才引进实施办法
第一条 为深入实施人才强市战略，加快集聚高层次人才，结合我市实际，制定本办法。
第二条 本办法所称高层次人才，是指符合本办法认定标准的各类人才。
第三条 本办法自2023年4月1日起施行。"""


def test_a_gov_policy_notice_with_a_chinese_numeral_signature_date():
    assert detect_all(GOV_NOTICE) == {
        "title": "兰州市人民政府办公厅关于印发兰州市高层次人才引进实施办法的通知",
        "date": PartialDate(date(2023, 3, 1), "day"),
        "source": "兰州市人民政府办公厅",
        "doc_type": "policy_document",
    }


NEWS_RAW = """首页 > 新闻中心 > 本地新闻
兰州新区出台十条措施吸引高校毕业生
来源：兰州日报 发布时间：2023-05-06 09:30 作者：王某某
近日，兰州新区印发《关于进一步吸引高校毕业生来新区就业创业的若干措施》，从住房、补贴等方面推出十条措施。
根据措施，新引进的博士研究生每人每月可领取生活补贴3000元，最长发放三年。
新区相关负责人介绍，2020年9月以来，新区已累计引进各类人才1.2万人。
责任编辑：李某"""

NEWS_CLEAN = "\n".join(NEWS_RAW.split("\n")[1:2] + NEWS_RAW.split("\n")[3:6])


def test_a_news_article_with_a_labelled_source_and_publication_time():
    assert detect_all(NEWS_RAW, NEWS_CLEAN) == {
        "title": "兰州新区出台十条措施吸引高校毕业生",
        "date": PartialDate(date(2023, 5, 6), "day"),
        "source": "兰州日报",
        "doc_type": "news",
    }


CPPCC_REPLY = """关于市政协十四届二次会议第123号提案的答复
民盟兰州市委：
你们提出的《关于加强青年人才引进的提案》收悉，现答复如下：
一、关于完善青年人才引进政策。我局会同相关部门修订了青年人才引进办法，提高了生活补贴标准。
二、关于加强人才住房保障。近三年全市筹集人才公寓4000余套，今年将再新增1000套。
感谢你们对人力资源和社会保障工作的关心和支持。
兰州市人力资源和社会保障局
2023年7月10日
（联系人：张某，电话：0931-1234567）"""


def test_a_cppcc_proposal_reply_with_its_own_headline():
    assert detect_all(CPPCC_REPLY) == {
        "title": "关于市政协十四届二次会议第123号提案的答复",
        "date": PartialDate(date(2023, 7, 10), "day"),
        "source": "兰州市人力资源和社会保障局",
        "doc_type": "proposal_reply",
    }


def test_a_headless_reply_is_titled_after_the_numbered_proposal_it_answers():
    text = "王某某委员：\n您提出的第123号提案收悉，现答复如下：\n一、关于人才住房。已筹集人才公寓。"
    title = detect_title(raw=text, clean=text, title_hint=None)
    assert title.value == "关于第123号提案的答复"


def test_a_traditional_headless_reply_gets_a_traditional_title():
    text = (
        "孫孝萍代表:\n您提出的《關於強化瀘州人才支撐的建議》收悉，現答復如下:\n一、工作開展情況。"
    )
    assert detect_title(raw=text, clean=text, title_hint=None).value == (
        "關於《關於強化瀘州人才支撐的建議》的答復"
    )


TRADITIONAL_PRESS = """瀘州市人才工作新聞發布會實錄
主持人：各位記者朋友，大家上午好！歡迎出席今天的新聞發布會。
記者：瀘州在吸引高校畢業生回瀘就業方面有哪些舉措？
市人社局：我們出臺了就業創業補助資金管理辦法，為招引返鄉大學生就業的企業給予補助。
記者：人才公寓建設進展如何？
市住建局：目前全市已建成人才公寓6000餘套，青年人才驛站300套。"""


def test_a_traditional_press_conference_transcript():
    result = detect_all(TRADITIONAL_PRESS)
    assert (result["title"], result["doc_type"]) == (
        "瀘州市人才工作新聞發布會實錄",
        "press_conference",
    )


def test_a_transcript_without_a_press_title_is_recognised_by_its_questions():
    body = TRADITIONAL_PRESS.split("\n", 1)[1]
    detected = detect_doc_type(title="瀘州市人才工作情況介紹", clean=body)
    assert detected.value == "press_conference"


def test_a_work_report_by_its_title():
    text = "兰州市2023年人才工作总结\n2023年，全市人才工作取得新进展，全年引进各类人才2.3万人。"
    assert detect_doc_type(title="兰州市2023年人才工作总结", clean=text).value == "work_report"


def test_a_news_story_about_a_policy_is_news_not_a_policy_document():
    title = "我市出台《关于加快人才集聚的实施意见》"
    clean = "\n".join(
        [
            title,
            "日前，市委、市政府印发《关于加快人才集聚的实施意见》，提出二十条具体措施。",
            "意见明确，对新引进的顶尖人才给予最高500万元安家补贴，并提供人才公寓。",
            "市委组织部相关负责人表示，意见的出台将进一步优化我市人才发展环境。",
        ]
    )
    assert detect_doc_type(title=title, clean=clean).value == "news"


def test_a_short_list_without_prose_is_other():
    clean = "2023年人才公寓分配名单\n张某某 博士\n李某某 硕士\n王某某 高级技师"
    assert detect_doc_type(title="2023年人才公寓分配名单", clean=clean).value == "other"


def test_html_titles_lose_site_suffixes_of_any_shape():
    assert strip_site_suffix("兰州出台人才新政 - 中国政府网") == "兰州出台人才新政"
    assert strip_site_suffix("兰州出台人才新政_新闻_每日甘肃网") == "兰州出台人才新政"
    assert strip_site_suffix("兰州出台人才新政|新浪新闻") == "兰州出台人才新政"
    assert strip_site_suffix("兰州出台人才新政--人民网") == "兰州出台人才新政"
    assert strip_site_suffix("人民网 | 兰州出台人才新政") == "兰州出台人才新政"


def test_a_title_hint_that_is_only_a_site_name_is_not_the_title():
    title = detect_title(
        raw="兰州出台人才新政\n正文。", clean="兰州出台人才新政\n正文。", title_hint="甘肃"
    )
    assert (title.value, title.extra["rule"]) == ("兰州出台人才新政", "first_line")


def test_a_salutation_is_never_a_title():
    text = "孙某某代表：\n您提出的建议收悉，现答复如下。\n"
    assert detect_title(raw=text, clean=text, title_hint=None).value is None


def test_the_outlet_in_a_dateline_is_the_source():
    raw = "人才新政速览\n2024-03-02 08:15:20 来自：甘肃日报客户端\n正文第一段。"
    detected = detect_source(raw=raw, clean=raw, source_hint=None)
    assert detected.value == "甘肃日报客户端"


def test_a_reprint_notice_names_the_site():
    raw = "正文第一段。\n凡注明来源为“中国甘肃网”的作品，版权均属中国甘肃网所有。"
    assert detect_source(raw=raw, clean="正文第一段。", source_hint=None).value == "中国甘肃网"


def test_a_hosting_sites_name_yields_to_the_outlet_in_the_byline():
    raw = "呼和浩特市深化改革“环境留才”\n2024年09月28日 09:16 内蒙古新闻网-《内蒙古日报\n正文。"
    detected = detect_source(raw=raw, clean=raw, source_hint="新浪新闻", site_hint="新浪新闻")
    assert (detected.value, detected.extra["rule"]) == ("内蒙古新闻网", "byline")


def test_a_hosting_sites_name_is_used_when_the_text_names_no_one():
    raw = "呼和浩特市深化改革“环境留才”\n正文。"
    detected = detect_source(raw=raw, clean=raw, source_hint="新浪新闻", site_hint="新浪新闻")
    assert (detected.value, detected.extra["rule"]) == ("新浪新闻", "site_meta")


def test_a_page_title_is_taken_in_the_clean_texts_spelling():
    hint = "瀘州市人力資源和社會保障局關(guān)于對市九屆人大三次會議建議答復(fù)的函_泸州市人民政府"
    clean = "瀘州市人力資源和社會保障局關于對市九屆人大三次會議建議答復的函\n孫孝萍代表:"
    detected = detect_title(raw=clean, clean=clean, title_hint=hint)
    assert detected.value == "瀘州市人力資源和社會保障局關于對市九屆人大三次會議建議答復的函"
    assert detected.extra["rule"] == "page_title"


def test_a_question_headline_is_a_headline_but_a_sentence_is_not():
    text = "人才为何愿意留在兰州？\n近年来，兰州市持续优化人才发展环境。"
    assert detect_title(raw=text, clean=text, title_hint=None).value == "人才为何愿意留在兰州？"
    prose = "近年来，兰州市持续优化人才发展环境。\n人才总量不断提升。"
    assert detect_title(raw=prose, clean=prose, title_hint=None).value is None


def test_a_news_story_quoting_a_policys_commencement_is_still_news():
    title = "我市印发《高层次人才引进实施办法》"
    clean = "\n".join(
        [
            title,
            "近日，市政府印发《高层次人才引进实施办法》，明确了五类人才的认定标准和待遇。",
            "办法规定，顶尖人才可享受最高500万元安家补贴，本办法自2023年4月1日起施行。",
            "市人社局相关负责人表示，办法的实施将进一步增强我市对人才的吸引力。",
        ]
    )
    assert detect_doc_type(title=title, clean=clean).value == "news"


def test_a_government_breadcrumb_names_the_portal():
    raw = "您现在的位置：首页 > 兰州市人民政府 > 政务公开\n兰州出台人才新政\n正文。"
    detected = detect_source(raw=raw, clean="兰州出台人才新政\n正文。", source_hint=None)
    assert (detected.value, detected.extra["rule"]) == ("兰州市人民政府", "breadcrumb")


def test_a_source_label_glued_to_the_publication_time_is_cut_at_the_next_label():
    raw = "兰州出台人才新政\n来源：兰州日报发布时间：2023-05-06\n正文。"
    assert detect_source(raw=raw, clean=raw, source_hint=None).value == "兰州日报"


def _gazetteer():
    from archive.gazetteer import Gazetteer

    return Gazetteer.load_default()


def test_a_policy_document_signed_by_no_one_is_its_headlines_jurisdictions():
    text = "2025年海淀区留学回国人才引进支持申请相关要求\n一、申报范围\n申报单位应在本区注册。"
    detected = detect_source(
        raw=text,
        clean=text,
        source_hint=None,
        title=text.split("\n")[0],
        policy=True,
        gazetteer=_gazetteer(),
    )
    assert (detected.value, detected.extra["rule"]) == ("海淀区", "headline_jurisdiction")
    assert detected.evidence.startswith("推断")


def test_a_news_headline_naming_a_city_is_not_a_source():
    text = "2025年海淀区人才活动周开幕\n活动现场人头攒动。"
    detected = detect_source(
        raw=text,
        clean=text,
        source_hint=None,
        title=text.split("\n")[0],
        policy=False,
        gazetteer=_gazetteer(),
    )
    assert detected.value is None


def test_a_story_without_a_byline_is_sourced_to_the_body_acting_in_its_lede():
    text = (
        "好消息！人才基金正式成立。\n"
        "根据《深圳市人民政府关于促进人才发展的意见》，"
        "在珠海市委组织部的统一部署下，珠海市金融工作局启动了基金工作。"
    )
    detected = detect_source(raw=text, clean=text, source_hint=None, gazetteer=_gazetteer())
    assert (detected.value, detected.extra["rule"]) == ("珠海市委组织部", "lede_body")


def test_a_labelled_source_outranks_the_body_in_the_lede():
    text = "在珠海市委组织部的统一部署下，基金成立。\n来源：珠海特区报"
    detected = detect_source(raw=text, clean=text, source_hint=None, gazetteer=_gazetteer())
    assert detected.value == "珠海特区报"
