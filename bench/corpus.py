"""A seeded generator of realistic talent-policy reports for benchmarks.

Why not random text: segmentation, cleaning, detection and the index all behave
differently on real prose. Each generated report is therefore made of real
paragraphs (the cleaned seeds, fixtures/samples/out/) recombined, with:

- a city drawn from the gazetteer (Zipf-weighted: an archive holds many reports
  of a few cities and a few of many), substituted for the seed's own city and
  province in the headline and the body;
- numbers re-drawn with the same number of digits, so figures vary;
- a long tail of vocabulary: jieba dictionary words drawn by a Zipf law over
  their frequency rank (``textkit.dictionary_words``), set in phrases;
- the shape of a real capture: site name, dateline, share bar, editor line,
  copyright footer and prev/next links (seeds 000-002), or a reply letter with
  an addressee and a signed date (003, 004); some HTML pages, some GB18030;
- some reports in Traditional script (``textkit.s2t``), as seed 004.

Report ``i`` depends only on (seed, i), so a smaller BENCH_N is a prefix of a
larger one. Usage: ``python bench/corpus.py OUT_DIR N [--seed S]``.
"""

from __future__ import annotations

import argparse
import bisect
import html
import itertools
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import textkit  # noqa: E402
from archive.gazetteer import Gazetteer, Place  # noqa: E402

CLEANED = ROOT / "fixtures" / "samples" / "out"
DEFAULT_SEED = 20240618
#: each seed's own city and province (full, short), replaced by the drawn city's.
SEED_PLACES = {
    "000": ("兰州市", "兰州", "甘肃省", "甘肃"),
    "001": ("运城市", "运城", "山西省", "山西"),
    "002": ("呼和浩特市", "呼和浩特", "内蒙古自治区", "内蒙古"),
    "003": ("德州市", "德州", "山东省", "山东"),
    "004": ("泸州市", "泸州", "四川省", "四川"),
}
LETTER_SEEDS = ("003", "004")
SHARE_TRADITIONAL = 0.08
SHARE_HTML = 0.10
SHARE_GB18030 = 0.07
SITES = (
    "每日甘肃网", "大院网-山西大院资讯网", "新浪新闻客户端", "人民网", "新华网", "央广网",
    "中国组织人事报", "{city}日报", "{city}新闻网", "{prov}人民政府网", "{city}人才网",
    "澎湃新闻", "光明网", "中国新闻网",
)  # fmt: skip
NEWS_HEADLINES = (
    "{city}深入实施人才强市战略 {w}领域人才加速集聚",
    "{short}出台人才新政 最高给予{n}万元购房补贴",
    "“{w}”人才计划落地{city} 首批{n}名人才入选",
    "{city}召开人才工作新闻发布会",
    "关于{city}{w}人才引进工作情况的新闻发布会实录",
    "厚植人才沃土 {short}赋能高质量发展",
    "【人才强市】{city}：以{w}为牵引打造人才集聚高地",
    "{prov}{city}持续优化人才生态 {n}余名高校毕业生留{short}就业",
    "{short}：人才公寓拎包入住 {w}人才安居有保障",
)  # fmt: skip
LETTER_HEADLINES = (
    "关于对市人大{n}号建议的答复",
    "{city}人力资源和社会保障局关于{w}人才支撑的建议答复的函",
    "关于加快{w}人才队伍建设的建议的答复",
)  # fmt: skip
FILLERS = (
    "围绕{a}、{b}等领域,加快集聚一批{c}人才。",
    "重点支持{a}和{b}项目,对{c}团队给予配套支持。",
    "推动{a}与{b}深度融合,{c}工作取得新进展。",
    "组织开展{a}专题培训,覆盖{b}、{c}等行业。",
)  # fmt: skip
EDITORS = ("贾小燕", "王晓明", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊")
# A quantity (961家, 7876.42万元, 30%): re-drawn. Dates, times and ratios stay as written.
_NUMBER = re.compile(r"(?<![\d.])\d+(?=(?:\.\d+)?[万亿千百余多]?[名人个项家元套平件所座%])")
_SENTENCE = re.compile("[。，,；;！？]")
#: the commonest dictionary words are particles and pronouns (的, 我们): skipped.
COMMON_WORDS_SKIPPED = 300


@dataclass(frozen=True)
class Generated:
    """One generated file: its relative path and bytes, and what it was made from."""

    path: str
    data: bytes
    city: str
    traditional: bool


@dataclass(frozen=True)
class _Paragraph:
    seed: str
    text: str  # Simplified, with {CITY} {SHORT} {PROV} {PSHORT} placeholders


@cache
def paragraphs() -> tuple[_Paragraph, ...]:
    """Body paragraphs of the cleaned seeds, in Simplified, places made placeholders."""
    out: list[_Paragraph] = []
    for path in sorted(CLEANED.glob("*.txt")):
        seed = path.name[:3]
        city, short, prov, pshort = SEED_PLACES[seed]
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        for line in lines[1:]:  # the first line is the title
            if len(line) < 20 or not _SENTENCE.search(line):  # salutations, signatures
                continue
            text = textkit.t2s(line)
            for name, slot in ((city, "{CITY}"), (short, "{SHORT}"), (prov, "{PROV}")):
                text = text.replace(name, slot)
            out.append(_Paragraph(seed, text.replace(pshort, "{PSHORT}")))
    return tuple(out)


@cache
def cities() -> tuple[tuple[Place, Place], ...]:
    """(prefecture, province) pairs, in a fixed shuffled order (the Zipf ranks)."""
    gaz = Gazetteer.load_default()
    pairs = [(p, gaz.province_of(p)) for p in gaz.places if p.level == "prefecture"]
    random.Random(DEFAULT_SEED).shuffle(pairs)
    return tuple(pairs)


def _zipf_cumulative(n: int, s: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank**s) for rank in range(1, n + 1)))


