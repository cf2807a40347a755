"""Quick /api/search timing on the seeds + labelled archive (issue 16 before/after).

Imports the five seeds and the sixteen labelled captures into a fresh data dir
(``bench/quality.py``'s helpers), then times every judged query and a few
harder ones through ``/api/search`` with the result cache off, ``--rounds``
times each; prints the median and p90 per query mix in milliseconds.
Run it from a checkout: ``python bench/search_timing.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.quality import LABELLED, SEEDS, api_client, import_documents  # noqa: E402

EXTRA = ["人才", "房", "-德州", "高层次人才引进", "人才 OR 住房", "小编", "安家补贴 院士"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--exact", action="store_true", help="exact=1: no synonyms")
    parser.add_argument("--per-query", action="store_true", help="median per query too")
    args = parser.parse_args(argv)
    queries = json.loads((LABELLED / "dev" / "queries.json").read_text(encoding="utf-8"))
    mix = [q["query"] for q in queries] + EXTRA
    paths = sorted((LABELLED / "dev" / "raw").iterdir()) + sorted(SEEDS.iterdir())
    os.environ["SEARCH_RESULT_CACHE"] = "0"
    with tempfile.TemporaryDirectory(prefix="archive-timing-") as folder:
        import_documents(Path(folder), paths)
        client = api_client(Path(folder))
        for q in mix:  # warm: searcher, columns, jieba
            client.get("/api/search", {"q": q})
        by_query: dict[str, list[float]] = {q: [] for q in mix}
        for _ in range(args.rounds):
            for q in mix:
                started = time.perf_counter()
                params = {"q": q, **({"exact": "1"} if args.exact else {})}
                assert client.get("/api/search", params).status_code == 200
                by_query[q].append((time.perf_counter() - started) * 1000)
    if args.per_query:
        for q, spent in by_query.items():
            print(f"{statistics.median(spent):7.1f} ms  {q}")
    times = sorted(t for spent in by_query.values() for t in spent)
    p90 = times[int(len(times) * 0.9)]
    print(f"/api/search x{len(times)}: median {statistics.median(times):.1f} ms, p90 {p90:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
