"""Small measuring tools for bench/run.py: timers, percentiles, process-tree memory.

Why our own: the figures must come from one run on this machine (issue 7), with
no extra packages; /proc gives the resident memory of a process and its children
(import workers, Whoosh writer processes) without psutil.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), linear between closest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def throughput(run: Callable[[], object], size: int, *, min_seconds: float = 1.0) -> float:
    """Bytes per second of ``run`` over ``size`` bytes, repeated for at least min_seconds."""
    rounds, elapsed = 0, 0.0
    while elapsed < min_seconds:
        started = time.perf_counter()
        run()
        elapsed += time.perf_counter() - started
        rounds += 1
    return size * rounds / elapsed


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(c) for c in task.read_text().split()]
        except OSError:
            continue
    return found


def _memory(pid: int) -> int:
    """Proportional set size (shared pages split between their users), else RSS.

    Forked workers share jieba's dictionary with their parent: summing RSS would
    count it once per process.
    """
    for name, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            for line in Path(name).read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
        except OSError:
            continue
    return 0


def tree_rss(pid: int) -> int:
    """Memory of ``pid`` and all its descendants (PSS where the kernel has it)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _memory(current)
        todo += _children(current)
    return total


@dataclass
class RssSampler:
    """Samples a process tree's RSS in a thread: the peak, and the peak so far by progress."""

    pid: int
    interval: float = 0.25
    peak: int = 0
    progress: int = 0  # set by the caller (e.g. rows read so far)
    by_progress: dict[int, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> RssSampler:
        threading.Thread(target=self._run, daemon=True).start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            rss = tree_rss(self.pid)
            self.peak = max(self.peak, rss)
            self.by_progress[self.progress] = max(self.by_progress.get(self.progress, 0), rss)

    def stop(self) -> None:
        self._stop.set()


def run_quiet(args: list[str], env: dict[str, str], cwd: Path) -> None:
    """Run a set-up command; its output only matters when it fails."""
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def get(url: str, *, timeout: float = 60) -> tuple[float, int, bytes]:
    """(milliseconds, status, body) of one GET."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body, status = response.read(), response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    return (time.perf_counter() - started) * 1000, status, body


def get_json(url: str) -> object:
    return json.loads(get(url)[2])


def wait_for(url: str, *, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if get(url, timeout=5)[1] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"server did not answer {url} within {seconds:.0f} s")


def machine() -> dict[str, str]:
    """CPU model, core count, memory and Python: the context every figure needs."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": f"{mem_kb / 1048576:.0f} GiB",
        "python": sys.version.split()[0],
    }


def write_marked(doc: Path, marker: str, text: str, heading: str) -> None:
    """Replace what stands between ``<!-- marker:start -->`` and ``<!-- marker:end -->``
    in ``doc`` with ``text``, or append the block under ``heading`` the first time:
    each benchmark rewrites its own block of docs/benchmarks.md and nothing else."""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    current = doc.read_text(encoding="utf-8")
    block = f"{start}\n{text}\n{end}"
    if start in current:
        head, rest = current.split(start, 1)
        current = head + block + rest.split(end, 1)[1]
    else:
        current += f"\n## {heading}\n\n{block}\n"
    doc.write_text(current, encoding="utf-8")