@cache
def _city_weights() -> list[float]:
    return _zipf_cumulative(len(cities()), 0.9)


@cache
def _vocabulary() -> tuple[tuple[str, ...], list[float]]:
    """Two- to four-character Han words of jieba's dictionary, commonest first."""
    words = tuple(
        w for w, _ in textkit.dictionary_words() if 2 <= len(w) <= 4 and textkit.is_han(w)
    )[COMMON_WORDS_SKIPPED:]
    return words, _zipf_cumulative(len(words), 1.05)


def _draw(rng: random.Random, cumulative: list[float]) -> int:
    return bisect.bisect_left(cumulative, rng.random() * cumulative[-1])


def _word(rng: random.Random) -> str:
    words, cumulative = _vocabulary()
    return words[min(_draw(rng, cumulative), len(words) - 1)]


def _renumber(rng: random.Random, text: str) -> str:
    """Every quantity's integer part re-drawn with as many digits (never a leading 0)."""

    def draw(m: re.Match[str]) -> str:
        digits = len(m.group())
        low = 10 ** (digits - 1) if digits > 1 else 1
        return str(rng.randint(low, 10**digits - 1))

    return _NUMBER.sub(draw, text)


def _body(rng: random.Random, seed: str, places: dict[str, str]) -> list[str]:
    pool = paragraphs()
    own = [p for p in pool if p.seed == seed]
    count = rng.randint(8, 44)
    chosen = [rng.choice(own) if rng.random() < 0.6 else rng.choice(pool) for _ in range(count)]
    body = []
    for para in chosen:
        text = _renumber(rng, para.text.format_map(places))
        if rng.random() < 0.5:
            filler = rng.choice(FILLERS).format(a=_word(rng), b=_word(rng), c=_word(rng))
            text = text + filler if rng.random() < 0.5 else filler + text
        body.append(text)
    return body


def _when(rng: random.Random) -> date:
    return date(2015, 1, 1) + timedelta(days=rng.randrange(3833))  # to mid-2025


