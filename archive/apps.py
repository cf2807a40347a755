from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("人才政策档案")

    def ready(self) -> None:
        from . import cache_versions, term_stats

        term_stats.connect()
        cache_versions.connect()
