"""Steps that drop whole lines of site chrome, wherever on the page they sit.

Each predicate matches a kind of line no report body is made of: share and print
bars, breadcrumbs, previous/next links, editor credits, datelines, comment and
login boxes, report-abuse contacts, "本文地址" links, menus and copyright lines.
Most also require the line to carry no sentence punctuation, so that a body
sentence that merely mentions a keyword ("可扫一扫二维码申报。") survives.
"""

from __future__ import annotations

import re

from .clean_base import Lines, StepOutput, drop_lines, has_sentence_end, keyword_re, sub_lines

DATE = r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_DATE = re.compile(DATE)
_CLOCK = re.compile(r"(?<!\d)\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?!\d)")


def _short_prose_free(line: str, limit: int) -> bool:
    """At most ``limit`` characters and no sentence punctuation: a label, not prose."""
    return len(line) <= limit and not has_sentence_end(line)


_SHARE = keyword_re(
    "分享到 分享至 一键分享 扫一扫 扫描二维码 打印本页 打印此页 关闭窗口 关闭本页 返回顶部"
    " 回到顶部 收藏本页 加入收藏 设为首页 在手机打开 打开APP 打开App 下载APP 下载App"
    " 下载客户端 客户端下载 APP内打开 长按识别二维码 长按二维码 看下一个 轻触阅读原文"
    " 点击上方蓝字 点击蓝字关注 关注我们"
)
# A line made only of page controls: "[打印] [关闭]", "【纠错】", "分享".
_CONTROLS = keyword_re(
    "打印本页 打印 关闭窗口 关闭 收藏本页 收藏 返回顶部 返回 分享 纠错 我要纠错 字体 字号",
    prefix=r"^(?:[【\[]?\s*(?:",
    suffix=r")\s*[:：]?\s*[】\]]?\s*)+$",
)
_FONT_SIZE = re.compile(r"大\s*[】\]|｜]?\s*[【\[]?\s*中\s*[】\]|｜]?\s*[【\[]?\s*小")
_SHARE_TARGETS = re.compile(
    r"^(?:(?:微信|微博|朋友圈|QQ空间|QQ好友|QQ|新浪微博|腾讯微博|人人网|豆瓣|抖音|今日头条|复制链接"
    r"|更多)[\s,，、|｜/·]*){2,}$"
)


def is_share_bar(line: str) -> bool:
    """Share, print, QR-code, font-size or app-download controls."""
    if not _short_prose_free(line, 60):
        return False
    if _FONT_SIZE.search(line) and len(line) <= 20:
        return True
    return bool(_SHARE.search(line) or _CONTROLS.match(line) or _SHARE_TARGETS.match(line))


def drop_share_and_print_bars(lines: Lines) -> StepOutput:
    """Drop share/print/QR/font-size/app bars ("分享到:" in 000; gov.cn "【打印本页】")."""
    return drop_lines(lines, is_share_bar)


# Up to eight characters may precede the trail: 000 glues a spam token to its front.
_BREADCRUMB = keyword_re(
    "您当前的位置 你当前的位置 您当前位置 当前位置 您现在的位置 您的位置 你的位置",
    prefix=r"^[^，,。；;：:]{0,8}?",
)
_HOME_ARROW = keyword_re("首页 主页 网站首页", suffix=r"\s*(?:>>?|＞|»|›|→|/)")
_ARROW = re.compile(r"\s*(?:>>?|＞|»|›|→)\s*")


def is_breadcrumb(line: str) -> bool:
    """A "you are here" trail: 当前位置…, or short steps joined by arrows ("人民网>>地方>>甘肃")."""
    if _BREADCRUMB.match(line):
        return True
    if has_sentence_end(line):
        return False
    steps = _ARROW.split(line)
    return bool(_HOME_ARROW.search(line)) or (len(steps) >= 3 and max(map(len, steps)) <= 15)


def drop_breadcrumbs(lines: Lines) -> StepOutput:
    """Drop "您当前的位置:…"/"首页 > …" trails (000's repeats the title after site names)."""
    return drop_lines(lines, is_breadcrumb)


_PAGINATION = keyword_re(
    "上一页 下一页 首页 尾页 末页 共 页 第",
    prefix=r"^(?=.*[页頁])(?:\s*(?:\d+|[<>«»]|",
    suffix=r"))+\s*$",
)
_PREV_NEXT = keyword_re(
    "上一篇 下一篇 上一条 下一条 上一页 下一页 上篇 下篇",
    prefix=r"^[【\[]?\s*",
    suffix=r"(?:\s*[:：】\]]|\s|$)",
)


def drop_prev_next_links(lines: Lines) -> StepOutput:
    """Drop "上一篇:…/下一篇:…" story links (end of 000) and "1 2 3 下一页" page links."""
    return drop_lines(lines, lambda line: bool(_PREV_NEXT.match(line) or _PAGINATION.match(line)))


