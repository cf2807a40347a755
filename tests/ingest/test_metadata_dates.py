"""Date parsing and the order in which date evidence is trusted."""

from datetime import date

import pytest

from archive.ingest.metadata import detect_date, find_dates, parse_date_hint
from archive.ingest.types import PartialDate

TODAY = date(2025, 1, 1)


def day(y: int, m: int, d: int) -> PartialDate:
    return PartialDate(date(y, m, d), "day")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2024年6月18日", day(2024, 6, 18)),
        ("2024年09月28日 09:16 内蒙古新闻网", day(2024, 9, 28)),
        ("发布时间：2024-06-18 10:22:13", day(2024, 6, 18)),
        ("2024/6/18", day(2024, 6, 18)),
        ("2024.06.18", day(2024, 6, 18)),
        ("二〇二四年六月十八日", day(2024, 6, 18)),
        ("二○二三年十二月三十一日", day(2023, 12, 31)),
        ("二〇二三年三月一日", day(2023, 3, 1)),
        ("二〇二三年十月二十日", day(2023, 10, 20)),
        ("２０２４年６月１８日", day(2024, 6, 18)),
        ("2024 年 6 月 18 号", day(2024, 6, 18)),
        ("2024年6月", PartialDate(date(2024, 6, 1), "month")),
        ("二〇二四年六月", PartialDate(date(2024, 6, 1), "month")),
        ("2024年", PartialDate(date(2024, 1, 1), "year")),
    ],
)
def test_it_reads_the_date_forms_chinese_reports_use(line, expected):
    assert find_dates(line, today=TODAY)[0][0] == expected


@pytest.mark.parametrize(
    "line",
    [
        "2024-02-30",  # no such day
        "2023年2月29日",  # not a leap year
        "2024年13月1日",
        "2025-06-18",  # after "today"
        "12月17日上午",  # no year
        "职业技能提升三年行动实施方案(2019-2021年)",  # a range, not a date
        "1.5786亿元",
    ],
)
def test_it_rejects_impossible_future_and_yearless_dates(line):
    assert [d for d, _ in find_dates(line, today=TODAY) if d.precision != "year"] == []


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ("2024-09-28T09:16:00+08:00", day(2024, 9, 28)),
        ("2024-06-20 16:30", day(2024, 6, 20)),
        ("20240618", day(2024, 6, 18)),
        ("20240618093000", day(2024, 6, 18)),
        ("2024-06", PartialDate(date(2024, 6, 1), "month")),
        ("2024年6月18日", day(2024, 6, 18)),
        ("not a date", None),
        ("2099-01-01", None),
    ],
)
def test_it_parses_meta_date_hints(hint, expected):
    assert parse_date_hint(hint, today=TODAY) == expected


def detect(raw: str, clean: str | None = None, hints: tuple[str, ...] = ()):
    return detect_date(
        raw=raw, clean=raw if clean is None else clean, date_hints=hints, today=TODAY
    )


NOTICE = """兰州市人民政府办公厅关于印发兰州市高层次人才引进实施办法的通知
兰政办发〔2023〕15号
各县、区人民政府，市政府各部门，各有关单位：
《兰州市高层次人才引进实施办法》已经市政府同意，现印发给你们，请认真贯彻执行。
兰州市人民政府办公厅
二〇二三年三月一日
（此件公开发布）
兰州市高层次人才引进实施办法
第一条 为深入实施人才强市战略，2020年9月起本市推出人才政策升级版，制定本办法。
第二条 本办法自2023年4月1日起施行。"""


def test_a_signature_date_over_an_attached_policy_beats_everything_else():
    detected = detect(NOTICE, hints=("2023-03-06 10:00",))
    assert detected.value == day(2023, 3, 1)
    assert detected.extra == {"rule": "signature", "body": "兰州市人民政府办公厅"}


