"""A real Whoosh index in a temp dir, built from the five seeds plus made-up reports.

Each document is indexed the way the integration will do it: ``text`` and ``grams``
get the title followed by the body, ``title`` the title alone.
"""

import re
from pathlib import Path

import pytest
from whoosh import index
from whoosh.fields import ID, Schema

from search.whoosh_schema import search_fields

SEEDS_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"

# Seed 004 glues pinyin to characters: 關(guān). The cleaner removes it later.
PINYIN_GLOSS_RE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")

SEED_TITLES = {
    "000": "深入实施人才优先发展战略 为兰州高质量发展提供更有力人才支撑新闻发布会实录(文+图)",
    "001": "厚植人才沃土 赋能高质量发展",
    "002": "创新链产业链人才链深度融合 呼和浩特市深化改革“环境留才”",
    "003": "关于全面占领人才引进高地,为高质量发展提供持久动力的建议的答复",
    "004": "瀘州市人力資源和社會保障局關於對市九屆人大三次會議S09030288號建議答復的函",
}

# Made-up reports, each written for one test.
MADE_UP = {
    # 拎包 and 入住 both present but apart: the phrase "拎包入住" must not match.
    "apart": ("某区青年驿站简报", "报到当天只需拎包前往驿站登记,审核通过后入住青年驿站。"),
    "a_class": ("某市引才办法", "对A类人才给予最高100万元安家补贴。"),
    "b_class": ("某市引才细则", "对B类人才给予最高5万元安家补贴。"),
    # Same body length; 公积金 only in the title of one, only in the body of the other.
    "in_title": ("住房公积金新规解读", "本文介绍缴存比例调整的主要内容。"),
    "in_body": ("住房新规解读", "本文介绍公积金缴存比例调整内容。"),
}


def seed_text(prefix: str) -> str:
    """Seed text with 004's pinyin glosses removed (the only cleaning done here)."""
    (path,) = sorted(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    return PINYIN_GLOSS_RE.sub("", path.read_text(encoding="utf-8"))


def all_documents() -> dict[str, tuple[str, str]]:
    docs = {prefix: (title, seed_text(prefix)) for prefix, title in SEED_TITLES.items()}
    docs.update(MADE_UP)
    return docs


@pytest.fixture(scope="session")
def documents() -> dict[str, tuple[str, str]]:
    return all_documents()


@pytest.fixture(scope="session")
def search_index(tmp_path_factory, documents):
    schema = Schema(id=ID(stored=True, unique=True), **search_fields())
    ix = index.create_in(str(tmp_path_factory.mktemp("whoosh")), schema)
    with ix.writer() as writer:
        for doc_id, (title, body) in documents.items():
            full = f"{title}\n\n{body}"
            writer.add_document(id=doc_id, title=title, text=full, grams=full)
    return ix


@pytest.fixture(scope="session")
def find(search_index):
    """find(q) -> ids in rank order, through parse_query and a real searcher."""
    from search.query import parse_query
    from search.whoosh_query import compile_query

    def run(q: str) -> list[str]:
        parsed = parse_query(q)
        if parsed.is_empty:
            return []
        with search_index.searcher() as searcher:
            return [hit["id"] for hit in searcher.search(compile_query(parsed.query), limit=None)]

    return run
