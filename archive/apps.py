from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "人才政策档案"

    def ready(self) -> None:
        from . import term_stats

        term_stats.connect()