def _capture(rng: random.Random, title: str, body: list[str], places: dict[str, str]) -> str:
    """A news page saved as text: chrome, dateline, indented paragraphs, footer."""
    site = rng.choice(SITES).format(city=places["CITY"], prov=places["PROV"])
    when = _when(rng)
    clock = f"{rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}"
    dateline = rng.choice(
        (
            f"{when.isoformat()} {clock}:{rng.randint(0, 59):02d}",
            f"{when.year}年{when.month:02d}月{when.day:02d}日 {clock} {site}",
            f"发布时间：{when.isoformat()}  来源：{site}",
        )
    )
    lines = [site, "", title, ""]
    if rng.random() < 0.3:
        lines += [title, ""]  # printed twice, as in seeds 002 and 004
    lines += [dateline, "", "分享到：", ""]
    lines += [f"  {para}" for para in body]
    lines += ["", f"编辑：{rng.choice(EDITORS)}", ""]
    lines += [f"Copyright © 1996-{when.year} {site} 版权所有", "All Rights Reserved", ""]
    lines += [f"上一篇：{places['CITY']}举办人才沙龙活动", "下一篇：我市大力引进培养急需紧缺人才"]
    return "\n".join(lines)


def _letter(rng: random.Random, title: str, body: list[str], places: dict[str, str]) -> str:
    """A reply to a deputy's proposal: addressee, body, signature, date."""
    when = _when(rng)
    office = f"{places['CITY']}{rng.choice(('人力资源和社会保障局', '委组织部', '科学技术局'))}"
    lines = [title, f"{rng.choice(('王', '李', '孙', '周'))}{rng.choice(('代表', '委员'))}："]
    lines += [f"您提出的《关于{places['CITY']}{_word(rng)}人才工作的建议》收悉，现答复如下："]
    lines += body
    lines += [office, f"{when.year}年{when.month}月{when.day}日"]
    return "\n".join(lines)


def _as_html(title: str, text: str) -> str:
    paras = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'</head><body><div class="nav">首页 | 新闻 | 人才</div><div class="content">\n'
        f"{paras}\n</div></body></html>"
    )


def generate_one(index: int, *, seed: int = DEFAULT_SEED) -> Generated:
    """Report ``index`` of the corpus: the same bytes for the same (seed, index)."""
    rng = random.Random(f"{seed}:{index}")
    city, province = cities()[_draw(rng, _city_weights())]
    places = {
        "CITY": city.name,
        "SHORT": city.short_name,
        "PROV": province.name,
        "PSHORT": province.short_name,
    }
    seed_name = rng.choice(sorted(SEED_PLACES))
    letter = seed_name in LETTER_SEEDS
    title = rng.choice(LETTER_HEADLINES if letter else NEWS_HEADLINES).format(
        city=city.name,
        short=city.short_name,
        prov=province.name,
        w=_word(rng),
        n=rng.randint(2, 999),
    )
    body = _body(rng, seed_name, places)
    shape = _letter if letter else _capture
    text = shape(rng, title, body, places)
    traditional = rng.random() < SHARE_TRADITIONAL
    if traditional:
        text, title = textkit.s2t(text), textkit.s2t(title)
    as_html = rng.random() < SHARE_HTML
    if as_html:
        text = _as_html(title, text)
    encoding = "gb18030" if not traditional and rng.random() < SHARE_GB18030 else "utf-8"
    name = f"{index // 1000:03d}/{index:06d}.{'html' if as_html else 'txt'}"
    if as_html and encoding != "utf-8":
        text = text.replace('charset="utf-8"', 'charset="gb18030"')
    return Generated(name, text.encode(encoding), city.name, traditional)


def generate(n: int, *, seed: int = DEFAULT_SEED) -> Iterator[Generated]:
    for index in range(n):
        yield generate_one(index, seed=seed)


def write_corpus(folder: Path, n: int, *, seed: int = DEFAULT_SEED) -> tuple[int, int]:
    """Write ``n`` reports under ``folder``; returns (files, bytes)."""
    total = 0
    for item in generate(n, seed=seed):
        path = folder / item.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(item.data)
        total += len(item.data)
    return n, total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    files, size = write_corpus(args.out, args.n, seed=args.seed)
    print(f"{files} reports, {size / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
