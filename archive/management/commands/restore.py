"""``restore SRC``: a backup into an empty data dir, then migrate and rebuild the index."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from archive import city_resum
from archive.backup import BackupError, archive_restore


class Command(BaseCommand):
    help = "Restore a backup folder made by `backup` into this (empty) data dir."

    def add_arguments(self, parser):
        parser.add_argument("src", type=Path, help="a folder written by `manage.py backup`")
        parser.add_argument(
            "--no-index", action="store_true", help="skip rebuilding the search index"
        )

    def handle(self, *args, src: Path, no_index: bool, **options):
        if not src.is_dir():
            raise CommandError(f"no such backup folder: {src}")
        try:
            manifest = archive_restore(src=src)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {manifest['counts']['reports']} reports and "
            f"{manifest['originals']['count']} originals from {src} "
            f"(backup of {manifest['created_at']})."
        )
        # A backup may predate the code's newest migrations.
        call_command("migrate", interactive=False, verbosity=0)
        # A backup taken during an import holds the cities it had not summed yet.
        if summed := city_resum.resum_pending():
            self.stdout.write(f"Summed {summed} cities an import had left pending.")
        if no_index:
            self.stdout.write("Search index not rebuilt: run `manage.py rebuild_index`.")
            return
        call_command("rebuild_index", interactive=False, verbosity=0)
        self.stdout.write("Search index rebuilt.")
