"""First asks after a server start, two code trees in one run (issue 18, stop 17).

Starts gunicorn (config/gunicorn.conf.py, 4 workers on 2 cores) on one archive
(``--data``, a writable copy: the servers only read it) for the tree at
``--before`` (``git archive``) and for this checkout (or ``--after``), alternately, ``--rounds``
times each. After each start: the home page answers, then ``--settle`` seconds
(the same for both trees, so a worker still warming in the background is not
timed against an idle one), then the 45-query mix of bench/queries.py through
``/api/search`` and ``/search/`` (bench/web.py ``time_searches``: every query's
first ask since the start, then two timed rounds), and each worker's resident
memory. Figures are the medians over rounds; the load average is sampled.

    .venv/bin/python bench/first_asks.py --data /tmp/first-ask-10k/data --before ee641bf \
        --after HEAD --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.measure import wait_for  # noqa: E402 (after the sys.path line above)
from bench.run import django_env, free_port  # noqa: E402
from bench.web import Server, time_searches  # noqa: E402


def tree_at(commit: str, folder: Path) -> Path:
    """The code of ``commit`` unpacked in ``folder`` (the shared venv runs it)."""
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def worker_rss_mb(master: int) -> list[float]:
    """Resident memory of the server's workers (children of the gunicorn master)."""
    out = subprocess.run(["ps", "--ppid", str(master), "-o", "rss="], capture_output=True)
    return sorted(int(v) / 1024 for v in out.stdout.split())


def one_start(tree: Path, env: dict[str, str], settle: float) -> dict:
    started = time.perf_counter()
    with Server(tree, env, free_port()) as server:
        wait_for(server.base + "/")
        ready = time.perf_counter() - started
        time.sleep(settle)
        load = os.getloadavg()[0]
        searches = time_searches(server.base, rounds=2)
        rss = worker_rss_mb(server.proc.pid)
    return {"ready_s": ready, "load": load, "search": searches, "worker_rss_mb": rss}


def figures(run: dict) -> dict[str, float]:
    api, page = run["search"]["/api/search"], run["search"]["/search/"]
    first_classes = {f"api_first_{k}_max": v["max"] for k, v in api["first_classes"].items()}
    return {
        **first_classes,
        "api_first_p50": api["first"]["p50"],
        "api_first_p95": api["first"]["p95"],
        "api_first_max": api["first"]["max"],
        "api_repeat_p50": api["p50"],
        "api_repeat_p95": api["p95"],
        "page_first_p95": page["first"]["p95"],
        "page_repeat_p50": page["p50"],
        "page_repeat_p95": page["p95"],
        "worker_rss_mb_max": max(run["worker_rss_mb"] or [0.0]),
        "ready_s": run["ready_s"],
        "load": run["load"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--before", default="ee641bf")
    parser.add_argument("--after", help="a commit (default: this checkout as it is)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--settle", type=float, default=5.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    env = django_env(args.data)
    with tempfile.TemporaryDirectory(prefix="first-asks-") as folder:
        (Path(folder) / "before").mkdir()
        trees = {"before": tree_at(args.before, Path(folder) / "before"), "after": ROOT}
        if args.after:
            (Path(folder) / "after").mkdir()
            trees["after"] = tree_at(args.after, Path(folder) / "after")
        runs: dict[str, list[dict]] = {"before": [], "after": []}
        for round_no in range(args.rounds):
            order = ("before", "after") if round_no % 2 == 0 else ("after", "before")
            for name in order:
                runs[name].append(figures(one_start(trees[name], env, args.settle)))
                print(name, json.dumps(runs[name][-1]), flush=True)
    medians = {
        name: {key: statistics.median(r[key] for r in rs) for key in rs[0]}
        for name, rs in runs.items()
    }
    result = {"before": args.before, "after": args.after, "runs": runs, "medians": medians}
    print(json.dumps(medians, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
