"""extract() on realistic pages built around the seeds' own text."""

import re
from html import escape

import pytest

from archive.ingest.extract import extract, html_declared_charset
from archive.ingest.types import IngestError
from tests.conftest import seed_path


def seed_lines(prefix: str, first: int, last: int) -> list[str]:
    """Lines ``first``..``last`` (1-based, as an editor shows them) of a seed, non-blank."""
    lines = seed_path(prefix).read_text(encoding="utf-8").split("\n")[first - 1 : last]
    return [" ".join(line.split()) for line in lines if line.strip()]


REPLY_HEADLINE = seed_lines("004", 1, 1)[0]
REPLY_BODY = seed_lines("004", 3, 17)  # salutation .. signature date


def gov_page() -> str:
    """A government CMS page (gov.cn style meta names) carrying seed 004's letter."""
    paragraphs = "\n".join(f"<p>{escape(line)}</p>" for line in REPLY_BODY)
    return f"""<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{REPLY_HEADLINE}_建议提案办理_泸州市人民政府</title>
<meta name="SiteName" content="泸州市人民政府">
<meta name="ColumnName" content="建议提案办理">
<meta name="ArticleTitle" content="{REPLY_HEADLINE}">
<meta name="PubDate" content="2024-06-20 16:30">
<meta name="ContentSource" content="泸州市人力资源和社会保障局">
<link rel="stylesheet" href="/css/main.css">
<link rel="canonical" href="https://www.luzhou.gov.cn/zwgk/jytabl/content_3.html">
<script>var _hmt = _hmt || []; document.write("<p>统计代码</p>");</script>
<style>.content p {{ text-indent: 2em; }}</style>
</head>
<body>
<div id="wrapper" class="menu-open">
<header><div class="logo">泸州市人民政府</div>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li></ul></nav>
</header>
<div class="position">当前位置：<a href="/">首页</a> &gt;
<a href="/zwgk">政务公开</a> &gt; 建议提案办理</div>
<div class="content">
<h1>{REPLY_HEADLINE}</h1>
<div class="share-bar">分享到：<a>微信</a><a>微博</a></div>
{paragraphs}
<noscript>请开启JavaScript</noscript>
</div>
<form action="/search"><input name="q"><button>搜索</button></form>
<iframe src="/ad.html"></iframe>
<footer><p>Copyright © 2024 泸州市人民政府 版权所有</p><p>主办：泸州市人民政府办公室</p></footer>
</div>
</body></html>"""


def test_it_keeps_the_letter_and_drops_scripts_navigation_forms_and_footer():
    extracted = extract(gov_page(), filename="content_3.html")
    assert extracted.text.split("\n") == [REPLY_HEADLINE, *REPLY_BODY]


def test_the_breadcrumb_outside_the_article_stays_in_the_page_text_for_metadata():
    extracted = extract(gov_page(), filename="content_3.html")
    assert "当前位置：首页 > 政务公开 > 建议提案办理" in extracted.page_text.split("\n")


def test_it_reads_gov_cms_meta_tags_as_hints():
    extracted = extract(gov_page(), filename="content_3.html")
    assert extracted.title_hint == REPLY_HEADLINE
    assert extracted.date_hints == ("2024-06-20 16:30",)
    assert extracted.source_hint == "泸州市人力资源和社会保障局"
    assert extracted.site_hint == "泸州市人民政府"
    assert extracted.source_url_hint == "https://www.luzhou.gov.cn/zwgk/jytabl/content_3.html"


NEWS_HEADLINE = seed_lines("002", 3, 3)[0]
NEWS_BODY = seed_lines("002", 8, 16)


def news_page() -> str:
    """A news site page for seed 002: article header with <time>, sidebar, footer."""
    paragraphs = "\n".join(f"<p>{escape(line)}</p>" for line in NEWS_BODY)
    return f"""<html><head>
<meta charset="utf-8">
<title>{NEWS_HEADLINE}|新浪新闻</title>
<meta property="og:site_name" content="新浪新闻">
<meta property="og:url" content="https://news.sina.com.cn/c/2024-09-28/doc-abc.shtml">
<meta property="article:published_time" content="2024-09-28T09:16:00+08:00">
</head><body>
<header class="site-header"><a href="/">新浪首页</a> <a href="/news">新闻</a></header>
<article>
<header><h1>{NEWS_HEADLINE}</h1>
<p class="byline"><time datetime="2024-09-28 09:16">2024年09月28日 09:16</time>
<span class="source">内蒙古新闻网-《内蒙古日报》</span></p></header>
{paragraphs}
<footer>编辑：贾小燕</footer>
</article>
<aside><h3>热门推荐</h3><ul><li>别的新闻</li></ul></aside>
<footer>Copyright © 1996-2024 SINA Corporation All Rights Reserved 新浪公司 版权所有</footer>
</body></html>"""


