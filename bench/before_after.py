"""Issue 15's "not slower": two code trees, each on its own 1,000-report archive,
timed in one interleaved run.

Generates ``BENCH_N`` reports (default 1,000; bench/corpus.py) once, imports
them into a fresh data dir per tree (the trees may differ in schema and index
fields, so neither serves the other's data), starts both through gunicorn and
sends every request to both, in a seeded random order per address: a burst of
load from the other agents sharing the cores lands on both trees alike, so the
ratios stay fair when the absolute figures do not. Requests are sequential.

- cold: the first request for each address after the servers start;
- warm: ``BENCH_ROUNDS`` (default 3) more rounds over the same addresses.

Pages: /api/search by query class (bench/queries.py), /search/, home, city,
compare and report. The 1-minute load average is sampled every round.

    BENCH_BEFORE=de37ff3 .venv/bin/python bench/before_after.py   (the tree at /work/wt/base)

Writes between ``issue15:start``/``issue15:end`` in docs/benchmarks.md
(``BENCH_DOC`` to change). About 6 minutes on 2 shared cores.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.measure import (  # noqa: E402 (after the sys.path line above: run as a script)
    get,
    get_json,
    machine,
    percentile,
    run_quiet,
    wait_for,
    write_marked,
)
from bench.queries import query_urls  # noqa: E402
from bench.run import PYTHON, django_env, env_int, free_port, write_part  # noqa: E402
from bench.web import Server  # noqa: E402

IDS = "from archive.models import Report; print(list(Report.objects.order_by('pk').values_list('pk', flat=True)))"  # noqa: E501


def prepare(tree: Path, corpus: Path, data: Path) -> tuple[dict[str, str], list[int]]:
    """A fresh archive of ``corpus`` built by ``tree``'s own code; its report ids."""
    env = django_env(data)
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        run_quiet([PYTHON, "manage.py", *step], env, tree)
    run_quiet([PYTHON, "manage.py", "import_reports", "--workers", "2", str(corpus)], env, tree)
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", IDS], cwd=tree, env=env, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    return env, json.loads(out.stdout.strip().splitlines()[-1])


def addresses(base: str, ids: list[int]) -> list[tuple[str, str]]:
    """(kind, url) for one tree; seeded, and by rank of report id, so both trees
    get the same addresses for the same corpus."""
    rng = random.Random(15)
    cities = sorted(get_json(f"{base}/api/cities"), key=lambda c: (-c["report_count"], c["slug"]))
    cities = cities[:40]
    names = [c["name"] for c in cities]
    out = [("home", f"{base}/"), ("home", f"{base}/?page=2")]
    out += [("city", f"{base}/cities/{c['slug']}/") for c in rng.sample(cities, 10)]
    out += [
        ("compare", f"{base}/compare/?cities={quote(','.join(rng.sample(names, 3)))}")
        for _ in range(8)
    ]
    out += [("report", f"{base}/reports/{ids[i]}/") for i in rng.sample(range(len(ids)), 15)]
    out += [(f"api:{kind}", url) for kind, url in query_urls(base, "/api/search")]
    out += [("search_page", url) for _, url in query_urls(base, "/search/")][::3]
    return out


def one_round(pairs: list, rng: random.Random, times: dict) -> None:
    """Every address on both trees, in a random order within each pair."""
    for kind, urls in pairs:
        order = list(urls.items())
        rng.shuffle(order)
        for name, url in order:
            ms, status, _ = get(url)
            if status >= 500 or (status != 200 and len(pairs) > 40 and "page=" not in url):
                raise RuntimeError(f"{name} {url}: HTTP {status}")
            times.setdefault(name, {}).setdefault(kind, []).append(ms)


