"""Page latencies before and after the caches of issue 18, in one run on one archive.

Generates ``BENCH_N`` reports (default 1,000; bench/corpus.py), imports them once
into a fresh data dir, then serves that same data dir with each code tree in turn
through gunicorn (``WEB_CONCURRENCY`` 2, one per core): ``BENCH_BEFORE`` (a commit,
extracted with ``git archive``; optional) and this tree. For each it times home,
city, compare, report and /api/search pages:

- cold: the first request for each address after the server starts (every
  per-process cache empty, as after a deploy);
- warm: three more rounds over the same addresses (two workers: a worker that
  has not yet seen an address is still cold for it, as in production);
- after a write: one report imported into the archive while the server runs,
  then one round (the archive version moved: whole pages are recomputed, per-city
  sums of untouched cities are not).

Writes the figures with the load average into docs/benchmarks.md between the
``pages:start``/``pages:end`` markers. About 4 minutes on 2 cores.

    BENCH_BEFORE=bb09fb5 .venv/bin/python bench/pages.py
"""

from __future__ import annotations

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
from bench.run import PYTHON, django_env, env_int, free_port, run_import, write_part  # noqa: E402
from bench.web import Server  # noqa: E402

KINDS = ("home", "city", "compare", "report", "api_search")
WARM_ROUNDS = 3


def addresses(base: str, ids: list[int]) -> dict[str, list[str]]:
    """A fixed sample per page kind (seeded: both trees get the same addresses)."""
    rng = random.Random(18)
    cities = sorted(get_json(f"{base}/api/cities"), key=lambda c: -c["report_count"])[:40]
    names = [c["name"] for c in cities]
    return {
        "home": [f"{base}/", f"{base}/?page=2"],
        "city": [f"{base}/cities/{c['slug']}/" for c in rng.sample(cities, 10)],
        "compare": [
            f"{base}/compare/?cities={quote(','.join(rng.sample(names, 3)))}" for _ in range(8)
        ],
        "report": [f"{base}/reports/{pk}/" for pk in rng.sample(ids, 15)],
        "api_search": [url for _, url in query_urls(base, "/api/search")][:15],
    }


def timed_round(urls: dict[str, list[str]]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for kind, kind_urls in urls.items():
        for url in kind_urls:
            ms, status, _ = get(url)
            if status != 200:
                raise RuntimeError(f"{url}: HTTP {status}")
            out.setdefault(kind, []).append(ms)
    return out


def merge(rounds: list[dict[str, list[float]]]) -> dict[str, list[float]]:
    return {kind: [ms for r in rounds for ms in r.get(kind, [])] for kind in KINDS}


def measure(tree: Path, env: dict[str, str], ids: list[int], extra: Path) -> dict:
    """Cold, warm and after-a-write rounds against ``tree`` serving ``env``'s data."""
    with Server(tree, {**env, "WEB_CONCURRENCY": "2"}, free_port()) as server:
        wait_for(server.base + "/api/cities")
        urls = addresses(server.base, ids)
        cold = timed_round(urls)
        warm = merge([timed_round(urls) for _ in range(WARM_ROUNDS)])
        run_quiet([PYTHON, "manage.py", "import_reports", str(extra)], env, tree)
        after = timed_round(urls)
        return {"load": os.getloadavg()[0], "cold": cold, "warm": warm, "after_write": after}


def before_tree(commit: str, work: Path) -> Path:
    """``commit``'s files, with this tree's compiled messages (not in git)."""
    tree = work / "before"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    for mo in ROOT.glob("locale/*/LC_MESSAGES/*.mo"):
        shutil.copy(mo, tree / mo.relative_to(ROOT))
    return tree


#: one new report per measured tree: the trees share the archive, and the second
#: tree's write must not be an exact duplicate of the first's (nothing would change).
EXTRA = [
    "泸州市人才新政解读\n泸州市委人才办\n2025年1月2日\n"
    "泸州市对新引进博士给予最高30万元安家补贴，硕士10万元。\n",
    "兰州市青年人才计划通报\n兰州市人力资源和社会保障局\n2025年2月3日\n"
    "兰州市全年引进高校毕业生8000人，发放生活补贴2400万元。\n",
]


def extra_report(work: Path, index: int) -> Path:
    path = work / f"extra-{index}.txt"
    path.write_text(EXTRA[index], encoding="utf-8")
    return path


def main() -> None:
    n = env_int("BENCH_N", 1000)
    before = os.environ.get("BENCH_BEFORE", "")
    work = Path(tempfile.mkdtemp(prefix="archive-pages-"))
    try:
        write_part(work / "in", 0, n)
        env = django_env(work / "data")
        run_quiet([PYTHON, "manage.py", "migrate", "--noinput"], env, ROOT)
        run_quiet([PYTHON, "manage.py", "collectstatic", "--noinput"], env, ROOT)
        imported = run_import(work / "in", env, 2)
        print(f"imported {len(imported['ids'])} reports in {imported['seconds']:.0f} s", flush=True)
        runs = {}
        if before:
            runs[f"before ({before})"] = measure(
                before_tree(before, work), env, imported["ids"], extra_report(work, 0)
            )
        runs["after (this tree)"] = measure(ROOT, env, imported["ids"], extra_report(work, 1))
        text = render(n, runs)
        print(text, flush=True)
        write_marked(
            Path(os.environ.get("BENCH_DOC", ROOT / "docs" / "benchmarks.md")),
            "pages",
            text,
            "Page caches (issue 18)",
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render(n: int, runs: dict[str, dict]) -> str:
    info = machine()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Latest run: {when} on {info.get('cpu')}, {info.get('cores')} cores. Command: "
        f"`BENCH_N={n} BENCH_BEFORE=<commit> .venv/bin/python bench/pages.py`; {n:,} "
        "generated reports; gunicorn, 2 workers; sequential requests; ms.",
        "",
        "| code | load (1 min) | page | cold p50 | cold p95 | warm p50 | warm p95 "
        "| after a write p50 | after a write p95 |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, run in runs.items():
        for kind in KINDS:
            cells = [
                f"{percentile(run[phase][kind], q):.0f}"
                for phase in ("cold", "warm", "after_write")
                for q in (50, 95)
            ]
            lines.append(f"| {name} | {run['load']:.1f} | {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
