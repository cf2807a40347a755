"""Pure ingest pipeline speed, against a baseline tree.

    python bench/ingest_speed.py [--baseline PATH] [--rounds N] [--corpus labelled|generated]

CPU seconds (``time.process_time``: less sensitive than wall time to other
processes on a shared machine) of ``process_document`` (with the gazetteer, as an
import runs it; no database, no index) over the 16 real captures in
fixtures/labelled/dev/raw, or over 200 generated reports (bench/corpus.py, the
sample behind docs/benchmarks.md's "pipeline MB/s per core"), written once to a
temporary folder so that both trees read the same bytes. With ``--baseline`` (a
checkout of another commit, e.g. a ``git worktree``), each round times the
baseline and this tree in turn, in fresh processes, and the ratio of the medians
is printed: the figure docs/benchmarks.md records for "pipeline MB/s per core".
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
CAPTURES = ROOT / "fixtures" / "labelled" / "dev" / "raw"

#: runs inside the tree being measured (its own code, this tree's captures)
_TIMER = """
import os, sys, time
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from pathlib import Path
from archive.gazetteer import Gazetteer
from archive.ingest.pipeline import process_document
from archive.ingest.types import IngestError
places = Gazetteer.load_default()
data = [(f.name, f.read_bytes()) for f in sorted(Path(sys.argv[1]).iterdir())]
def run():
    for name, raw in data:
        try:
            process_document(raw, filename=name, gazetteer=places)
        except IngestError:
            pass
run()  # warm: imports, regex caches, jieba
best = float("inf")
for _ in range(int(sys.argv[2])):
    start = time.process_time()
    run()
    best = min(best, time.process_time() - start)
print(sum(len(raw) for _, raw in data) / 1e6 / best)
"""


def mb_per_s(tree: Path, corpus: Path, passes: int) -> float:
    """Best-of-``passes`` MB/s of the pipeline of the checkout at ``tree``."""
    out = subprocess.run(
        [sys.executable, "-c", _TIMER, str(corpus), str(passes)],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--corpus", choices=("labelled", "generated"), default="labelled")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        corpus = CAPTURES if args.corpus == "labelled" else _generated(Path(scratch))
        _compare(args, corpus)


def _generated(folder: Path, count: int = 200) -> Path:
    """The first ``count`` generated reports as files (their own names, flattened)."""
    from bench.corpus import generate_one

    for index in range(count):
        item = generate_one(index)
        (folder / f"{index:04d}{Path(item.path).suffix}").write_bytes(item.data)
    return folder


def _compare(args: argparse.Namespace, corpus: Path) -> None:
    here, base = [], []
    for round_ in range(1, args.rounds + 1):
        if args.baseline:
            base.append(mb_per_s(args.baseline, corpus, args.passes))
        here.append(mb_per_s(ROOT, corpus, args.passes))
        shown = f"baseline {base[-1]:.3f}, " if base else ""
        print(f"round {round_}: {shown}this tree {here[-1]:.3f} MB/s", flush=True)
    load = os.getloadavg()[0]
    print(f"this tree: median {statistics.median(here):.3f} MB/s per core (load {load:.1f})")
    if base:
        ratio = statistics.median(h / b for h, b in zip(here, base, strict=True))
        print(f"baseline: median {statistics.median(base):.3f} MB/s; ratio {ratio:.2f}x")


if __name__ == "__main__":
    main()
