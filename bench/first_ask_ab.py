"""First asks of the bench mix with the stop-18 read paths off and on, interleaved (issue 18).

In one process, on the archive ``--data`` (read only), each round opens a fresh
searcher (as a worker does after an index change: per-segment columns stay, the
searcher's memos start empty), then asks every query of the mix once through
``/api/search`` with the result cache off: first asks. The rounds alternate
Whoosh's own read paths (``whoosh_leaves``, ``whoosh_blocks`` and the positions
decoder off) and ours, so both see the same load. CPU is this thread's.

    .venv/bin/python bench/first_ask_ab.py --data /tmp/archive/data --rounds 4
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def use_fast_paths(on: bool) -> None:
    from whoosh.formats import Positions

    from search import whoosh_blocks, whoosh_leaves
    from search.whoosh_postings import IndexPositions

    whoosh_leaves.ENABLED = whoosh_blocks.ENABLED = on
    IndexPositions.decode_positions = FAST_DECODE if on else Positions.decode_positions


def first_asks(client) -> tuple[dict[str, list[float]], list[dict]]:
    from django.core.cache import caches

    from bench.queries import QUERY_MIX
    from search import backend as whoosh_backend
    from search.indexing import backend

    for name in caches:
        caches[name].clear()
    whoosh_backend._pool.forget()
    backend().warm()
    cpu: dict[str, list[float]] = {}
    answers = []
    for kind, params in QUERY_MIX:
        started = time.thread_time()
        response = client.get("/api/search", params)
        cpu.setdefault(kind, []).append((time.thread_time() - started) * 1000)
        assert response.status_code == 200
        answers.append({k: v for k, v in response.json().items() if k != "took_ms"})
    return cpu, answers


def summary(runs: list[dict[str, list[float]]]) -> dict[str, dict[str, float]]:
    """Per class: p50 and max over every first ask of every round; ALL: p50/p95."""
    rows: dict[str, dict[str, float]] = {}
    for kind in runs[0]:
        times = [t for run in runs for t in run[kind]]
        rows[kind] = {"p50": statistics.median(times), "max": max(times)}
    every = sorted(t for run in runs for times in run.values() for t in times)
    rows["ALL"] = {"p50": statistics.median(every), "p95": every[int(len(every) * 0.95)]}
    return rows


def main(argv: list[str] | None = None) -> int:
    global FAST_DECODE
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    from bench.run import django_env

    env = django_env(args.data)
    os.environ.update(env, ALLOWED_HOSTS="testserver", SEARCH_RESULT_CACHE="0")
    import django

    django.setup()
    from django.test import Client

    from search.whoosh_postings import IndexPositions

    FAST_DECODE = IndexPositions.decode_positions
    client, loads = Client(), [os.getloadavg()[0]]
    runs: dict[bool, list] = {False: [], True: []}
    answers: list[list[dict]] = []
    for round_no in range(args.rounds):
        for on in (False, True) if round_no % 2 == 0 else (True, False):
            use_fast_paths(on)
            cpu, answered = first_asks(client)
            runs[on].append(cpu)
            answers.append(answered)
            loads.append(os.getloadavg()[0])
    # every answer of every round, either way, the same as the first round's (took_ms aside)
    differ = sum(a != b for run in answers[1:] for a, b in zip(answers[0], run, strict=True))
    result = {"load": loads, "whoosh": summary(runs[False]), "ours": summary(runs[True])}
    result["different_answers"] = differ
    for kind in result["ours"]:
        b, a = result["whoosh"][kind], result["ours"][kind]
        tail = "p95" if kind == "ALL" else "max"
        p50, high = f"{b['p50']:6.0f} -> {a['p50']:6.0f}", f"{b[tail]:6.0f} -> {a[tail]:6.0f}"
        print(f"{kind:12s} p50 {p50}   {tail} {high}")
    print("load", [round(x, 1) for x in loads], "different answers", differ)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0


FAST_DECODE = None

if __name__ == "__main__":
    sys.exit(main())
