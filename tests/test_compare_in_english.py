"""The compare page for an English reader (issue 19): city and province names,
qualifiers (最高, 余, 以上) and beneficiaries (硕士, 高校毕业生) in English; the
sentences quoted from the reports stay Chinese, marked ``lang="zh"``."""

import io
import re

import pytest
from django.core.management import call_command

from .conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db
DEV_RAW = SEEDS_DIR.parent / "labelled" / "dev" / "raw"
HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def archive():
    paths = sorted(map(str, SEEDS_DIR.glob("*.txt"))) + sorted(map(str, DEV_RAW.iterdir()))
    call_command("import_reports", *paths, stdout=io.StringIO(), stderr=io.StringIO())


def spans(html: str, css_class: str) -> list[str]:
    return re.findall(rf'<span class="{css_class}"[^>]*>([^<]*)</span>', html)


def test_figures_speak_english_around_the_quoted_chinese(client, archive):
    response = client.get(
        "/compare/", {"cities": "兰州市,泸州市,深圳市,北京市"}, headers={"accept-language": "en"}
    )
    html = response.content.decode()
    qualifiers, beneficiaries = spans(html, "qualifier"), spans(html, "beneficiary")
    assert qualifiers and beneficiaries
    assert [q for q in qualifiers if HAN.search(q)] == []
    assert [b for b in beneficiaries if HAN.search(b)] == []
    assert "up to" in qualifiers
    head = html.split("<thead>")[1].split('class="report-row"')[0]
    assert {"Lanzhou", "Luzhou", "Shenzhen", "Beijing", "Sichuan"} <= set(
        re.findall(r">(\w+)<", head)
    )
    assert '<div class="sentence" lang="zh">' in html


def test_chinese_readers_keep_the_words_as_written(client, archive):
    html = client.get("/compare/", {"cities": "兰州市,泸州市"}).content.decode()
    assert "最高" in spans(html, "qualifier")
    assert ">兰州市</a>" in html
