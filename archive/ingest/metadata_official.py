"""The frame of a Chinese official document: 文号, 发文机关, 落款, and its structure.

Official documents (公文) follow one national layout (GB/T 9704 党政机关公文格式):
a 版头 "XX市人民政府文件", the 文号 "京政发〔2009〕14号" on its own line, a headline
"关于…的通知", an addressee "各区、县人民政府：", numbered sections (一、/（一）/
1.) or articles (第一条), and a 落款: the issuer over the date. Those shapes, not
any site's words, tell a policy document from a news story about one, and name
who issued it (issue 14). Every function is pure and returns ``Detected`` with the
line it read as evidence.
"""

from __future__ import annotations

import re

from archive.ingest.metadata_date import standalone_date
from archive.ingest.metadata_text import HAN, ORG_SUFFIX, is_org_name
from archive.ingest.types import Detected

_OPEN = re.escape("〔[［﹝【(（")
_CLOSE = re.escape("〕]］﹞】)）")
DOC_NUMBER = re.compile(
    rf"(?P<prefix>[{HAN}]{{1,16}})\s*[{_OPEN}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{_CLOSE}]"
    r"\s*第?\s*(?P<num>\d{1,5})\s*[号號]"
)
_NUMBER_LABEL = re.compile(r"^(?:发文字号|發文字號|文号|文號|发文号|發文號|字号|字號)\s*[:：]\s*")
_ISSUER_LABEL = re.compile(
    r"^(?:发文机关|發文機關|发文单位|發文單位|发布机构|發布機構|制发机关|製發機關|发布机关|發布機關)"
    r"\s*[:：]\s*(?P<name>\S.{1,40}?)\s*$"
)
_MASTHEAD = re.compile(rf"^(?P<name>[{HAN}（）()、\s]{{4,60}}?)\s*文\s*件$")
_TITLE_ISSUER = re.compile(rf"^(?P<name>[{HAN}（）()、]{{4,40}}{ORG_SUFFIX})(?:关于|關於)")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇]+[条條]")
_SECTION = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_ITEM = re.compile(r"^(?:\d{1,2}[.、．]|[（(]\d{1,2}[）)])")
_OPENING = re.compile(
    r"(?:提出|制定|特制定|现提出|现制定)(?:以下|如下|本)(?:实施意见|意见|办法|細則|细则|规定|措施|方案)"
    r"|印[发發]给你们|印[發]給你們|[现現][将將].{0,60}印[发發]"
)
_ADDRESSEE = re.compile(rf"^[{HAN}、，,（）()\s]{{2,80}}[:：]$")
_LABEL_WORDS = re.compile(r"时间|時間|日期|地点|地點|来源|來源|作者|电话|電話|地址|附件|联系")


def doc_number(lines: list[str]) -> Detected[str]:
    """The 文号 standing alone on a line (or labelled "文号："), never one cited in prose."""
    for line in lines:
        bare = _NUMBER_LABEL.sub("", line.strip())
        match = DOC_NUMBER.fullmatch(bare)
        if match:
            return Detected(
                _normalized_number(match.group(0)), f"文号：{line[:40]} / document number"
            )
    return Detected("", "")


def _normalized_number(number: str) -> str:
    """Spaces out; the brackets kept as written (〔〕, [], ﹝﹞ all occur)."""
    return re.sub(r"\s+", "", number)


def issuer(*, page_lines: list[str], lines: list[str], title: str) -> Detected[str]:
    """The issuing body: labelled 发文机关, the 版头 "XX文件", the 落款 over the date,
    an issuer heading over the headline, or the "XX关于…" title's prefix."""
    for line in page_lines:
        match = _ISSUER_LABEL.match(line)
        if match and is_org_name(match.group("name")):
            return Detected(match.group("name"), f"发文机关标注：{line[:50]} / labelled issuer")
    for line in lines[:8]:
        match = _MASTHEAD.match(line.strip())
        if match and is_org_name(_squash(match.group("name"))):
            name = _squash(match.group("name"))
            return Detected(name, f"版头：{line[:50]} / masthead")
    signed = signature_issuer(lines)
    if signed:
        return signed
    for index, line in enumerate(lines[:6]):
        after = lines[index + 1] if index + 1 < len(lines) else ""
        if is_org_name(line) and re.match(r"(?:关于|關於)", after):
            return Detected(line.strip(), f"标题上方的发文机关：{line} / issuer over the headline")
    match = _TITLE_ISSUER.match(title or "")
    if match:
        return Detected(match.group("name"), f"标题中的发文机关：{title[:50]} / issuer in title")
    return Detected("", "")


def signature_issuer(lines: list[str]) -> Detected[str] | None:
    """The body named directly over a date that stands alone (the 落款), first one wins:
    a notice issuing a policy signs before the policy it prints."""
    for index in range(1, len(lines)):
        if standalone_date(lines[index]) and is_org_name(lines[index - 1]):
            name = lines[index - 1].strip()
            return Detected(name, f"落款：{name} {lines[index]} / signature")
    return None


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def policy_structure(lines: list[str]) -> str | None:
    """Why the body reads as an official document, or None: articles (第X条), an
    issuing sentence (印发给你们, 提出以下意见), or an addressee with a signature."""
    articles = sum(1 for line in lines if _ARTICLE.match(line))
    if articles >= 3:
        return f"正文有 {articles} 条（第X条） / {articles} articles"
    opening = next((line for line in lines[:12] if _OPENING.search(line)), None)
    if opening:
        return f"发文用语：{_OPENING.search(opening).group(0)} / issuing sentence"
    addressee = next((line for line in lines[:6] if is_addressee(line)), None)
    signed = signature_issuer(lines)
    if addressee and signed:
        return f"主送“{addressee[:20]}”并有落款 {signed.value} / addressee and signature"
    return None


def provisions(lines: list[str]) -> int:
    """How many lines are numbered sections, items or clauses ending in "；"."""
    return sum(
        1
        for line in lines
        if _SECTION.match(line) or _ITEM.match(line) or _ARTICLE.match(line) or line.endswith("；")
    )


def section_heads(lines: list[str]) -> int:
    """Top-level sections 一、二、 (or （一）): the skeleton of a 公文's body."""
    return sum(1 for line in lines if _SECTION.match(line) and len(line) <= 40)


def is_addressee(line: str) -> bool:
    """ "各区、县人民政府：" / "全校教师：" / "各相关企业：" — whom a document is sent to."""
    line = line.strip()
    return bool(_ADDRESSEE.match(line)) and not _LABEL_WORDS.search(line) and len(line) <= 80