def test_it_keeps_the_article_header_and_footer_but_drops_the_page_ones():
    extracted = extract(news_page(), filename="doc-abc.shtml")
    assert extracted.text.split("\n") == [
        NEWS_HEADLINE,
        "2024年09月28日 09:16 内蒙古新闻网-《内蒙古日报》",
        *NEWS_BODY,
        "编辑：贾小燕",
    ]


def test_it_collects_meta_and_time_dates_in_priority_order():
    extracted = extract(news_page(), filename="doc-abc.htm")
    assert extracted.date_hints == ("2024-09-28T09:16:00+08:00", "2024-09-28 09:16")
    assert extracted.title_hint == NEWS_HEADLINE  # the <h1>, confirmed by <title>
    assert (extracted.source_hint, extracted.site_hint) == ("新浪新闻", "新浪新闻")
    assert extracted.source_url_hint == "https://news.sina.com.cn/c/2024-09-28/doc-abc.shtml"


def test_it_puts_each_block_on_its_own_line_and_joins_inline_text():
    page = """<div>一、坚持统分结合<b>、齐抓共管</b>，<a href="#">人才保障</a>规范有力。</div>
    <ul><li>人才公寓4.48万平方米</li><li>院士专家工作站21个</li></ul>
    <h2>二、下一步工作打算</h2>第一行<br>第二行<br/><br/>
    <table><tr><th>年份</th><th>引进人才</th></tr><tr><td>2022</td><td>1800余人</td></tr></table>
    <p>Talent   policy <i>in</i> Lanzhou</p>"""
    assert extract(page, filename="x.html").text.split("\n") == [
        "一、坚持统分结合、齐抓共管，人才保障规范有力。",
        "人才公寓4.48万平方米",
        "院士专家工作站21个",
        "二、下一步工作打算",
        "第一行",
        "第二行",
        "年份 引进人才",
        "2022 1800余人",
        "Talent policy in Lanzhou",
    ]


def test_it_joins_chinese_text_broken_across_source_lines():
    page = "<p>　　您提出的建议收悉，\n    我局高度重视，经研究，\n现答复如下：</p>"
    assert (
        extract(page, filename="x.htm").text
        == "您提出的建议收悉，我局高度重视，经研究，现答复如下："
    )


def test_it_keeps_line_breaks_inside_pre():
    page = "<pre>瀘州市人力資源和社會保障局\n2024年6月18日</pre>"
    assert extract(page, filename="x.htm").text == "瀘州市人力資源和社會保障局\n2024年6月18日"


@pytest.mark.parametrize(
    "page",
    [
        "<p>未闭合的段落<div>嵌套<b>粗体</p></i></table>结尾",
        "<html><body><p>正文</body></html></html><<>>",
        "<",
        "",
        "<p>" * 2000 + "深层嵌套",
    ],
)
def test_it_never_crashes_on_malformed_html(page):
    text = extract(page, filename="broken.html").text
    assert re.search(r"</?[a-z]", text) is None


def test_it_recovers_the_text_of_unclosed_tags():
    text = extract("<p>未闭合的段落<div>嵌套<b>粗体</p></i>结尾", filename="x.html").text
    assert text.split("\n") == ["未闭合的段落", "嵌套粗体结尾"]  # lxml nests 结尾 in the <div>


def test_it_takes_an_h1_confirmed_by_the_title_but_not_a_logo_h1():
    logo = "<title>厚植人才沃土 赋能高质量发展_运城新闻_大院网</title><h1>大院网</h1>"
    assert (
        extract(logo, filename="x.html").title_hint == "厚植人才沃土 赋能高质量发展_运城新闻_大院网"
    )
    headline = (
        "<title>厚植人才沃土 赋能高质量发展_大院网</title><h1>厚植人才沃土 赋能高质量发展</h1>"
    )
    assert extract(headline, filename="x.html").title_hint == "厚植人才沃土 赋能高质量发展"
    assert extract("<h1>只有一级标题</h1>", filename="x.html").title_hint == "只有一级标题"


def test_it_reads_json_ld_dates_and_publisher():
    page = """<script type="application/ld+json">{"@type": "NewsArticle",
      "datePublished": "2023-05-06T08:00:00+08:00", "publisher": {"name": "兰州日报"}}</script>
      <p>正文</p>"""
    extracted = extract(page, filename="x.html")
    assert extracted.date_hints == ("2023-05-06T08:00:00+08:00",)
    assert extracted.source_hint == "兰州日报"
    assert extracted.text == "正文"


def test_it_takes_the_site_name_from_a_footer_copyright_when_no_meta_names_one():
    page = "<p>正文</p><footer>Copyright ©山西大院新闻网</footer>"
    assert extract(page, filename="x.html").source_hint == "山西大院新闻网"


