"""config/warm_up.py: a worker forked after the warm-up finds the work done."""

import sys

from django.conf import settings
from django.template import engines
from django.urls import clear_url_caches, get_resolver

from archive.gazetteer import Gazetteer
from archive.place_names import english_names
from config.warm_up import project_templates, warm_django


def test_every_project_template_compiles_and_every_view_is_imported():
    names = warm_django()
    assert names == project_templates()
    assert {"base.html", "compare/compare.html", "search/search.html"} <= set(names)
    assert {"archive.views", "compare.views", "search.views", "api.urls"} <= set(sys.modules)
    loader = engines["django"].engine.template_loaders[0]
    cached = {key.split("-")[0] for key in loader.get_template_cache}
    assert "compare/compare.html" in cached  # the cached loader keeps what was compiled


def test_the_gazetteer_and_reverse_tables_are_built_before_the_workers_fork():
    Gazetteer.load_default.cache_clear()
    english_names.cache_clear()
    clear_url_caches()  # a fresh resolver, as a new process has
    warm_django()
    resolver = get_resolver()
    assert Gazetteer.load_default.cache_info().currsize == 1
    assert english_names.cache_info().currsize == 1
    assert {code for code, _name in settings.LANGUAGES} <= set(resolver._reverse_dict)
