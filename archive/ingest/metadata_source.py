"""Source: the outlet that published a report or the body that issued it.

Strongest first: the page's own metadata; a "来源：" label; the body that signs a
letter or notice (004 "瀘州市人力資源和社會保障局" over its date, kept in its script);
the body heading a reply letter above the addressee (003 "市委组织部：" over
"九三学社德州市委：" – the letter is *from* 市委组织部 *to* the proposer); the outlet in
the byline (002 "内蒙古新闻网-《内蒙古日报"); finally the hosting site's name from
its breadcrumb, copyright line or reprint notice (000 "每日甘肃网", 001 "山西大院新闻网").
"""

from __future__ import annotations

import re

from archive.gazetteer import Gazetteer
from archive.ingest.metadata_date import find_dates, is_byline, signature_date
from archive.ingest.metadata_text import (
    HAN,
    OUTLET,
    content_lines,
    find_line,
    is_org_name,
    is_salutation,
)
from archive.ingest.types import Detected

_SOURCE_LABEL = re.compile(
    r"(?:^|[\s|｜])(?:信息|文章|新闻|新聞|稿件)?(?:来源|來源|稿源|出处|出處)\s*[:：]\s*"
    rf"([{HAN}A-Za-z0-9·《》]{{2,30}})"
)
_NEXT_LABEL = re.compile(r"(作者|编辑|編輯|记者|記者|发布|發布|时间|時間|日期|浏览|瀏覽)")
_URL_LABEL = re.compile(
    r"(?:本文地址|原文地址|原文链接|原文鏈接|本文链接|本文鏈接|文章链接|网址|網址|链接地址)"
    r"\s*[:：]\s*(https?://[^\s\"'<>]+)"
)
_CRUMB = re.compile(
    r"(?:当前位置|當前位置|当前的位置|當前的位置|现在的位置|現在的位置|您的位置|所在位置)"
    r"\s*[:：]?\s*(?:首页|首頁)?"
    rf"[\s>»/→＞-]*([{HAN}]{{2,12}}?(?:网站|網站|网|網|在线|在線|门户|門戶|报|報|政府))"
)
_COPYRIGHT = re.compile(r"copyright|©|\(c\)|版权所有|版權所有|主办单位|主辦單位|主办|主辦", re.I)
_REPRINT = re.compile(r"来源为\s*[“\"「]([^”\"」]{2,20})[”\"」]|來源為\s*[“\"「]([^”\"」]{2,20})")
_ABOUT = re.compile(rf"(?:关于|關於)([{HAN}]{{2,12}}(?:网|網|网站|網站))")


def labelled_source(lines: list[str]) -> str | None:
    """ "来源：兰州日报 发布时间：…" -> "兰州日报", looked for in the first and last 30 lines."""
    for line in lines[:30] + lines[-30:]:
        match = _SOURCE_LABEL.search(line)
        if match:
            name = _NEXT_LABEL.split(match.group(1))[0].strip("《》·")
            if len(name) >= 2:
                return name
    return None


def labelled_url(lines: list[str]) -> str | None:
    """ "本文地址:http://…" (seed 001) -> the URL."""
    for line in lines:
        match = _URL_LABEL.search(line)
        if match:
            return match.group(1).rstrip("。，,.;；")
    return None


def site_name_in_copyright(lines: list[str]) -> str | None:
    """ "Copyright ©山西大院新闻网" -> 山西大院新闻网; "… 新浪公司 版权所有" -> 新浪公司."""
    for line in lines:
        if not _COPYRIGHT.search(line) or len(line) > 80:
            continue
        rest = _COPYRIGHT.sub(" ", line)
        rest = re.sub(r"all rights reserved|[\d\-–~—:：,，.。|]", " ", rest, flags=re.I)
        names = re.findall(rf"[{HAN}][{HAN}A-Za-z0-9·]{{1,29}}", rest)
        if names:
            return names[0]
    return None


