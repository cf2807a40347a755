"""First asks with the unions and intersections of stop 22 and of stop 23, interleaved.

``search/whoosh_bulk.py`` joins the matches of a query's parts two at a time.
Before stop 23 it did so with ``np.union1d`` / ``np.intersect1d`` (below, as they
were); now with arrays as long as the segment and binary search. Each round asks
the whole mix once as first asks (``bench/first_ask_ab.first_asks``: caches
emptied, a fresh searcher) with one pair, then the other (which goes first
alternates), and every answer must be the same. Pass a copy (its cache is cleared).

    .venv/bin/python bench/first_ask_union_ab.py --data /tmp/copy --rounds 4
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def old_intersect(a, b):
    ids, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return ids, a[1][ia] + b[1][ib]


def old_union_pair(a, b):
    ids = np.union1d(a[0], b[0])
    scores = np.zeros(len(ids), dtype=np.float64)
    in_a = np.searchsorted(ids, a[0])
    in_b = np.searchsorted(ids, b[0])
    only_b = ~np.isin(b[0], a[0], assume_unique=True)
    scores[in_a] = a[1]
    both = in_b[~only_b]
    scores[both] = scores[both] + b[1][~only_b]
    scores[in_b[only_b]] = b[1][only_b]
    return ids, scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args(argv)
    from bench.run import django_env

    os.environ.update(django_env(args.data), ALLOWED_HOSTS="testserver", SEARCH_RESULT_CACHE="0")
    import django

    django.setup()
    from django.test import Client

    from bench.first_ask_ab import first_asks, summary
    from search import whoosh_bulk

    pairs = {
        "before": (old_union_pair, old_intersect),
        "after": (whoosh_bulk._union_pair, whoosh_bulk._intersect),
    }
    client, loads = Client(), [os.getloadavg()[0]]
    runs: dict[str, list] = {name: [] for name in pairs}
    answers = []
    for n in range(args.rounds):
        for name in ("before", "after") if n % 2 == 0 else ("after", "before"):
            # _weighted_tree and _binary_tree are handed these by name at each call
            whoosh_bulk._union_pair, whoosh_bulk._intersect = pairs[name]
            cpu, answered = first_asks(client)
            runs[name].append(cpu)
            answers.append(answered)
            loads.append(os.getloadavg()[0])
    differ = sum(a != b for run in answers[1:] for a, b in zip(answers[0], run, strict=True))
    before, after = summary(runs["before"]), summary(runs["after"])
    for kind in after:
        tail = "p95" if kind == "ALL" else "max"
        b, a = before[kind], after[kind]
        p50, high = f"{b['p50']:6.1f} -> {a['p50']:6.1f}", f"{b[tail]:6.1f} -> {a[tail]:6.1f}"
        print(f"{kind:12s} p50 {p50}   {tail} {high}")
    print("load", [round(x, 1) for x in loads], "different answers", differ)
    return 0


if __name__ == "__main__":
    sys.exit(main())
