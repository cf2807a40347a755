"""Load the seed reports from fixtures/seeds when the archive has no reports yet.

``make run`` calls this on every start; it does nothing once reports exist, so
staff deletions are never undone behind their back.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from archive.models import Report

SEEDS = Path(settings.BASE_DIR) / "fixtures" / "seeds"


class Command(BaseCommand):
    help = "Import fixtures/seeds/ when the archive is empty."

    def handle(self, *args, **options):
        if Report.objects.exists():
            self.stdout.write("Archive already has reports; seeds not loaded.")
            return
        call_command("import_reports", str(SEEDS), stdout=self.stdout, stderr=self.stderr)