def detect_source(
    *,
    raw: str,
    clean: str,
    source_hint: str | None,
    site_hint: str | None = None,
    issuer: str = "",
    title: str = "",
    policy: bool = False,
    gazetteer: Gazetteer | None = None,
) -> Detected[str]:
    """The outlet or issuing body, with the rule that found it as evidence.

    A hint equal to ``site_hint`` only names the hosting site (og:site_name): the
    report's own byline or signature outranks it (002 is 内蒙古新闻网's story on Sina).
    The issuer of an official document (its 发文机关, read by metadata_official) is
    its source, whatever the hosting page's "来源：本站原创" says. When the page names
    no outlet at all, two inferences, said as such in the evidence: a policy
    document's ``title`` names its jurisdiction ("2025年海淀区…申请要求"), and a
    story's lede names the body acting in it ("在珠海市委组织部的统一部署下").
    """
    raw_lines, clean_lines = content_lines(raw), content_lines(clean)
    hint = _clean_hint(source_hint)
    if hint and source_hint != site_hint:
        return Detected(hint, f"网页元数据：{hint} / page metadata", {"rule": "meta"})
    if issuer:
        return Detected(issuer, f"发文机关：{issuer} / issuer", {"rule": "issuer"})
    for rule in (_labelled, _signing_body, _letter_header, _byline_outlet):
        found = rule(raw_lines, clean_lines)
        if found is not None:
            return found
    if hint:
        return Detected(hint, f"网站名称（网页元数据）：{hint} / site name", {"rule": "site_meta"})
    return (
        _site_name(raw_lines, clean_lines)
        or _inferred(title, clean_lines, policy=policy, gazetteer=gazetteer)
        or Detected(None, "未找到来源 / no source found")
    )


def _inferred(
    title: str, clean_lines: list[str], *, policy: bool, gazetteer: Gazetteer | None
) -> Detected[str] | None:
    if gazetteer is None:
        return None
    found = headline_jurisdiction(title, gazetteer) if policy else None
    return found or lede_body(clean_lines, gazetteer)


#: what a CMS prints in its source field when it has none: "this site", "original".
PLACEHOLDER_SOURCE = re.compile(
    r"^(?:本站|本网|本網|原创|原創|网络|網絡|未知|佚名|admin|管理员)+\S{0,2}$", re.I
)


def _clean_hint(hint: str | None) -> str | None:
    if not hint:
        return None
    hint = re.sub(r"^(?:来源|來源|稿源)\s*[:：]\s*", "", " ".join(hint.split()))
    if PLACEHOLDER_SOURCE.match(hint):
        return None
    return hint if 2 <= len(hint) <= 40 and "://" not in hint else None


def _labelled(raw_lines: list[str], clean_lines: list[str]) -> Detected[str] | None:
    name = labelled_source(raw_lines)
    if name and PLACEHOLDER_SOURCE.match(name):
        return None
    return (
        Detected(name, f"来源标注：{name} / labelled source", {"rule": "label"}) if name else None
    )


def _signing_body(raw_lines: list[str], clean_lines: list[str]) -> Detected[str] | None:
    """The body whose name stands directly over the signature date."""
    signature = signature_date(clean_lines, raw_lines, None)
    body = signature.extra.get("body") if signature else None
    if not body:
        return None
    return Detected(body, f"落款单位：{body} / body signing the text", {"rule": "signature"})


def _letter_header(raw_lines: list[str], clean_lines: list[str]) -> Detected[str] | None:
    """Reply letters headed "答复单位：" over "收件人：" (seed 003 holds two such letters)."""
    headers = [
        (line, clean_lines[i + 1])
        for i, line in enumerate(clean_lines[:-1])
        if is_salutation(line) and is_org_name(line[:-1]) and is_salutation(clean_lines[i + 1])
    ]
    if not headers:
        return None
    body, addressee = headers[0][0][:-1], headers[0][1][:-1]
    others = [line[:-1] for line, _ in headers[1:]]
    also = f"；另有答复单位：{'、'.join(others)}" if others else ""
    return Detected(
        body,
        f"答复函抬头：{body}（致 {addressee}）{also} / reply letter from {body} to {addressee}",
        {"rule": "letter_header", "addressee": addressee, "also": others},
    )


