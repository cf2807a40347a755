"""City and compare pages in process, by cache state (issue 18, stop 17).

Serves ``/cities/<slug>/`` for the largest cities and ``/compare/?cities=a,b`` for
pairs of them through Django's test client on an archive already imported
(``--data``, an ``ARCHIVE_DATA_DIR``; the version tokens are written under it, so
point it at a copy). Four states per page, each timed ``--rounds`` times:

- cold: every cached value and page cleared (as after a deploy);
- warm: the same request again (a page-cache hit);
- other: after a save in another city (the archive version moves, this city's not);
- this: after a save in this city (both move).

Wall and CPU time (this thread's: SQLite runs in it) per request; on a shared
machine the CPU time is what other processes change least. A save is simulated by
bumping the versions as the save signal would
(``cache_versions.bump``), so the archive is not changed. ``--profile STATE``
runs cProfile over that state's requests and prints the heaviest functions.

    .venv/bin/python bench/city_pages.py --data /tmp/copy/data --rounds 3 --json out.json
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

STATES = ("cold", "warm", "other", "this")


def setup(data: Path) -> None:
    from bench.run import django_env

    os.environ.update(django_env(data), ALLOWED_HOSTS="testserver")
    import django

    django.setup()


def largest_cities(n: int) -> list:
    """The ``n`` prefectures with the most public reports (counties folded in)."""
    from archive.selectors import city_directory

    rows = [row for group in city_directory() for row in group.cities]
    rows = [row for row in rows if row.city.parent_id is None]
    return [row.city for row in sorted(rows, key=lambda r: -r.count)[:n]]


def pages(cities: list) -> list[tuple[str, str, list]]:
    """(kind, url, cities it shows) for every city page and each pair of neighbours."""
    out = [("city", f"/cities/{c.slug}/", [c]) for c in cities]
    pairs = list(zip(cities, cities[1:] + cities[:1], strict=True))
    out += [("compare", f"/compare/?cities={a.name},{b.name}", [a, b]) for a, b in pairs]
    return out


def prepare(state: str, shown: list, others: list) -> None:
    """Put the caches in ``state`` before a request."""
    from django.core.cache import caches

    from archive import cache_versions

    if state == "cold":
        caches["default"].clear()
    elif state == "other":
        other = next(c for c in others if c not in shown)
        cache_versions.bump(city_ids=[other.pk])
    elif state == "this":
        cache_versions.bump(city_ids=[shown[0].pk])


def measure(rounds: int, n_cities: int, profile: str | None) -> dict:
    from django.test import Client

    client = Client()
    cities = largest_cities(n_cities + 1)
    spare, cities = cities[-1:], cities[:-1]
    plan = pages(cities)
    client.get(plan[0][1])  # the gazetteer and templates: per process, once
    times: dict[str, dict[str, list[float]]] = {}
    cpu_times: dict[str, dict[str, list[float]]] = {}
    profiler = cProfile.Profile() if profile else None
    for _ in range(rounds):
        for state in STATES:
            for kind, url, shown in plan:
                prepare(state if state != "warm" else "none", shown, cities + spare)
                if state == "warm":
                    client.get(url)  # warm: the page was served once already
                on = profiler is not None and state == profile
                started, cpu = time.perf_counter(), time.thread_time()
                if on:
                    profiler.enable()
                response = client.get(url)
                if on:
                    profiler.disable()
                elapsed = (time.perf_counter() - started) * 1000
                used = (time.thread_time() - cpu) * 1000
                assert response.status_code == 200, (url, response.status_code)
                times.setdefault(kind, {}).setdefault(state, []).append(elapsed)
                cpu_times.setdefault(kind, {}).setdefault(state, []).append(used)
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
        print(out.getvalue())
    return {"cities": [c.name for c in cities], "times": times, "cpu": cpu_times}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def table(result: dict) -> str:
    lines = [
        "| page | state | n | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for kind, states in result["times"].items():
        for state in STATES:
            values, cpu = states.get(state, []), result["cpu"][kind].get(state, [])
            if values:
                p50, p95 = statistics.median(values), percentile(values, 95)
                c50, c95 = statistics.median(cpu), percentile(cpu, 95)
                lines.append(
                    f"| {kind} | {state} | {len(values)} | {p50:.0f} | {p95:.0f} "
                    f"| {c50:.0f} | {c95:.0f} |"
                )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cities", type=int, default=6)
    parser.add_argument("--profile", choices=STATES)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    setup(args.data)
    result = measure(args.rounds, args.cities, args.profile)
    result["load"] = os.getloadavg()[0]
    print(f"load average (1 min): {result['load']:.2f}; cities: {', '.join(result['cities'])}")
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
