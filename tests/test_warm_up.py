"""config/warm_up.py: a worker forked after the warm-up finds the work done."""

import sys

from django.template import engines

from archive.gazetteer import Gazetteer
from config.warm_up import project_templates, warm_django


def test_every_project_template_compiles_and_every_view_is_imported():
    names = warm_django()
    assert names == project_templates()
    assert {"base.html", "compare/compare.html", "search/search.html"} <= set(names)
    assert {"archive.views", "compare.views", "search.views", "api.urls"} <= set(sys.modules)
    loader = engines["django"].engine.template_loaders[0]
    cached = {key.split("-")[0] for key in loader.get_template_cache}
    assert "compare/compare.html" in cached  # the cached loader keeps what was compiled


def test_the_gazetteer_is_built_before_the_workers_fork():
    Gazetteer.load_default.cache_clear()
    warm_django()
    assert Gazetteer.load_default.cache_info().currsize == 1