def _byline_outlet(raw_lines: list[str], clean_lines: list[str]) -> Detected[str] | None:
    """The outlet named after the date in the byline under the headline."""
    head = find_line(raw_lines, clean_lines[0]) if clean_lines else None
    start = 0 if head is None else head + 1
    for line in raw_lines[start : start + 5]:
        dates = find_dates(line)
        if not dates or not is_byline(line, dates[0][1]):
            continue
        after = line.split(dates[0][1], 1)[-1]
        for token in re.split(r"[\s\-—|｜《》<>·/:：]+", after):
            if OUTLET.fullmatch(token):
                return Detected(
                    token, f"电头中的媒体：{line} / outlet in byline", {"rule": "byline"}
                )
    return None


def _site_name(raw_lines: list[str], clean_lines: list[str]) -> Detected[str] | None:
    """The hosting site: breadcrumb root, copyright line, reprint notice, "关于X网"."""
    for line in raw_lines:
        crumb = _CRUMB.search(line)
        if crumb:
            return _site(crumb.group(1), "breadcrumb", line)
    name = site_name_in_copyright(raw_lines)
    if name:
        return _site(name, "copyright", name)
    for line in raw_lines:
        found = _REPRINT.search(line) or _ABOUT.search(line)
        if found:
            return _site(next(g for g in found.groups() if g), "notice", line)
    return None


def _site(name: str, where: str, line: str) -> Detected[str]:
    return Detected(name, f"网站名称（{where}）：{line[:60]} / site name", {"rule": where})


_YEAR_PREFIX = re.compile(r"^(?:19|20)\d{2}年度?")
#: used with ``match(text, pos)`` right after a place name, so no "^" (it would only
#: match at the string's start).
_BODY_AFTER_PLACE = re.compile(
    rf"(?:省|市|自治区|自治州|地区|盟|区|县|旗)?(?:委|人民政府|政府)?[{HAN}]{{0,12}}?"
    r"(?:组织部|宣传部|统战部|委员会|人民政府|办公厅|办公室|政府|局|厅|委|办)"
)


def headline_jurisdiction(title: str, gazetteer: Gazetteer) -> Detected[str] | None:
    """The place a policy document's headline opens with ("2025年海淀区留学回国人才…"):
    a 公文 titled by its jurisdiction and signed by no one is that jurisdiction's."""
    title = title.strip()
    year = _YEAR_PREFIX.match(title)
    offset = year.end() if year else 0
    first = next(iter(gazetteer.find_mentions(title[offset:])), None)
    if first is None or first.start != 0 or first.weak:
        return None
    place = first.surface
    return Detected(
        place,
        f"推断：政策文件标题所属辖区 {place}（{title[:30]}） / inferred: jurisdiction in headline",
        {"rule": "headline_jurisdiction"},
    )


def lede_body(
    clean_lines: list[str], gazetteer: Gazetteer, *, limit: int = 6
) -> Detected[str] | None:
    """The first government body named with its place in the lede, outside a cited
    《title》 ("在珠海市委组织部的统一部署下"): the body a story without any byline
    reports on or from. An inference, and the evidence says so."""
    for line in clean_lines[:limit]:
        unquoted = re.sub(r"《[^》]*》", "", line)
        for mention in gazetteer.find_mentions(unquoted):
            if mention.weak:
                continue
            org = _BODY_AFTER_PLACE.match(unquoted, mention.end)
            if org:
                body = unquoted[mention.start : org.end()]
                return Detected(
                    body,
                    f"推断：导语中的机关 {body}（{line[:40]}） / inferred: body named in the lede",
                    {"rule": "lede_body"},
                )
    return None