def test_a_signature_date_alone_at_the_end_needs_no_body_line():
    text = "关于人才公寓分配的说明\n经研究，现将有关事项说明如下。\n特此说明。\n2024年6月\n"
    detected = detect(text)
    assert detected.value == PartialDate(date(2024, 6, 1), "month")
    assert detected.extra["rule"] == "signature"


def test_a_signature_with_body_and_date_on_one_line_counts():
    text = (
        "关于做好人才服务的通知\n各单位：\n请认真落实。\n德州市人力资源和社会保障局 2021年7月15日"
    )
    assert detect(text).value == day(2021, 7, 15)


def test_meta_dates_beat_bylines():
    raw = "市人才新政发布\n来源：兰州日报 发布时间：2023-05-06 09:30\n正文。"
    detected = detect(raw, hints=("2023-05-05T20:00:00+08:00",))
    assert (detected.value, detected.extra["rule"]) == (day(2023, 5, 5), "meta")


def test_an_unparseable_meta_hint_falls_through_to_the_byline():
    raw = "市人才新政发布\n2023-05-06 09:30 来源：兰州日报\n正文。"
    assert detect(raw, hints=("yesterday",)).value == day(2023, 5, 6)


def test_a_labelled_publication_date_is_taken_even_above_the_headline():
    raw = "发布日期：2023年05月06日 浏览次数：1024\n兰州出台人才新政\n正文第一段。"
    detected = detect(raw, clean="兰州出台人才新政\n正文第一段。")
    assert (detected.value, detected.extra["rule"]) == (day(2023, 5, 6), "label")


def test_a_date_in_the_first_paragraph_of_prose_is_not_a_byline():
    raw = "兰州出台人才新政\n2024年6月5日，市人社局召开会议，部署全年人才引进工作。\n正文。"
    assert detect(raw).value is None


def test_dates_in_body_prose_are_never_publication_dates():
    raw = "兰州出台人才新政\n我市于2020年9月推出人才政策升级版。\n2021年全市引进人才2.35万人。"
    detected = detect(raw)
    assert detected.value is None
    assert "no date" in detected.evidence


def test_a_bare_date_line_under_the_headline_is_a_byline():
    assert detect("兰州出台人才新政\n2023-05-06\n正文第一段，很长。").value == day(2023, 5, 6)


def test_an_impossible_byline_date_is_skipped():
    assert detect("兰州出台人才新政\n2024-02-30 10:00 兰州新闻网\n正文。").value is None


def test_a_future_signature_date_is_rejected():
    detected = detect("关于人才工作的说明\n正文。\n兰州市委组织部\n2025年6月18日", clean=None)
    assert detected.value is None


def test_a_header_date_above_the_headline_is_only_a_fallback():
    raw = "某某资讯网\n2022-12-09 12:01:11\n兰州出台人才新政\n正文第一段。"
    detected = detect(raw, clean="兰州出台人才新政\n正文第一段。")
    assert (detected.value, detected.extra["rule"]) == (day(2022, 12, 9), "header")
    assert detect(raw, clean="兰州出台人才新政\n正文第一段。", hints=("2019-12-17",)).value == (
        day(2019, 12, 17)
    )


def test_an_event_time_is_not_a_publication_date():
    raw = "关于举办高层次人才洽谈会的通知\n活动时间：2024年7月1日 9:00\n时间：2024年7月1日\n正文。"
    assert detect(raw).value is None


def test_a_bare_time_label_counts_on_a_byline_that_names_its_source():
    raw = "兰州出台人才新政\n时间：2023-05-06 来源：兰州日报 浏览：1024\n正文第一段，很长。"
    assert detect(raw).extra["rule"] == "label"


def test_a_publication_label_glued_to_the_source_is_still_a_label():
    raw = "兰州出台人才新政\n来源：兰州日报发布时间：2023-05-06\n正文第一段，很长。"
    assert (detect(raw).value, detect(raw).extra["rule"]) == (day(2023, 5, 6), "label")