def measure(trees: dict[str, tuple[Path, dict[str, str], list[int]]], rounds: int) -> dict:
    with Server(*_server(trees, "before")) as before, Server(*_server(trees, "after")) as after:
        servers = {"before": before, "after": after}
        for server in servers.values():
            wait_for(server.base + "/api/cities")
        lists = {name: addresses(s.base, trees[name][2]) for name, s in servers.items()}
        pairs = [
            (kind, {"before": url, "after": lists["after"][i][1]})
            for i, (kind, url) in enumerate(lists["before"])
        ]
        rng, cold, warm, loads = random.Random(7), {}, {}, []
        one_round(pairs, rng, cold)
        loads.append(os.getloadavg()[0])
        for _ in range(rounds):
            one_round(pairs, rng, warm)
            loads.append(os.getloadavg()[0])
        return {"cold": cold, "warm": warm, "loads": loads}


def _server(trees: dict, name: str) -> tuple[Path, dict[str, str], int]:
    tree, env, _ = trees[name]
    return tree, {**env, "WEB_CONCURRENCY": "2"}, free_port()


def kinds(times: dict) -> list[str]:
    order = ["api", "search_page", "home", "city", "compare", "report"]
    found = {k for per in times.values() for k in per}
    api = sorted(k for k in found if k.startswith("api:"))
    return ["api", *api, *[k for k in order[1:] if k in found]]


def series(times: dict, name: str, kind: str) -> list[float]:
    per = times[name]
    if kind == "api":  # every /api/search class together
        return [ms for k, values in per.items() if k.startswith("api:") for ms in values]
    return per[kind]


def render(n: int, before: str, result: dict) -> str:
    info, loads = machine(), result["loads"]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Latest run: {when} on {info.get('cpu')}, {info.get('cores')} cores shared with other "
        f"processes: 1-minute load average {min(loads):.1f}–{max(loads):.1f} during the timed "
        f"rounds (mean {sum(loads) / len(loads):.1f}). Command: `BENCH_N={n} "
        f"BENCH_BEFORE={before} .venv/bin/python bench/before_after.py`; {n:,} generated "
        "reports, one archive per tree; gunicorn, 2 workers each; sequential requests, every "
        "address sent to both trees in a random order; ms; ratio = after / before.",
        "",
        "| page | cold p50 before | cold p50 after | ratio | warm p50 before | warm p50 after "
        "| ratio | warm p95 before | warm p95 after | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in kinds(result["warm"]):
        cells = []
        for phase, q in (("cold", 50), ("warm", 50), ("warm", 95)):
            b = percentile(series(result[phase], "before", kind), q)
            a = percentile(series(result[phase], "after", kind), q)
            cells += [f"{b:.0f}", f"{a:.0f}", f"{a / b:.2f}"]
        label = "/api/search (all classes)" if kind == "api" else kind.replace("api:", "api ")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def before_tree(commit: str, work: Path) -> Path:
    """``commit``'s files plus what git does not hold: compiled messages, vendored JS."""
    tree = work / "before-tree"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    for extra in [*ROOT.glob("locale/*/LC_MESSAGES/*.mo"), ROOT / "static/vendor/echarts.min.js"]:
        (tree / extra.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(extra, tree / extra.relative_to(ROOT))
    return tree


def main() -> None:
    n = env_int("BENCH_N", 1000)
    commit = os.environ.get("BENCH_BEFORE", "de37ff3")
    work = Path(tempfile.mkdtemp(prefix="archive-issue15-"))
    try:
        before = before_tree(commit, work)
        write_part(work / "in", 0, n)
        trees = {}
        for name, tree in (("before", before), ("after", ROOT)):
            env, ids = prepare(tree, work / "in", work / name)
            print(f"{name}: {len(ids)} reports imported by {tree}", flush=True)
            trees[name] = (tree, env, ids)
        text = render(n, commit, measure(trees, env_int("BENCH_ROUNDS", 3)))
        print(text, flush=True)
        write_marked(
            Path(os.environ.get("BENCH_DOC", ROOT / "docs" / "benchmarks.md")),
            "issue15",
            text,
            "Issue 15: before/after at 1,000 reports",
        )
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
