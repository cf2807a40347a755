"""Document type from cue words: the title first, then the shape of the body.

Cues are written with both scripts ("答[复復]", "[发發]布[会會]") so Traditional
reports (seed 004) classify like Simplified ones. Body cues are structural – a
letter's "您提出的…收悉", a notice's "各区县人民政府：" addressee, a transcript's
"记者：" questions – because a news story *about* a policy mentions 印发 and 意见 in
its prose too.
"""

from __future__ import annotations

import re

from archive.ingest.metadata_official import policy_structure, provisions, section_heads
from archive.ingest.metadata_text import content_lines, has_sentence_end
from archive.ingest.types import Detected

DOC_TYPES = (
    "press_conference",
    "news",
    "proposal_reply",
    "policy_document",
    "work_report",
    "other",
)

_PRESS_TITLE = re.compile(
    r"[发發]布[会會]|答[记記]者[问問]|吹[风風][会會]|[记記]者招待[会會]|[记記]者[见見]面[会會]"
)
_PROPOSAL = re.compile(r"建[议議]|提案|[议議]案")
_REPLY = re.compile(r"答[复復覆]|[复復覆]函|的函|[办辦]理情[况況]|[办辦]理意[见見]")
_POLICY_TITLE = re.compile(
    r"通知|通告|印[发發]|[办辦]法|意[见見]|[细細][则則]|[规規]定|[条條]例|[实實]施方案|若干措施"
    r"|若干政策|[决決]定|[规規]划|[纲綱]要|指引|[规規]程|指南|[须須]知|要求|政策$"
)
_ISSUING_TITLE = re.compile(r"[关關][于於]印[发發]")
_WORK_REPORT = re.compile(
    r"工作[报報]告|工作[总總][结結]|述[职職]|年度[报報]告|工作情[况況]的[报報]告|工作[汇匯][报報]"
)
_LETTER_OPENING = re.compile(r"(您|你|[贵貴][单單]位|[贵貴]委|[贵貴]会|[贵貴]會).{0,10}提出的")
_LETTER_RECEIVED = re.compile(r"收悉|答[复復]如下|答覆如下|[现現][答][复復]")
_ADDRESSEE = re.compile(r"^各.{2,60}[:：]$")
_ISSUING_BODY = re.compile(
    r"印[发發]给你|印[發]給你|[现現][将將].{0,60}印[发發]|[现現]印[发發]|^第[一二三四五六七八九十]+[条條]"
)
_QUESTION = re.compile(r"^(?:[记記]者|[问問]|提[问問])\s*[:：]")
_NEWS_MARK = re.compile(
    r"[记記]者|通[讯訊]员|通[讯訊]員|本[报報][讯訊]|[编編][辑輯]\s*[:：]|[电電]\s*[（(]"
)


def detect_doc_type(*, title: str, clean: str, doc_number: str = "") -> Detected[str]:
    """One of DOC_TYPES, with the cue that decided it as evidence.

    ``doc_number`` is the 文号 read by metadata_official: only an official document
    carries one on a line of its own.
    """
    lines = content_lines(clean)
    body = "\n".join(lines)
    title = title or (lines[0] if lines else "")
    checks = (
        ("press_conference", _press_title(title) or _press_body(lines, body)),
        ("proposal_reply", _reply_title(title) or _reply_body(lines)),
        ("policy_document", _official(doc_number, lines) or _policy(title, lines, body)),
        ("work_report", _cue("标题", _WORK_REPORT, title)),
        ("news", _news_body(lines, body)),
    )
    for doc_type, evidence in checks:
        if evidence:
            return Detected(doc_type, evidence, {"type": doc_type})
    return Detected("other", "没有类型线索 / no cue for any document type", {"type": "other"})


def _cue(where: str, pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return f"{where}含“{match.group(0)}” / {where} cue: {match.group(0)}" if match else None


def _press_title(title: str) -> str | None:
    return _cue("标题", _PRESS_TITLE, title)


def _press_body(lines: list[str], body: str) -> str | None:
    """A transcript: reporters' questions ("记者：") around a 发布会."""
    questions = sum(1 for line in lines if _QUESTION.match(line))
    if questions >= 2 and _PRESS_TITLE.search(body):
        return f"正文为发布会问答（{questions} 个记者提问） / press Q&A in the body"
    return None


def _reply_title(title: str) -> str | None:
    proposal, reply = _PROPOSAL.search(title), _REPLY.search(title)
    if proposal and reply:
        return f"标题含“{proposal.group(0)}”和“{reply.group(0)}” / proposal + reply in title"
    return None


def _reply_body(lines: list[str]) -> str | None:
    """A letter answering a proposal: "您提出的《…建议》已收悉…现答复如下"."""
    for line in lines[:6]:
        if _LETTER_OPENING.search(line) and _LETTER_RECEIVED.search(line):
            return f"正文为建议答复函：{line[:40]} / reply letter opening"
    return None


def _official(doc_number: str, lines: list[str]) -> str | None:
    """A 文号, articles (第X条), an issuing sentence, or addressee + signature."""
    if doc_number:
        return f"文号 {doc_number} / document number"
    return policy_structure(lines)


def _policy(title: str, lines: list[str], body: str) -> str | None:
    """A policy title cue plus an issuing structure (addressee, 印发给你们, articles)."""
    if _ISSUING_TITLE.search(title):
        return _cue("标题", _ISSUING_TITLE, title)
    title_cue = _POLICY_TITLE.search(title)
    if not title_cue:
        return None
    addressee = next((line for line in lines[1:6] if _ADDRESSEE.match(line)), None)
    issuing = addressee or next((ln for ln in lines if _ISSUING_BODY.search(ln)), None)
    if issuing:
        return f"标题含“{title_cue.group(0)}”，正文：{issuing[:30]} / policy title + issuing text"
    sections, numbered = section_heads(lines), provisions(lines)
    if sections >= 2 or numbered >= max(5, 0.4 * len(lines)):
        return (
            f"标题含“{title_cue.group(0)}”，正文分条（{sections} 个“一、”标题，{numbered} 条）"
            " / policy title + numbered provisions"
        )
    return None


def _news_body(lines: list[str], body: str) -> str | None:
    """An article: three or more prose paragraphs (or a reporter's credit)."""
    prose = sum(1 for line in lines if len(line) >= 30 and has_sentence_end(line))
    mark = _NEWS_MARK.search(body)
    if prose >= 3:
        credit = f"，{mark.group(0)}" if mark else ""
        return f"正文为新闻体（{prose} 个段落{credit}） / reads as an article"
    return None
