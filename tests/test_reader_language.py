"""What readers see in English and in Chinese (issue 19): place names as English
readers know them, qualifiers and evidence in the reader's language, look-alike
titles told apart, a description and one <h1> per page, compressed HTML only
where no secret rides along, and the chart's box reserved before it is drawn."""

import gzip
import io
import re
from xml.etree import ElementTree

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from archive.models import Report
from archive.place_names import english_names

from . import test_browse_pages

# the five seeds imported once per module (fixtures of test_browse_pages)
seeded = test_browse_pages.seeded
seeds = test_browse_pages.seeds

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def english() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize(
    "adcode, name",
    [
        ("110000", "Beijing"),
        ("310000", "Shanghai"),
        ("150000", "Inner Mongolia"),
        ("540000", "Tibet"),
        ("650000", "Xinjiang"),
        ("450000", "Guangxi"),
        ("610000", "Shaanxi"),
        ("140000", "Shanxi"),
        ("150100", "Hohhot"),
        ("650100", "Urumqi"),
        ("610100", "Xi'an"),
        ("540100", "Lhasa"),
        ("620100", "Lanzhou"),
        ("510500", "Luzhou"),
        ("341500", "Lu'an"),
        ("110105", "Chaoyang District"),
    ],
)
def test_places_have_the_english_names_english_readers_know(adcode, name):
    assert english_names()[adcode] == name


def test_every_place_has_a_capitalized_english_name_without_tone_marks():
    names = english_names()
    assert len(names) == 3223
    bad = {code: n for code, n in names.items() if not n.isascii() or not n[0].isupper()}
    assert not bad


def test_the_english_city_page_names_places_in_english_and_the_chinese_one_in_chinese(seeds):
    html = page(english(), "/cities/huhehaote/")
    assert re.search(r"<h1>Hohhot <span", html)
    assert ">Inner Mongolia</a>" in html
    assert "<title>Hohhot · " in html
    chinese = page(Client(), "/cities/huhehaote/")
    assert re.search(r"<h1>呼和浩特市", chinese) and ">内蒙古自治区</a>" in chinese


def test_home_and_report_lists_use_english_place_names(seeds):
    html = page(english(), "/")
    for name in ("Sichuan", "Gansu", "Inner Mongolia", "Luzhou", "Dezhou"):
        assert name in html, name
    assert "四川省" not in html.split("<main")[1].split("chart-provinces")[0]


def test_qualifiers_and_evidence_read_in_the_readers_language(seeds):
    url = f"/reports/{seeds['004'].pk}/"
    html = page(english(), url)
    assert '<span class="qualifier">up to</span>' in html
    assert "province of the city: 四川省" in html
    assert "省份取自" not in html and "城市取自" not in html
    chinese = page(Client(), url)
    assert '<span class="qualifier">最高</span>' in chinese
    assert "省份取自上级行政区：四川省" in chinese


def test_every_reader_page_has_one_h1_and_its_own_description(seeds):
    report = seeds["002"]
    urls = [
        "/",
        "/cities/",
        "/cities/huhehaote/",
        "/provinces/neimenggu/",
        report.get_absolute_url(),
    ]
    descriptions = set()
    for url in urls:
        for client in (Client(), english()):
            html = page(client, url)
            assert len(re.findall(r"<h1[ >]", html)) == 1, url
            description = re.search(r'<meta name="description" content="([^"]+)">', html)
            assert description, url
            descriptions.add(description.group(1))
    assert len(descriptions) == 2 * len(urls)


def test_a_chart_box_is_reserved_at_its_size_before_the_script_draws_it(seeds):
    html = page(Client(), "/")
    assert '<script src="/static/js/early.js">' in html.split("</head>")[0]
    assert re.search(r'<div class="chart size-(s|m|l|xl)" data-chart="chart-provinces"', html)
    assert 'data-chart="chart-provinces" role="img"' in html and " hidden>" not in html


#: two notices of one bureau with the same title, a year apart
LOOKALIKES = {
    "a.txt": "关于做好人才公寓申报工作的通知\n兰人社发〔2023〕12号\n在兰州市工作的高层次人才，"
    "可申请人才公寓。\n兰州市人力资源和社会保障局\n2023年3月1日\n",
    "b.txt": "关于做好人才公寓申报工作的通知\n兰人社发〔2024〕7号\n在兰州市工作的青年人才，"
    "可申请人才公寓，最高补贴5000元。\n兰州市人力资源和社会保障局\n2024年4月2日\n",
}


def test_look_alike_titles_are_told_apart_by_date_and_doc_number(tmp_path):
    for name, text in LOOKALIKES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    call_command("import_reports", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    title = "关于做好人才公寓申报工作的通知"
    reports = list(Report.objects.filter(title=title).order_by("published_on"))
    assert len(reports) == 2
    html = page(Client(), "/cities/lanzhou/")
    for report in reports:
        assert f'<span class="doc-number" lang="zh">{report.doc_number}</span>' in html
    feed = ElementTree.fromstring(Client().get("/cities/lanzhou/feed/").content)
    titles = sorted(e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry"))
    titles = [t for t in titles if title in t]
    assert titles == [
        f"兰州市 · {reports[0].title} · 2023年3月1日 · 兰人社发〔2023〕12号",
        f"兰州市 · {reports[1].title} · 2024年4月2日 · 兰人社发〔2024〕7号",
    ]


def test_a_feed_entry_of_an_undated_report_has_no_published_date(seeds):
    feed = ElementTree.fromstring(Client().get("/feeds/reports/").content)
    entries = {
        e.find(f"{ATOM}link").get("href").rstrip("/").rsplit("/", 1)[-1]: e
        for e in feed.iter(f"{ATOM}entry")
    }
    undated = entries[str(seeds["003"].pk)]
    assert seeds["003"].published_on is None
    assert undated.find(f"{ATOM}published") is None
    assert undated.find(f"{ATOM}updated") is not None  # required by Atom
    dated = entries[str(seeds["004"].pk)]
    assert dated.find(f"{ATOM}published").text.startswith("2024-06-18")
    assert "日期不详" in undated.find(f"{ATOM}title").text


def test_readers_pages_are_compressed_and_staff_pages_are_not(seeds):
    response = Client().get("/cities/huhehaote/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "呼和浩特市" in gzip.decompress(response.content).decode()
    staff = User.objects.create_user("staff", password="unused", is_staff=True)
    client = Client()
    client.force_login(staff)  # a session cookie: pages may show what readers cannot
    assert not client.get("/cities/huhehaote/", HTTP_ACCEPT_ENCODING="gzip").has_header(
        "Content-Encoding"
    )
    post = Client().post("/i18n/setlang/", {"language": "en"}, HTTP_ACCEPT_ENCODING="gzip")
    assert not post.has_header("Content-Encoding")
    api = Client().get("/api/cities", HTTP_ACCEPT_ENCODING="gzip")  # JSON stays plain
    assert api.status_code == 200 and not api.has_header("Content-Encoding")
    feed = Client().get("/feeds/reports/", HTTP_ACCEPT_ENCODING="gzip")
    assert feed["Content-Encoding"] == "gzip"
