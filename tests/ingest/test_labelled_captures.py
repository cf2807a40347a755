"""The pipeline on the labelled real captures (fixtures/labelled/dev/raw, issue 14).

Each test asserts one hard case through ``process_document``: what a structural
rule must find or remove. They never name a site's menu strings: chrome is checked
through the labelled truth (fixtures/labelled/dev/truth.json) or by its shape.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from archive.ingest.pipeline import Processed, process_document

LABELLED = Path(__file__).resolve().parents[2] / "fixtures" / "labelled" / "dev"


@cache
def processed(name: str) -> Processed:
    return process_document((LABELLED / "raw" / name).read_bytes(), filename=name)


@cache
def truth() -> dict[str, dict]:
    rows = json.loads((LABELLED / "truth.json").read_text(encoding="utf-8"))
    return {row["file"]: row for row in rows}


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", sorted(truth()))
def test_every_labelled_body_sentence_survives_cleaning(name):
    text = squashed(processed(name).clean_text)
    lost = [s for s in truth()[name]["must_keep"] if squashed(s) not in text]
    assert lost == []


@pytest.mark.parametrize("name", ["01.html", "02.html", "03.html", "04.html"])
def test_a_school_cms_page_loses_its_menus_related_list_and_footer(name):
    text = squashed(processed(name).clean_text)
    left = [n for n in truth()[name]["noise"] if squashed(n) in text]
    assert left == []


def test_a_related_articles_list_with_dates_is_gone_by_link_density():
    # The "推荐阅读" block lists other notices as links with [MM-DD] dates.
    lines = processed("02.html").clean_text.split("\n")
    assert not [line for line in lines if re.search(r"\[\d{2}-\d{2}\]$", line)]


def test_front_matter_is_hints_never_text():
    result = processed("10.md")
    assert not re.search(r"^(?:headimg|thumbnail|comments|categories):", result.clean_text, re.M)
    assert result.date.value.isoformat() == "2022-05-14"  # "Sat, 14 May 2022 11:53:14 GMT"
    assert "appendQr" not in result.clean_text  # inline <style> text


def test_the_original_headline_restores_quotes_a_front_matter_title_lost():
    assert processed("11.md").title.value == "武汉PK郑州，谁是“中部人口第一城”"


def test_sql_rows_give_their_article_fields_without_syntax_ids_or_row_times():
    text = processed("16.txt").clean_text
    assert "INSERT INTO" not in text
    assert not re.search(r"QJZC\d+|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", text)
    assert processed("16.txt").date.value is None  # row timestamps are not publication dates


def test_the_doc_number_is_read_in_its_own_brackets():
    assert processed("12.html").doc_number.value == "京人社调发〔2018〕38号"
    assert processed("14.html").doc_number.value == "京政发﹝2009﹞14号"
    assert processed("01.html").doc_number.value == "绍市委人才办[2009]10号"


def test_a_doc_number_cited_in_prose_is_not_the_documents_own():
    # 06 cites 《中共广州市委、广州市人民政府关于…的决定》 but carries no 文号 line.
    assert processed("06.html").doc_number.value == ""


def test_the_headline_under_an_issuer_only_heading_is_the_title():
    assert processed("12.html").title.value == "关于印发《北京市引进人才管理办法(试行)》的通知"
    assert processed("12.html").issuer.value == "北京市人力资源和社会保障局"


def test_a_signature_date_in_chinese_numerals_is_read():
    result = processed("14.html")
    assert result.date.value.isoformat() == "2009-05-13"
    assert result.issuer.value == "北京市人民政府"


def test_official_documents_are_typed_by_their_frame():
    for name in ("01.html", "08.html", "12.html", "13.html", "14.html", "06.html"):
        assert processed(name).doc_type.value == "policy_document", name
    for name in ("05.html", "07.html", "09.html", "10.md", "11.md"):
        assert processed(name).doc_type.value == "news", name


def test_a_placeholder_source_gives_way_to_the_issuer():
    result = processed("01.html")
    assert result.source.value == "中共绍兴市委人才工作领导小组办公室"
    assert "本站原创" not in result.source.value


def test_a_notice_issued_in_one_city_about_work_in_another_is_filed_under_the_issuer():
    # 04 sends 绍兴 cadres to 阿瓦提县 (阿克苏地区), which its tables name far more often.
    assert processed("04.html").place.city.name == "绍兴市"


def test_a_district_issuer_files_the_report_under_its_city():
    result = processed("08.html")
    assert result.issuer.value == "深圳市宝安区经济促进局"
    assert result.place.city.name == "深圳市"


def test_a_page_naming_no_city_takes_the_city_of_its_site():
    assert processed("03.html").place.city.name == "绍兴市"


def test_word_html_form_tables_come_out_as_rows_not_a_character_a_line():
    lines = processed("01.html").clean_text.split("\n")
    assert not [line for line in lines if len(line.strip()) == 1]  # no 意 / 见 alone
    assert "姓 名 性别 出生年月 民族" in lines  # one row, its cells in order


@cache
def with_places(name: str) -> Processed:
    from archive.gazetteer import Gazetteer

    data = (LABELLED / "raw" / name).read_bytes()
    return process_document(data, filename=name, gazetteer=Gazetteer.load_default())


def test_a_district_guide_signed_by_no_one_is_sourced_to_its_district():
    source = with_places("15.html").source
    assert any(want in (source.value or "") for want in truth()["15.html"]["source_any"])
    assert source.extra["rule"] == "headline_jurisdiction"


def test_a_repost_without_a_byline_is_sourced_to_the_body_leading_its_story():
    source = with_places("07.html").source
    assert any(want in (source.value or "") for want in truth()["07.html"]["source_any"])
    assert source.extra["rule"] == "lede_body"


def test_a_body_named_only_in_a_cited_document_title_is_never_the_source():
    # 06's lede cites 《中共广州市委、广州市人民政府关于…的决定》: another document's issuers.
    assert with_places("06.html").source.value is None


def test_a_download_widgets_label_goes_and_the_attachment_titles_stay():
    lines = processed("08.html").clean_text.split("\n")
    assert not any(line.startswith("附件下载") for line in lines)
    # the titles the label stood before are what the notice attaches: kept
    assert any(line.startswith("1.") and line.endswith("申报表") for line in lines)


def test_a_documents_own_attachment_note_is_not_a_widget_label():
    from archive.ingest.clean import clean_text

    text = "特此通知。\n附件：1.申报表\n2.材料清单\n附件下载：3.工作方案"
    assert clean_text(text).text.split("\n") == [
        "特此通知。",
        "附件：1.申报表",
        "2.材料清单",
        "3.工作方案",
    ]


def test_an_outlets_app_slogan_closing_a_story_goes_but_the_same_words_mid_article_stay():
    from archive.ingest.clean import clean_text

    body = [f"第{n}段正文，讲述人才政策的具体内容。" for n in range(1, 15)]
    middle = "市人社局推出“人才码”手机客户端 欢迎下载人才服务APP"
    text = "\n".join([*body[:7], middle, *body[7:], "海量资讯、精准解读，尽在新浪财经APP"])
    lines = clean_text(text).text.split("\n")
    assert lines == [*body[:7], middle, *body[7:]]
