"""Load test: gunicorn on loopback, locust's mixed readers, a staff upload meanwhile.

Usage (from the repository root, on an archive that already holds reports, e.g.
one built by bench/run.py or ``import_reports`` over ``bench/corpus.py`` output):

    .venv/bin/python bench/load/run.py DATA_DIR [--users 50] [--duration 60]
        [--uploads FOLDER] [--workers N] [--out var/load]
        [--exclude-tags city,compare]

Locust is installed into bench/load/.venv on first use (it pulls in gevent and
Flask, which the site does not need). Rate limits are switched off for the run:
every simulated user comes from 127.0.0.1. Prints one Markdown table (requests/s,
p50/p95/p99, errors per endpoint) and whether every uploaded report is searchable.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
PYTHON = Path(sys.executable)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--users", type=int, default=50)
    # A fixed port outside the ephemeral range: a port picked at random can be picked
    # by another benchmark on the same machine too, and its clients then load ours.
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--uploads", type=Path, help="a folder imported during the run")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: its config)")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "load")
    parser.add_argument(
        "--exclude-tags", default="", help="skip these kinds: search, report, city, compare"
    )
    args = parser.parse_args()
    locust = ensure_locust()
    args.out.mkdir(parents=True, exist_ok=True)
    port = args.port
    env = site_env(args.data_dir.resolve(), port, args.workers)
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        if manage(env, *step, stdout=subprocess.DEVNULL).wait() != 0:
            raise SystemExit(f"manage.py {' '.join(step)} failed")
    gunicorn = PYTHON.with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "-c", "config/gunicorn.conf.py"], cwd=ROOT, env=env)
    uploads = None
    try:
        host = f"http://127.0.0.1:{port}"
        wait_until_up(host + "/", server)
        if args.uploads:
            uploads = manage(
                env,
                "import_reports",
                "--json",
                str(args.uploads),
                stdout=subprocess.PIPE,
                text=True,
            )
        prefix = args.out / "locust"
        command = [str(locust), "-f", str(HERE / "locustfile.py"), "--headless"]
        command += ["--only-summary", "-u", str(args.users), "-r", str(max(1, args.users // 5))]
        command += ["-t", f"{args.duration}s", "--host", host, "--csv", str(prefix)]
        if args.exclude_tags:
            command += ["--exclude-tags", *args.exclude_tags.split(",")]
        subprocess.run(command, check=False)
        print(table(Path(f"{prefix}_stats.csv"), args.duration))
        if uploads is not None:
            out, _ = uploads.communicate()
            statuses = [json.loads(line)["status"] for line in out.splitlines() if line.strip()]
            print(
                f"uploads: {statuses.count('created')} created, "
                f"{statuses.count('duplicate')} duplicate, {statuses.count('failed')} failed"
            )
            check = manage(env, "check_index", stdout=subprocess.PIPE, text=True)
            print("check_index:", check.communicate()[0].strip().splitlines()[-1])
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
