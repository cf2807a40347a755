"""The report page's reading aids, and the interface in Chinese and English."""

import re
from pathlib import Path

import pytest
from django.utils import timezone

from archive.models import Report

from . import test_browse_pages as shared
from .test_browse_pages import page, quiet

pytestmark = pytest.mark.django_db
seeded, seeds = shared.seeded, shared.seeds  # the five seeds, imported once per module

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
BROWSE_TEMPLATES = ["home", "city_list", "city_detail", "province_detail", "report_detail"]
BROWSE_PARTIALS = ["_chart", "_date", "_pagination", "_report_item", "_span"]
MY_TEMPLATES = [ROOT / "templates" / "base.html"] + [
    ROOT / "templates" / "archive" / f"{name}.html" for name in BROWSE_TEMPLATES + BROWSE_PARTIALS
]


def body_of(html: str) -> str:
    return html.split('<div class="report-body">', 1)[1].split("</article>", 1)[0]


def text_of(html: str) -> str:
    """The report body as a reader sees it: tags (figure marks, pilcrows) removed."""
    return re.sub(r"<[^>]+>", "", body_of(html))


# --- figures ----------------------------------------------------------------------------


def test_each_figure_is_marked_in_its_paragraph_and_listed_with_a_link(client, seeds):
    report = seeds["004"]
    figure = report.figures.get(text="25萬元")
    html = page(client, report.get_absolute_url())
    assert f'最高給予<mark class="figure" id="fig-{figure.ordinal}">25萬元</mark>補助' in body_of(
        html
    )
    assert f'<a href="#fig-{figure.ordinal}" title="{figure.sentence}">25萬元</a>' in html
    assert body_of(html).count('<mark class="figure"') == report.figures.count()


def test_markup_around_a_figure_is_escaped_piece_by_piece(client, seeds, tmp_path):
    evil = tmp_path / "evil.txt"
    evil.write_text(
        "兰州市人才工作新闻\n兰州市发布人才政策<b onclick=x>最高补助25万元</b>。", encoding="utf-8"
    )
    quiet("import_reports", str(evil))
    report = Report.objects.get(original_name__endswith="evil.txt")
    body = body_of(page(client, report.get_absolute_url()))
    assert "<b" not in body
    assert re.search(
        r'&lt;b onclick=x&gt;最高补助<mark class="figure" id="fig-\d+">25万元</mark>&lt;/b&gt;',
        body,
    )


# --- the 简/繁 toggle ----------------------------------------------------------------------


def test_a_traditional_report_shows_in_simplified_on_request_without_touching_the_stored_text(
    client, seeds
):
    report = seeds["004"]
    html = page(client, report.get_absolute_url(), script="simplified")
    assert '<h1 class="report-heading">泸州市人力资源和社会保障局关于对市九届人大三次会议' in html
    assert "根据学历最高给予25万元补助" in text_of(html)
    assert "根據" not in text_of(html)
    assert '<article class="report" lang="zh-Hans">' in html
    assert "显示为转换后的文字；原文为繁体。" in html
    assert '<a href="?script=traditional" lang="zh-Hant"' in html
    stored = Report.objects.get(pk=report.pk)
    assert "根據學歷最高給予25萬元補助" in stored.clean_text
    assert stored.title == report.title


def test_a_simplified_report_shows_in_traditional_on_request(client, seeds):
    html = page(client, seeds["000"].get_absolute_url(), script="traditional")
    assert "蘭州" in body_of(html)
    assert '<article class="report" lang="zh-Hant">' in html


@pytest.mark.parametrize("script", ["", "<script>", "simplified\x00", "x" * 3000, "TRADITIONAL"])
def test_an_odd_script_parameter_shows_the_stored_text(client, seeds, script):
    html = page(client, seeds["004"].get_absolute_url(), script=script)
    assert "根據學歷最高給予25萬元補助" in text_of(html)
    assert "<script>" not in html.split("</header>", 1)[1]


# --- metadata, citation, original ----------------------------------------------------


