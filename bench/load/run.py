"""Load test: gunicorn on loopback, locust's mixed readers, a staff upload meanwhile.

One command gives the figures of docs/benchmarks.md (issue 8, "Load"), from a
clone, on an empty data dir (``make load``)::

    .venv/bin/python bench/load/run.py DATA_DIR --build 10000 --doc docs/benchmarks.md

``--build N`` fills an archive that holds no reports with N generated ones
(bench/corpus.py, ``import_reports --workers <cores>``); an archive that holds
reports is used as it is. During the run a second process imports 200 more
generated reports (``--upload-count``; or ``--uploads FOLDER``), as a staff bulk
upload would, and afterwards every one of them must be in the index
(``check_index``: none missing or stale). Other options: ``--users 50``,
``--duration 60``, ``--workers N`` (gunicorn), ``--exclude-tags city,compare``.

Locust is installed into bench/load/.venv on first use (it pulls in gevent and
Flask, which the site does not need). Rate limits are switched off for the run:
every simulated user comes from 127.0.0.1. Prints a Markdown table (requests/s,
p50/p95/p99, errors per endpoint) and, with ``--doc``, writes it with the machine,
the command and the upload outcome between the ``load:start``/``load:end`` markers.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
PYTHON = Path(sys.executable)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import generate_one  # noqa: E402
from bench.measure import machine  # noqa: E402
from bench.report import replace_block  # noqa: E402

START = "<!-- load:start -->"
END = "<!-- load:end -->"
#: generated uploads are taken this far into the corpus: never a report the
#: archive already holds (--build N takes indexes 0..N-1).
UPLOAD_OFFSET = 1_000_000
TARGET_P95_MS = 300


def ensure_locust() -> Path:
    locust = VENV / "bin" / "locust"
    if not locust.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, "-r", str(HERE / "requirements.txt")], check=True)
    return locust


def site_env(data_dir: Path, port: int, workers: int | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    env.update(
        ARCHIVE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="config.settings",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESSLOG="/dev/null",
        RATE_LIMIT_SEARCH="off",
        RATE_LIMIT_EXPORT="off",
    )
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    return env


def manage(env: dict[str, str], *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, **kwargs)


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within 120 s")


def table(stats_csv: Path, duration: int) -> str:
    lines = [
        "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    with stats_csv.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
            lines.append(
                f"| {name} | {row['Request Count']} | {float(row['Requests/s']):.1f} | "
                f"{row['50%']} | {row['95%']} | {row['99%']} | {row['Failure Count']} |"
            )
    return "\n".join(lines)


def write_reports(folder: Path, start: int, count: int) -> Path:
    """Generated reports [start, start + count) as files under ``folder``."""
    for index in range(start, start + count):
        item = generate_one(index)
        path = folder / item.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(item.data)
    return folder


def report_count(env: dict[str, str]) -> int:
    code = "from archive.models import Report; print(Report.objects.count())"
    out = subprocess.run(
        [str(PYTHON), "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def build_archive(env: dict[str, str], n: int, scratch: Path) -> None:
    """Import ``n`` generated reports, with a worker per core, into an empty archive."""
    print(f"building an archive of {n:,} generated reports (bench/corpus.py)...", flush=True)
    folder = write_reports(scratch / "corpus", 0, n)
    workers = str(os.cpu_count() or 1)
    importer = manage(
        env, "import_reports", "--workers", workers, str(folder), stdout=subprocess.DEVNULL
    )
    status = importer.wait()  # the summary line comes on stderr
    if status != 0:
        raise SystemExit(f"import_reports exited with {status} while building the archive")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--users", type=int, default=50)
    # A fixed port outside the ephemeral range: a port picked at random can be picked
    # by another benchmark on the same machine too, and its clients then load ours.
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--build", type=int, default=0, help="fill an empty archive with N")
    parser.add_argument("--uploads", type=Path, help="a folder imported during the run")
    parser.add_argument("--upload-count", type=int, default=200, help="generated uploads")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: its config)")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "load")
    parser.add_argument("--doc", type=Path, help="write the figures into this Markdown file")
    parser.add_argument(
        "--exclude-tags", default="", help="skip these kinds: search, report, city, compare"
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    locust = ensure_locust()
    args.out.mkdir(parents=True, exist_ok=True)
    port = args.port
    env = site_env(args.data_dir.resolve(), port, args.workers)
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        if manage(env, *step, stdout=subprocess.DEVNULL).wait() != 0:
            raise SystemExit(f"manage.py {' '.join(step)} failed")
    with tempfile.TemporaryDirectory(prefix="archive-load-") as scratch:
        if args.build and report_count(env) == 0:
            build_archive(env, args.build, Path(scratch))
        uploads = args.uploads
        if uploads is None and args.upload_count > 0:
            uploads = write_reports(Path(scratch) / "uploads", UPLOAD_OFFSET, args.upload_count)
        results = run_load(args, env, locust, uploads)
    print(results["table"])
    for line in results["notes"]:
        print(line)
    if args.doc:
        replace_block(args.doc, render(args, results), START, END)
        print(f"figures written to {args.doc}")


def run_load(args: argparse.Namespace, env: dict[str, str], locust: Path, uploads) -> dict:
    """Serve, load, upload meanwhile; the locust table and what happened to the uploads."""
    reports = report_count(env)
    gunicorn = PYTHON.with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "-c", "config/gunicorn.conf.py"], cwd=ROOT, env=env)
    importer = None
    notes: list[str] = []
    try:
        host = f"http://127.0.0.1:{args.port}"
        wait_until_up(host + "/", server)
        load_before = os.getloadavg()[0]
        if uploads is not None:
            importer = manage(
                env, "import_reports", "--json", str(uploads), stdout=subprocess.PIPE, text=True
            )
        prefix = args.out / "locust"
        command = [str(locust), "-f", str(HERE / "locustfile.py"), "--headless"]
        command += ["--only-summary", "-u", str(args.users), "-r", str(max(1, args.users // 5))]
        command += ["-t", f"{args.duration}s", "--host", host, "--csv", str(prefix)]
        if args.exclude_tags:
            command += ["--exclude-tags", *args.exclude_tags.split(",")]
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
        load_after = os.getloadavg()[0]
        rows = read_stats(Path(f"{prefix}_stats.csv"))
        if importer is not None:
            notes += upload_notes(importer, env)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return {
        "rows": rows,
        "table": table(Path(f"{prefix}_stats.csv"), args.duration),
        "notes": notes,
        "reports": reports,
        "load": (load_before, load_after),
    }


def upload_notes(importer: subprocess.Popen, env: dict[str, str]) -> list[str]:
    out, _ = importer.communicate()
    statuses = [json.loads(line)["status"] for line in out.splitlines() if line.strip()]
    check = manage(env, "check_index", stdout=subprocess.PIPE, text=True)
    summary = check.communicate()[0].strip().splitlines()[-1]
    return [
        f"uploads during the run: {statuses.count('created')} created, "
        f"{statuses.count('duplicate')} duplicate, {statuses.count('failed')} failed",
        f"check_index afterwards: {summary}",
    ]


def read_stats(stats_csv: Path) -> dict[str, dict[str, str]]:
    with stats_csv.open(encoding="utf-8") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def render(args: argparse.Namespace, results: dict) -> str:
    total = results["rows"].get("Aggregated", {})
    errors = int(total.get("Failure Count", 0) or 0)
    p95 = float(total.get("95%", "nan") or "nan")
    info = machine()
    command = f".venv/bin/python bench/load/run.py {args.data_dir} --build {args.build or 0}"
    command += f" --users {args.users} --duration {args.duration}"
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    met = "met" if errors == 0 and p95 <= TARGET_P95_MS else "missed"
    return "\n".join(
        [
            START,
            f"Latest run: {when} on {info['cpu']}, {info['cores']} cores, {info['memory']}, "
            f"Python {info['python']}.",
            "",
            f"Command: `{command}` (`make load`). Archive: {results['reports']:,} reports; "
            f"{args.users} users (0.5-1.5 s think time) for {args.duration} s; gunicorn "
            f"`config/gunicorn.conf.py` on loopback; load average (1 min) "
            f"{results['load'][0]:.1f} before, {results['load'][1]:.1f} after.",
            "",
            results["table"],
            "",
            *(f"- {note}" for note in results["notes"]),
            f"- Target (zero errors, p95 under {TARGET_P95_MS} ms): **{met}** "
            f"({errors} errors, p95 {p95:.0f} ms).",
            END,
        ]
    )


if __name__ == "__main__":
    main()