_CREDIT_LINE = keyword_re(
    "责任编辑 值班编辑 特约编辑 编辑 责编 主编 审核 审校 校对 初审 复审 终审 编审 监制 美编"
    " 作者 撰稿 摄影 来源 稿源 信息来源 文章来源 图片来源 本文来源 消息来源",
    prefix=r"^[\[【(（]?\s*",
    suffix=r"\s*[:：/]",
)
_CREDIT_TAIL = keyword_re(
    "责任编辑 值班编辑 编辑 责编",
    prefix=r"\s*[\[【(（]\s*",
    suffix=r"\s*[:：][^\]】)）]{1,30}[\]】)）]\s*$",
)


def drop_editor_credits(lines: Lines) -> StepOutput:
    """Drop credit lines ("来源：…", "[责任编辑：…]") and closing tags; not "编辑:贾小燕" (002)."""
    # An editor's plain credit under the text is the article's own signature (the
    # labelled truth keeps 002's); bracketed tags and source lines are the CMS's.
    kept, removed = drop_lines(
        lines,
        lambda line: (
            _short_prose_free(line, 60)
            and bool(_CREDIT_LINE.match(line))
            and not _OWN_EDITOR.match(line)
        ),
    )
    kept, tails = sub_lines(kept, _CREDIT_TAIL)
    return kept, removed + tails


_OWN_EDITOR = re.compile(r"^(?:责任编辑|責任編輯|编辑|編輯|责编|責編)\s*[:：]\s*\S{2,8}$")


_META_LABEL = keyword_re(
    "发布时间 发布日期 更新时间 发稿时间 浏览次数 浏览量 浏览 点击数 点击量 点击率 阅读数 阅读量"
    " 阅读次数 访问量 访问次数 索引号 发布机构 关键词 关键字 标签",
    suffix=r"\s*[:：]",
)
_PAGE_LABEL = keyword_re("时间 日期 来源 作者 编辑 字号 点击 阅读", suffix=r"\s*[:：]")
# "时间：2024年6月18日 9:00" opening a line is when an event happens, not page metadata.
_EVENT_TIME = keyword_re("时间 日期", prefix=r"^[^:：]{0,6}", suffix=r"\s*[:：]")


def is_dateline(line: str) -> bool:
    """A page-metadata line: labels such as 发布时间/浏览次数, or a date with a clock time."""
    if not _short_prose_free(line, 100):
        return False
    labels = len(_PAGE_LABEL.findall(line))
    if _META_LABEL.search(line) or labels >= 2:
        return True
    stamped = _DATE.search(line) and (labels or _CLOCK.search(line))
    return bool(stamped) and not _EVENT_TIME.match(line)


def drop_bylines_and_timestamps(lines: Lines) -> StepOutput:
    """Drop datelines/bylines ("2022-12-09 12:01:11" in 000, "网络编辑 运城 2023-…" in 001)."""
    return drop_lines(lines, is_dateline)


_COMMENT_LOGIN = keyword_re(
    "留言与评论 发表评论 我要评论 网友评论 条评论 评论区 文明发言 理性发言 验证码 请登录 请先登录"
    " 已登录 未登录 立即登录 登录入口 用户登录 会员登录 登录注册 注册登录 免费注册 点击登录"
    " 退出登录 如已完成请点击"
)


def drop_comment_and_login_boxes(lines: Lines) -> StepOutput:
    """Drop comment boxes and login prompts ("留言与评论", "验证码:" in 001; "已登錄" in 004)."""
    return drop_lines(
        lines, lambda line: _short_prose_free(line, 40) and bool(_COMMENT_LOGIN.search(line))
    )


#: "尽在新浪财经APP", "下载XX客户端", "关注微信公众号": an outlet advertising its app.
_APP_PROMO = re.compile(
    r"(?:尽在|下载|下載|扫码|掃碼|关注|關注|打开|打開|安装|安裝).{0,16}"
    r"(?:APP|App|app|客户端|客戶端|公众号|公眾號)"
)
_EDGE = 6  # such lines open or close an article, never stand in its middle


def drop_app_promotions(lines: Lines) -> StepOutput:
    """Drop an outlet's app slogan in the first or last lines ("…尽在新浪财经APP", dev 10)."""
    edges = set(range(min(_EDGE, len(lines)))) | set(range(max(0, len(lines) - _EDGE), len(lines)))
    kept: Lines = []
    removed: Lines = []
    for index, line in enumerate(lines):
        promo = index in edges and _short_prose_free(line, 40) and _APP_PROMO.search(line)
        (removed if promo else kept).append(line)
    return kept, removed


