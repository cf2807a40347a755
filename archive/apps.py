from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "人才政策档案"

    def ready(self) -> None:
        from . import cache_versions, term_stats

        term_stats.connect()
        cache_versions.connect()