def test_the_metadata_shows_the_evidence_behind_each_value(client, seeds):
    html = page(client, seeds["004"].get_absolute_url())
    # the letter is signed by 瀘州市人力資源和社會保障局: its issuer names the city
    assert (
        '<small class="evidence">依据：城市取自发文机关：瀘州市人力資源和社會保障局</small>' in html
    )
    assert '<small class="evidence">依据：标题含“建議”和“答復”</small>' in html
    assert '<dt>发文机关</dt><dd><a href="/search/?issuer=' in html  # a search for it
    assert ">瀘州市人力資源和社會保障局</a>" in html
    assert '<a href="/cities/luzhou/">泸州市</a>' in html


def test_the_citation_names_title_source_date_archive_url_and_access_date(client, seeds):
    report = seeds["004"]
    html = page(client, report.get_absolute_url())
    today = timezone.localdate()
    accessed = f"{today.year}年{today.month}月{today.day}日"
    assert (
        f"瀘州市人力資源和社會保障局：《{report.title}》，2024年6月18日。人才政策档案库，"
        f"http://testserver/reports/{report.pk}/，访问于 {accessed}。"
    ) in html


def test_the_original_as_uploaded_and_its_download_are_on_the_page(client, seeds):
    report = seeds["004"]
    html = page(client, report.get_absolute_url())
    assert f'<a class="download" href="/reports/{report.pk}/original">下载原始文件</a>' in html
    assert "關(guān)" in html.split('<pre class="original-text">', 1)[1]
    assert "/work/" not in html.split('<section class="original"', 1)[1]  # no server paths


# --- Chinese and English ------------------------------------------------------------------


def test_the_interface_is_chinese_by_default(client, seeds):
    html = page(client, "/")
    assert '<html lang="zh-Hans">' in html
    assert "<title>人才政策档案库</title>" in html


def test_the_header_switches_language_with_a_post_form_that_works_without_javascript(client, seeds):
    html = page(client, "/cities/")
    form = re.search(
        r'<form class="language-switch" action="/i18n/setlang/" method="post">.*?</form>',
        html,
        re.S,
    )
    assert form
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    assert '<input type="hidden" name="next" value="/cities/">' in form.group(0)
    assert (
        '<button type="submit" name="language" value="en" lang="en">English</button>'
        in form.group(0)
    )

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/cities/"})
    assert response.status_code == 302 and response["Location"] == "/cities/"
    english = page(client, "/cities/")
    assert '<html lang="en">' in english
    assert "Filter cities" in english and "筛选城市" not in english
    assert "2 reports" not in english and "1 report" in english
    assert 'latest <time datetime="2024-06-18">June 18, 2024</time>' in english


def test_english_readers_see_dates_evidence_and_citation_in_english(client, seeds):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    report = seeds["004"]
    html = page(client, report.get_absolute_url())
    assert '<time datetime="2024-06-18">June 18, 2024</time>' in html
    assert '<small class="evidence">Evidence: proposal + reply in title</small>' in html
    assert (
        f"瀘州市人力資源和社會保障局, “{report.title}”, June 18, 2024. Talent Policy Archive"
        in html
    )
    assert "Distinctive keywords" in page(client, "/cities/dezhou/")
    assert "Reports by province" in page(client, "/")


def test_an_english_browser_gets_english(client, seeds):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Newest reports" in html


def test_every_message_has_an_english_translation():
    text = PO.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    assert len(entries) > 100
    untranslated = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""$', e, re.M)]
    assert untranslated == []
    assert "#, fuzzy" not in text


def test_the_compiled_messages_are_up_to_date():
    mo = PO.with_suffix(".mo")
    assert mo.exists(), "run `make messages` (compilemessages) first"
    assert mo.stat().st_mtime >= PO.stat().st_mtime, "run `make messages`: django.po changed"


@pytest.mark.parametrize("template", MY_TEMPLATES, ids=lambda p: p.name)
def test_no_chinese_text_in_a_template_is_left_outside_a_translation_tag(template):
    text = template.read_text(encoding="utf-8")
    text = re.sub(r"\{% blocktranslate.*?\{% endblocktranslate %\}", "", text, flags=re.S)
    text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|<!--.*?-->", "", text, flags=re.S)
    assert not re.findall(r"[\u4e00-\u9fff]+", text)
