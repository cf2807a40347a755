"""``backup DEST``: a consistent snapshot of the running archive (archive/backup.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.backup import BackupError, archive_backup


class Command(BaseCommand):
    help = "Back up the database, the originals and a manifest into the folder DEST."

    def add_arguments(self, parser):
        parser.add_argument("dest", type=Path, help="a folder that does not exist yet")

    def handle(self, *args, dest: Path, **options):
        try:
            result = archive_backup(dest=dest)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        for digest in result.missing:
            self.stderr.write(f"missing    original {digest} (see check_archive)")
        counts = ", ".join(
            f"{n} {name.replace('_', ' ')}" for name, n in manifest["counts"].items()
        )
        self.stdout.write(
            f"Backed up to {result.path}: {counts}; {manifest['originals']['count']} originals "
            f"({manifest['originals']['bytes']:,} bytes), database "
            f"{manifest['database']['sha256'][:12]}."
        )
        if result.missing:
            sys.exit(1)
