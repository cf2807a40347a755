"""A page's miss right after an unrelated save, with fragments off and on (issue 18, stop 19).

Serves ``/reports/<id>/`` (the newest report of each of the largest cities),
``/cities/<slug>/`` and ``/compare/?cities=a,b`` (neighbouring pairs) through
Django's test client on an imported archive (``--data``, an ``ARCHIVE_DATA_DIR``;
version tokens are written under it, so point it at a copy). Before each timed
request a save in a city the page does not show is simulated by bumping the
versions as the save signal would (``cache_versions.bump(city_ids=[other])``):
the whole-page cache misses, as it does under ``make load``. ``PAGE_FRAGMENTS``
is switched off and on per request, interleaved, so both modes share the
machine's noise; CPU time is this thread's (SQLite and Whoosh run in it).

Each round warms each page once in each mode first (fragments are computed by
the first miss after a write in the page's own scope, not by every miss). Two
states: ``first``, the first page drawn after the save (it also computes every
archive-wide value: keywords, picker, suggestions, the index check), and
``second``, a page drawn after another page of the same kind but other cities
(the archive-wide values it shares are computed; its own city's keywords are
not). ``--profile MODE`` runs cProfile over that mode's timed requests.

    .venv/bin/python bench/page_fragments.py --data /tmp/copy/data --rounds 5
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

from bench.city_pages import largest_cities, percentile, setup  # noqa: E402

MODES = ("off", "on")
STATES = ("first", "second")


def pages(cities: list) -> list[tuple[str, str, list]]:
    """(kind, url, cities shown) for each city's newest report, its page, and pairs."""
    from archive.selectors import city_reports

    out = []
    for city in cities:
        newest = city_reports(city=city).order_by("-published_on", "-id").first()
        out.append(("report", f"/reports/{newest.pk}/", [city]))
    out += [("city", f"/cities/{c.slug}/", [c]) for c in cities]
    pairs = list(zip(cities, cities[1:] + cities[:1], strict=True))
    out += [("compare", f"/compare/?cities={a.name},{b.name}", [a, b]) for a, b in pairs]
    return out


def timed(client, url: str, profiler: cProfile.Profile | None) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.thread_time()
    if profiler is not None:
        profiler.enable()
    response = client.get(url)
    if profiler is not None:
        profiler.disable()
    elapsed, used = (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000
    assert response.status_code == 200, (url, response.status_code)
    assert response["X-Page-Cache"] == "miss", url
    return elapsed, used


def measure(rounds: int, n_cities: int, profile: str | None) -> dict:
    from django.conf import settings
    from django.test import Client

    from archive import cache_versions

    client = Client()
    cities = largest_cities(n_cities + 1)
    other, cities = cities[-1], cities[:-1]
    plan = pages(cities)
    for _, url, _ in plan:
        client.get(url)  # the gazetteer, templates, searcher: per process, once
    result: dict[str, dict[str, dict[str, list[float]]]] = {"wall": {}, "cpu": {}}
    profiler = cProfile.Profile() if profile else None
    for _ in range(rounds):
        for i, (kind, url, _shown) in enumerate(plan):
            neighbour = plan[i + 1 if i + 1 < len(plan) and plan[i + 1][0] == kind else i - 1]
            for state in STATES:
                for mode in MODES:
                    settings.PAGE_FRAGMENTS = mode == "on"
                    cache_versions.bump(city_ids=[other.pk])
                    client.get(url)  # this mode's fragments, if any, computed once
                    cache_versions.bump(city_ids=[other.pk])
                    if state == "second":
                        client.get(neighbour[1])
                    on = profiler if mode == profile else None
                    wall, cpu = timed(client, url, on)
                    label = f"{kind}/{state}"
                    result["wall"].setdefault(label, {}).setdefault(mode, []).append(wall)
                    result["cpu"].setdefault(label, {}).setdefault(mode, []).append(cpu)
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(50)
        print(out.getvalue())
    return {"cities": [c.name for c in cities], "other": other.name, **result}


def table(result: dict) -> str:
    lines = [
        "| page/state | fragments | n | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for kind, modes in result["wall"].items():
        for mode in MODES:
            wall, cpu = modes[mode], result["cpu"][kind][mode]
            lines.append(
                f"| {kind} | {mode} | {len(wall)} | {statistics.median(wall):.0f} "
                f"| {percentile(wall, 95):.0f} | {statistics.median(cpu):.0f} "
                f"| {percentile(cpu, 95):.0f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cities", type=int, default=6)
    parser.add_argument("--profile", choices=MODES)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    setup(args.data)
    load_before = os.getloadavg()[0]
    result = measure(args.rounds, args.cities, args.profile)
    result["load"] = [load_before, os.getloadavg()[0]]
    print(f"load average (1 min) before/after: {load_before:.2f}/{result['load'][1]:.2f}")
    print(f"cities: {', '.join(result['cities'])}; saves in: {result['other']}")
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
