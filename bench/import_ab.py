"""``import_reports --workers N`` of two trees on the same generated corpus, in turns.

Usage: ``.venv/bin/python bench/import_ab.py --baseline /tmp/before-tree --n 1000``.
Each round imports the corpus into a fresh data dir (migrate first) with the
baseline tree, then with this one, so a busy machine skews both alike; the load
average is printed beside each run. The figures are those of ``make bench``'s
import table: corpus MB per wall second, that against raw single-core
``jieba.cut`` on the pipeline's clean text (bench/ablations.py), reports/s, the
ingest / index split and the peak PSS of the import process tree.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import write_corpus  # noqa: E402
from bench.measure import RssSampler, run_quiet, throughput  # noqa: E402
from bench.run import django_env  # noqa: E402

PYTHON = sys.executable


def import_once(tree: Path, corpus: Path, data: Path, workers: int) -> dict:
    """One import into a fresh data dir: wall, ingest and index seconds, peak PSS."""
    env = django_env(data)
    run_quiet([PYTHON, "manage.py", "migrate", "--noinput"], env, tree)
    args = [PYTHON, "manage.py", "import_reports", "--json", "--workers", str(workers)]
    cpu_before = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*args, str(corpus)], cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    sampler = RssSampler(proc.pid).start()
    statuses: dict[str, int] = {}
    last_row = started
    for line in proc.stdout:
        status = json.loads(line)["status"]
        statuses[status] = statuses.get(status, 0) + 1
        last_row = time.perf_counter()
    proc.stderr.read()
    proc.wait()
    finished = time.perf_counter()
    sampler.stop()
    return {
        "seconds": finished - started,
        "ingest": last_row - started,
        "index": finished - last_row,
        "statuses": statuses,
        "peak_mb": sampler.peak / 1e6,
        "cpu": _children_cpu() - cpu_before,
        "load": os.getloadavg()[0],
    }


def _children_cpu() -> float:
    """User + system seconds of every waited-for descendant: the import, its pipeline
    workers and Whoosh writer processes (each joined by its parent). CPU time holds
    on a machine that other processes keep busy, where wall time does not."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def raw_jieba_mb_s(n: int) -> tuple[float, float]:
    """Single-core ``jieba.cut`` on the clean text of the first ``n`` reports: MB per
    wall second (the bench's baseline) and per CPU second (load-independent)."""
    os.environ.update(django_env(Path(tempfile.mkdtemp(prefix="import-ab-scratch-"))))
    import django

    django.setup()
    import textkit
    from bench.ablations import _sample

    textkit.warm_up()
    docs, _ = _sample(n)
    joined = "\n".join(body for _, body in docs)
    size = len(joined.encode("utf-8"))
    wall = throughput(lambda: textkit.reference_cut(joined), size) / 1e6
    started = time.process_time()
    textkit.reference_cut(joined)
    return wall, size / (time.process_time() - started) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="the 'before' tree")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="import-ab-"))
    corpus = work / "corpus"
    _, size = write_corpus(corpus, args.n)
    base, base_cpu = raw_jieba_mb_s(min(args.n, 300))
    print(
        f"corpus {args.n} reports, {size / 1e6:.1f} MB; raw jieba {base:.2f} MB/s "
        f"({base_cpu:.2f} MB per CPU second), load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    for round_ in range(args.rounds):
        for name, tree in (("before", args.baseline), ("after", ROOT)):
            run = import_once(tree, corpus, work / f"{name}-{round_}", args.workers)
            mb_s = size / 1e6 / run["seconds"]
            print(
                f"{name}: {run['seconds']:.1f} s (ingest {run['ingest']:.1f}, index "
                f"{run['index']:.1f}), {mb_s:.3f} MB/s = {mb_s / base:.3f}x raw jieba, "
                f"{args.n / run['seconds']:.1f} reports/s, peak {run['peak_mb']:.0f} MB, "
                f"CPU {run['cpu']:.1f} s = {run['cpu'] / args.n * 1000:.0f} ms/report, "
                f"load {run['load']:.1f}, {run['statuses']}",
                flush=True,
            )


if __name__ == "__main__":
    main()