#: the outlet's editor addressing the reader ("下面小编带您看看…", "跟着小编一起了解"):
#: the self-reference every Chinese web outlet uses, never a fact of the report.
_EDITOR_ASIDE = re.compile(
    r"(?:小编|小編)(?:带|帶|为|為|和|跟|陪|给|給|来|來)?(?:您|你|大家)"
    r"|(?:跟|随|隨|和)(?:着|著)?(?:小编|小編)"
)
_DIGIT = re.compile(r"\d")


def drop_editor_asides(lines: Lines) -> StepOutput:
    """Drop the editor's aside to the reader ("下面小编带您看看这一好消息的重要意义！", dev 07)."""
    # Short and without a number: such a line announces what follows and states
    # nothing; a sentence that carries a figure stays whoever speaks in it.
    return drop_lines(
        lines,
        lambda line: (
            len(line) <= 40 and not _DIGIT.search(line) and bool(_EDITOR_ASIDE.search(line))
        ),
    )


_REPORT_ABUSE = keyword_re("举报邮箱 举报电话 举报热线 举报中心 不良信息举报 违法和不良信息")


def drop_report_contacts(lines: Lines) -> StepOutput:
    """Drop report-abuse contacts ("举报邮箱:jubao@vip.sina.com" in 002)."""
    return drop_lines(
        lines, lambda line: _short_prose_free(line, 80) and bool(_REPORT_ABUSE.search(line))
    )


_SOURCE_LINK = keyword_re(
    "本文地址 本文链接 本文网址 原文地址 原文链接 文章地址 文章链接 转载请注明 本文转自 本文转载自",
    prefix=r"^[\[【(（]?\s*",
)
_LONE_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


_FILE_NAME = re.compile(
    r"\s*[\w\-. ]{1,80}\.(?:docx?|xlsx?|pptx?|pdf|wps|et|zip|rar|7z|txt|ofd)\s*", re.I
)


def drop_attachment_file_names(lines: Lines) -> StepOutput:
    """Drop lines that are only a stored file's name ("202506041559055705.doc", dev 02)."""
    # The link text of a CMS attachment icon, never a sentence. A name with Chinese in
    # it ("附件：《申报表》.docx") says what is attached and stays.
    return drop_lines(lines, lambda line: _FILE_NAME.fullmatch(line) is not None)


#: the label of a CMS download widget, printed before its file links on every kind of
#: site; a 公文's own "附件：" note (what is attached) is not one and stays.
_DOWNLOAD_LABEL = keyword_re(
    "附件下载 下载附件 相关附件 附件列表 相关下载 附件下載 下載附件",
    prefix=r"^[【\[]?",
    suffix=r"[】\]]?\s*[:：]\s*",
)


def strip_download_labels(lines: Lines) -> StepOutput:
    """Cut a download widget's "附件下载：" and keep the attachment titles after it (dev 08)."""
    return sub_lines(lines, _DOWNLOAD_LABEL)


def drop_source_links(lines: Lines) -> StepOutput:
    """Drop "本文地址:URL" lines and bare URLs (001 prints its own address in the footer)."""
    return drop_lines(lines, lambda line: bool(_SOURCE_LINK.match(line) or _LONE_URL.match(line)))


_NAV_SPLIT = re.compile(r"\s*[|｜]\s*|\s{2,}")


def is_nav_bar(line: str) -> bool:
    """Three or more short items split by bars or wide gaps: a site menu, not prose."""
    items = [item for item in _NAV_SPLIT.split(line) if item]
    return len(items) >= 3 and all(len(item) <= 8 for item in items) and not has_sentence_end(line)


def drop_nav_bars(lines: Lines) -> StepOutput:
    """Drop menus like "首页 | 机构概况 | 政务公开" and "联系我们 | 网站地图" (gov.cn pages)."""
    return drop_lines(lines, is_nav_bar)


COPYRIGHT = re.compile(
    r"copyright|all rights reserved|©|\(c\)\s*\d{4}|"
    + keyword_re("版权所有 ICP备 ICP证 网站标识码 公网安备 网安备").pattern
    + "|"
    + keyword_re("版权声明 免责声明", prefix=r"^\W*").pattern,
    re.IGNORECASE,
)


def drop_copyright_lines(lines: Lines) -> StepOutput:
    """Drop copyright, disclaimer and ICP lines ("Copyright © 1996-2024 SINA Corporation", 002)."""
    return drop_lines(lines, lambda line: len(line) <= 200 and bool(COPYRIGHT.search(line)))


CHROME_STEPS = (
    drop_share_and_print_bars,
    drop_breadcrumbs,
    drop_prev_next_links,
    drop_editor_credits,
    drop_bylines_and_timestamps,
    drop_comment_and_login_boxes,
    drop_report_contacts,
    drop_source_links,
    drop_attachment_file_names,
    drop_nav_bars,
    drop_copyright_lines,
)


def is_line_chrome(line: str) -> bool:
    """True when a rule of this module would drop the whole line (used by the footer step)."""
    return any(not step([line])[0] for step in CHROME_STEPS)