def test_it_reads_a_source_label_in_the_page_text():
    page = "<h1>标题</h1><div>来源：兰州日报 发布时间：2023-05-06 作者：王某</div><p>正文</p>"
    assert extract(page, filename="x.html").source_hint == "兰州日报"


def test_it_keeps_a_plain_text_seed_as_uploaded():
    text = seed_path("001").read_text(encoding="utf-8")
    extracted = extract(text, filename="001.txt")
    assert extracted.text == "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    assert extracted.title_hint is None
    assert extracted.date_hints == ()
    assert extracted.source_hint is None
    assert extracted.source_url_hint == "http://www.shanxidayuan.com/gsyl/yuncheng/6635.html"


def test_it_reads_a_source_label_in_plain_text():
    text = "市人才新政发布\n来源：兰州日报　发布时间：2023-05-06\n正文第一段。"
    assert extract(text, filename="a.txt").source_hint == "兰州日报"


def test_it_parses_a_web_page_saved_as_txt_as_html():
    extracted = extract(news_page(), filename="saved.txt")
    assert extracted.text.split("\n")[0] == NEWS_HEADLINE
    assert "<p>" not in extracted.text


def test_it_strips_markdown_syntax_and_takes_the_first_heading_as_title():
    markdown = """# 厚植人才沃土 赋能高质量发展

**2022年**，我市坚持以*人才*为本，出台《[运城市十四五人才智力支撑规划](http://example.cn/a)》。

## 筑巢引凤

- 引进高素质人才1800余人
* 服务高校毕业生就业8500余人
> 人才者，求之则愈出。

| 指标 | 数量 |
|------|-----:|
| 事业编制 | 150个 |

![人才公寓](img/apartment.png)
变量名 snake_case_name 保持原样。

[1]: http://example.cn/ref
"""
    extracted = extract(markdown, filename="report.md")
    assert extracted.title_hint == "厚植人才沃土 赋能高质量发展"
    assert extracted.text.split("\n") == [
        "厚植人才沃土 赋能高质量发展",
        "",
        "2022年，我市坚持以人才为本，出台《运城市十四五人才智力支撑规划》。",
        "",
        "筑巢引凤",
        "",
        "引进高素质人才1800余人",
        "服务高校毕业生就业8500余人",
        "人才者，求之则愈出。",
        "",
        "指标 数量",
        "事业编制 150个",
        "",
        "人才公寓",
        "变量名 snake_case_name 保持原样。",
    ]


def test_it_reads_markdown_front_matter_as_hints():
    markdown = """---
title: "兰州市人才工作新闻发布会实录"
date: 2019-12-17
source: 每日甘肃网
url: https://gansu.gscn.com.cn/system/2019/12/17/012290887.shtml
---
正文第一段。
"""
    extracted = extract(markdown, filename="a.markdown")
    assert extracted.title_hint == "兰州市人才工作新闻发布会实录"
    assert extracted.date_hints == ("2019-12-17",)
    assert extracted.source_hint == "每日甘肃网"
    assert extracted.source_url_hint == (
        "https://gansu.gscn.com.cn/system/2019/12/17/012290887.shtml"
    )
    assert extracted.text == "正文第一段。"


def test_it_takes_a_setext_heading_as_the_markdown_title():
    extracted = extract("厚植人才沃土\n======\n正文。", filename="a.md")
    assert extracted.title_hint == "厚植人才沃土"
    assert extracted.text == "厚植人才沃土\n正文。"


@pytest.mark.parametrize("filename", ["report.pdf", "report.docx", "README", "data.csv"])
def test_it_refuses_unsupported_file_types(filename):
    with pytest.raises(IngestError) as refused:
        extract("正文", filename=filename)
    assert "不支持的文件类型" in refused.value.reason
    assert "unsupported file type" in refused.value.reason


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<meta charset="GBK">', "gbk"),
        (b"<meta charset=utf-8 />", "utf-8"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />', "gb2312"),
        (b"<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=Big5'>", "big5"),
        (b'<?xml version="1.0" encoding="GB18030"?><html>', "gb18030"),
        (b"<html><head><title>no charset</title>", None),
        (b" " * 5000 + b'<meta charset="gbk">', None),
    ],
)
def test_it_finds_the_declared_charset_in_the_first_4_kb(head, expected):
    assert html_declared_charset(b"<!DOCTYPE html><html><head>" + head) == expected


def test_it_finds_the_declared_charset_of_a_utf16_page():
    assert html_declared_charset('<meta charset="utf-16">'.encode("utf-16-le")) == "utf-16"


def test_a_layout_table_holding_the_article_keeps_its_paragraphs_as_lines():
    body = "".join(f"<p>第{n}段，人才公寓政策的具体内容在这里说明清楚。</p>" for n in range(1, 6))
    page = f"<html><body><table><tr><td>{body}</td></tr></table></body></html>"
    lines = extract(page, filename="layout.html").text.split("\n")
    assert lines[0].startswith("第1段") and len(lines) == 5
