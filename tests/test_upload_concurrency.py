"""Two staff uploading 20 files each at the same time lose nothing (issue 6).

Real processes against a real file-based SQLite database (WAL) and a real Whoosh
index in a fresh data dir: the test database of the suite is in memory and
shared by one process, which would prove nothing about concurrent writers.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import json, sys
import django
django.setup()
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.conftest import seed_path
from tests.upload_client import csrf_token, UPLOAD_URL

who = sys.argv[1]
client = Client(enforce_csrf_checks=True)
client.force_login(User.objects.get(username=who))
statuses = []
for batch in range(4):  # 4 requests of 5 files, interleaving with the other worker
    files = []
    for i in range(5):
        n = batch * 5 + i
        prefix = ("001", "002", "004")[n % 3]
        lines = seed_path(prefix).read_text(encoding="utf-8").split("\n")
        lines.insert(6, f"第{who}-{n}号补充说明：本市人才服务专员{n + 1}名，由{who}整理。")
        files.append(SimpleUploadedFile(f"{who}-{n}.txt", "\n".join(lines).encode()))
    token = csrf_token(client)
    response = client.post(UPLOAD_URL, {"files": files, "csrfmiddlewaretoken": token})
    batch_key = response["Location"].split("batch=")[1]
    statuses += [r["status"] for r in client.session["upload_batches"][batch_key]]
print(json.dumps(statuses))
"""

SETUP = r"""
import django
django.setup()
from django.contrib.auth.models import Permission, User
for name in ("alice", "bob"):
    user = User.objects.create_user(name, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_report"))
"""

CHECK = r"""
import json
import django
django.setup()
from archive.models import AuditEntry, Report
from search.indexing import backend
from search.models import IndexQueue
print(json.dumps({
    "reports": Report.objects.count(),
    "audited": AuditEntry.objects.filter(action="created").count(),
    "indexed": len(set(backend().indexed_versions()) & {r.pk for r in Report.objects.all()}),
    "queued": IndexQueue.objects.count(),
    "by": sorted(set(Report.objects.values_list("uploaded_by__username", flat=True))),
}))
"""


def run(env, *args, code=None):
    command = [sys.executable, *args] if code is None else [sys.executable, "-c", code, *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def test_two_staff_uploading_20_files_each_at_once_lose_nothing(tmp_path):
    env = {
        **os.environ,
        "ARCHIVE_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "ALLOWED_HOSTS": "testserver",
        "PYTHONPATH": str(ROOT),
    }
    migrate = run(env, "manage.py", "migrate", "--noinput", "-v0")
    assert migrate.returncode == 0, migrate.stderr
    assert run(env, code=SETUP).returncode == 0
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, name],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("alice", "bob")
    ]
    results = [w.communicate(timeout=600) for w in workers]
    for (out, err), worker in zip(results, workers, strict=True):
        assert worker.returncode == 0, err[-3000:]
        assert json.loads(out.strip().splitlines()[-1]) == ["created"] * 20
    check = run(env, code=CHECK)
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout.strip().splitlines()[-1]) == {
        "reports": 40,
        "audited": 40,
        "indexed": 40,
        "queued": 0,
        "by": ["alice", "bob"],
    }
