"""``make bench``: the archive at scale, measured in one run on a fresh data dir.

Steps (issue 7): generate the corpus (bench/corpus.py); measure raw single-core
jieba on it (the baseline every other figure is a ratio to); measure each
optimization against its "before" in this same run (bench/ablations.py);
import the first tenth with ``import_reports`` and time searches and pages
through a real server; import the rest and time them again; write the figures
into docs/benchmarks.md between the ``bench:start``/``bench:end`` markers (the
hand-written analysis around them stays).

Environment: ``BENCH_N`` (reports, default 10000; 500 for a quick check),
``BENCH_WORKERS`` (``import_reports --workers``, default: the core count),
``BENCH_ROUNDS`` (timed rounds of the query mix, default 3), ``BENCH_KEEP=1``
keeps the temp folder, ``BENCH_DOC`` the output file (default docs/benchmarks.md).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from bench.corpus import DEFAULT_SEED, generate_one  # noqa: E402
from bench.measure import RssSampler, machine, run_quiet, wait_for  # noqa: E402
from bench.web import Server, time_pages, time_searches  # noqa: E402

PYTHON = sys.executable


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def write_part(folder: Path, start: int, stop: int) -> int:
    """Reports [start, stop) of the corpus under ``folder``; returns their bytes."""
    total = 0
    for index in range(start, stop):
        item = generate_one(index)
        path = folder / item.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(item.data)
        total += len(item.data)
    return total


def django_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ARCHIVE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        SECRET_KEY="bench-only-not-secret",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
        RATE_LIMIT_SEARCH="off",  # one client sending the whole mix is not abuse
    )
    return env


#: what ``import_reports`` writes to stderr after computing its cities' page values.
WARMED = re.compile(r"Computed the pages of \d+ cities in ([\d.]+) s")


def run_import(folder: Path, env: dict[str, str], workers: int) -> dict:
    """``import_reports --json`` on ``folder``: wall time, ingest/index split, peak RSS."""
    # --nice 0: the import is what is measured, at the priority it was started with
    # (its default yields the CPU to readers, and to any other process running).
    args = [PYTHON, "manage.py", "import_reports", "--json", "--workers", str(workers)]
    args += ["--nice", "0"]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*args, str(folder)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    sampler = RssSampler(proc.pid).start()
    counts: dict[str, int] = {}
    ids: list[int] = []
    last_row = started
    for line in proc.stdout:
        row = json.loads(line)
        counts[row["status"]] = counts.get(row["status"], 0) + 1
        if row["report_id"]:
            ids.append(row["report_id"])
        sampler.progress += 1
        last_row = time.perf_counter()
    stderr = proc.stderr.read().decode()
    proc.wait()
    finished = time.perf_counter()
    sampler.stop()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"import_reports failed ({proc.returncode}):\n{stderr[-3000:]}")
    warmed = WARMED.search(stderr)  # the cities' page values, after the index drain
    warm_seconds = float(warmed.group(1)) if warmed else 0.0
    return {
        "load": os.getloadavg()[0],  # other processes on the machine skew every figure
        "seconds": finished - started,
        "ingest_seconds": last_row - started,
        "index_seconds": finished - last_row - warm_seconds,
        "warm_seconds": warm_seconds,
        "counts": counts,
        "ids": ids,
        "peak_rss": sampler.peak,
        "rss_by_rows": sampler.by_progress,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure_site(env: dict[str, str], ids: list[int], rounds: int) -> dict:
    with Server(ROOT, env, free_port()) as server:
        wait_for(server.base + "/")
        return {
            "load": os.getloadavg()[0],
            "server": server.kind,
            "search": time_searches(server.base, rounds=rounds),
            "pages": time_pages(server.base, ids),
        }


def main() -> None:
    n = env_int("BENCH_N", 10_000)
    workers = env_int("BENCH_WORKERS", os.cpu_count() or 1)
    rounds = env_int("BENCH_ROUNDS", 3)
    doc = Path(os.environ.get("BENCH_DOC", ROOT / "docs" / "benchmarks.md"))
    work = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    first = max(1, n // 10)
    results: dict = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "n": n,
        "first": first,
        "workers": workers,
        "seed": DEFAULT_SEED,
        "command": f"BENCH_N={n} BENCH_WORKERS={workers} .venv/bin/python bench/run.py",
    }
    # In-process measurements import Django modules: settings on a scratch data dir.
    os.environ.update(django_env(work / "scratch"))
    import django

    django.setup()
    from bench import ablations

    try:
        print(f"bench: {n} reports, workers={workers}, temp {work}", flush=True)
        sizes = [write_part(work / "a", 0, first), write_part(work / "b", first, n)]
        results["corpus_bytes"] = sum(sizes)
        print(f"corpus: {sum(sizes) / 1e6:.1f} MB", flush=True)
        results["ablations"] = ablations.run_all(sample_reports=min(n, 300))
        base = results["ablations"]["baseline_mb_s"]
        print(f"baseline jieba.cut: {base:.2f} MB/s (single core)", flush=True)
        env = django_env(work / "data")
        run_quiet([PYTHON, "manage.py", "migrate", "--noinput"], env, ROOT)
        # DEBUG is off, as in production: static files are served from the manifest.
        run_quiet([PYTHON, "manage.py", "collectstatic", "--noinput"], env, ROOT)
        stages = []
        for part, size, count in (("a", sizes[0], first), ("b", sizes[1], n - first)):
            if count <= 0:
                continue
            imported = run_import(work / part, env, workers)
            imported.update(bytes=size, reports=count)
            total = first if part == "a" else n
            print(report.import_line(imported, base), flush=True)
            site = measure_site(env, imported["ids"], rounds)
            stages.append({"total": total, "import": imported, **site})
            print(report.site_lines(total, site), flush=True)
        results["stages"] = stages
        results["workers_ablation"] = ablations.import_workers(
            work, env_for=django_env, run_import=run_import, workers=workers
        )
        report.write(doc, results)
        (work / "results.json").write_text(json.dumps(results, indent=1, default=str))
        print(f"figures written to {doc}", flush=True)
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
