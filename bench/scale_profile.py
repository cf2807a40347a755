"""Search at archive scale, in process, class by class (issue 18).

Times the bench query mix (bench/queries.py) on an archive already imported
(``--data``, an ``ARCHIVE_DATA_DIR``) through the engine (``search.engine.search``,
as ``search.selectors`` calls it) and through ``/api/search`` (Django's test
client), with the result cache off: the engine's own cost. The searcher is warmed
first (columns, lengths); round 1 is each query's first ask (no phrase memo),
the next rounds repeat it. ``--profile`` runs cProfile over every query of the
mix through the engine and prints the heaviest functions by own and total time.

    .venv/bin/python bench/scale_profile.py --data /tmp/archive/data --rounds 5 --json out.json
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup(data: Path) -> None:
    from bench.run import django_env

    os.environ.update(django_env(data), ALLOWED_HOSTS="testserver", SEARCH_RESULT_CACHE="0")
    import django

    django.setup()


def engine_call(params: dict[str, str]):
    """A function running ``params`` through the engine as the selectors do."""
    from search import engine
    from search.query import parse_query, query_to_run
    from search.selectors import synonym_table

    query = query_to_run(parse_query(params["q"], synonyms=synonym_table()))
    filters = {k: [params[k]] for k in ("province", "doc_type") if k in params}
    years = (params.get("year_from"), params.get("year_to"))
    size = int(params.get("page_size", 20))
    offset = (int(params.get("page", 1)) - 1) * size
    sort = params.get("sort", "relevance")

    def run():
        options = {"filters": filters, "years": years, "sort": sort}
        return engine.search(query, **options, offset=offset, limit=size)

    return run


def api_call(params: dict[str, str]):
    from django.test import Client

    client = Client()

    def run():
        assert client.get("/api/search", params).status_code == 200

    return run


def time_mix(make, rounds: int) -> tuple[dict, dict]:
    """Wall and CPU milliseconds, each {class: {"first": [...], "repeat": [...]}}.

    CPU time is this thread's (``time.thread_time``): what other processes on a
    shared machine change least, so before/after is compared on it.
    """
    from bench.queries import QUERY_MIX

    calls = [(kind, make(params)) for kind, params in QUERY_MIX]
    wall: dict[str, dict[str, list[float]]] = {}
    cpu: dict[str, dict[str, list[float]]] = {}
    for round_no in range(rounds):
        slot_name = "first" if round_no == 0 else "repeat"
        for kind, run in calls:
            started, started_cpu = time.perf_counter(), time.thread_time()
            run()
            for out, spent in (
                (wall, time.perf_counter() - started),
                (cpu, time.thread_time() - started_cpu),
            ):
                out.setdefault(kind, {"first": [], "repeat": []})[slot_name].append(spent * 1000)
    return wall, cpu


def summary(times: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, float]]:
    rows = {}
    for kind, slots in times.items():
        rows[kind] = {
            "first_p50": statistics.median(slots["first"]),
            "first_max": max(slots["first"]),
            "repeat_p50": statistics.median(slots["repeat"]) if slots["repeat"] else 0.0,
            "repeat_max": max(slots["repeat"]) if slots["repeat"] else 0.0,
        }
    everything = [t for s in times.values() for t in s["repeat"]] or [0.0]
    firsts = sorted(t for s in times.values() for t in s["first"])
    everything.sort()
    rows["ALL"] = {
        "first_p50": statistics.median(firsts),
        "first_max": firsts[int(len(firsts) * 0.95)],  # p95 for the whole mix
        "repeat_p50": statistics.median(everything),
        "repeat_max": everything[int(len(everything) * 0.95)],
    }
    return rows


def profile(kinds: list[str], top: int) -> str:
    from bench.queries import QUERY_MIX

    calls = [engine_call(p) for k, p in QUERY_MIX if not kinds or k in kinds]
    prof = cProfile.Profile()
    prof.enable()
    for run in calls:
        run()
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--api", action="store_true", help="time /api/search too")
    parser.add_argument("--profile", nargs="*", help="cProfile these classes (none: all)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    setup(args.data)
    from search.indexing import backend

    with backend()._searcher() as searcher:
        segments = len(searcher.leaf_searchers())
        documents = searcher.doc_count()
    engine_call({"q": "山东"})()  # the searcher's columns and lengths, read once
    result: dict = {"load": os.getloadavg()[0], "segments": segments, "documents": documents}
    if args.profile is not None:
        engine_call({"q": "warm"})()
        print(profile(args.profile, args.top))
        return 0
    wall, cpu = time_mix(engine_call, args.rounds)
    result["engine"], result["engine_cpu"] = summary(wall), summary(cpu)
    if args.api:
        wall, cpu = time_mix(api_call, args.rounds)
        result["api"], result["api_cpu"] = summary(wall), summary(cpu)
    result["load_after"] = os.getloadavg()[0]
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
