"""An import computes its cities' page values at its end (compare/warming.py, issue 18):
the first reader finds them kept, sees exactly what the slow path draws, and a
later write is seen by the next request.

Data: the five seeds and the labelled dev documents (兰州 and 泸州 with several
reports each, 深圳, 北京 and others), imported through ``import_reports``."""

import io
import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import DatabaseError
from django.test import override_settings

import archive.selectors
import compare.selectors
from archive.models import City, Report

from .conftest import SEEDS_DIR
from .test_faults_support import fresh_data_dir, run
from .test_page_cache import without_tokens

pytestmark = pytest.mark.django_db
DEV_RAW = SEEDS_DIR.parent / "labelled" / "dev" / "raw"
FOUR = "兰州市,泸州市,深圳市,北京市"
PAGES = ["/compare/?cities=" + FOUR, "/cities/lanzhou/", "/cities/luzhou/"]


def import_all(*options: str) -> str:
    paths = sorted(map(str, SEEDS_DIR.glob("*.txt"))) + sorted(map(str, DEV_RAW.iterdir()))
    err = io.StringIO()
    call_command("import_reports", *options, *paths, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


@pytest.fixture
def computed(monkeypatch) -> Counter:
    """How many times each page value was computed (by city pk)."""
    counts: Counter = Counter()
    for module, name in [
        (compare.selectors, "_newest_figures"),
        (compare.selectors, "_city_key_figures"),
        (archive.selectors, "_city_keywords"),
    ]:
        original = getattr(module, name)

        def counting(city, *args, _original=original, _name=name, **kwargs):
            counts[_name, city.pk] += 1
            return _original(city, *args, **kwargs)

        monkeypatch.setattr(module, name, counting)
    return counts


def pages(client) -> list[str]:
    out = []
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        out.append(without_tokens(response.content))
    return out


def test_the_first_reader_after_an_import_computes_nothing_and_sees_the_slow_path(client, computed):
    err = import_all()
    assert "Computed the pages of" in err
    computed.clear()  # the import's own computing
    warm = pages(client)
    assert computed == Counter()
    lanzhou = City.objects.get(name="兰州市")
    assert "兰州市" in warm[0] and "兰州" in warm[1]
    for cache in caches.all():
        cache.clear()
    with override_settings(PAGE_CACHE=False, PAGE_FRAGMENTS=False):
        cold = pages(client)
    assert computed[("_newest_figures", lanzhou.pk)] == 1  # the slow path did compute
    assert computed[("_city_keywords", lanzhou.pk)] >= 1
    assert cold == warm


def test_a_write_after_the_import_is_seen_by_the_next_request(client, computed):
    import_all()
    lanzhou = City.objects.get(name="兰州市")
    before = client.get("/compare/", {"cities": FOUR}).content.decode()
    held = Report.objects.filter(city=lanzhou).order_by("-published_on", "pk").first()
    link = f'href="/reports/{held.pk}/'
    assert link in before
    computed.clear()
    held.needs_review = True
    held.save()
    after = client.get("/compare/", {"cities": FOUR}).content.decode()
    assert computed[("_newest_figures", lanzhou.pk)] == 1
    assert link not in after
    assert computed[("_newest_figures", City.objects.get(name="深圳市").pk)] == 0


def test_a_failed_warming_fails_nothing(monkeypatch):
    def broken(city_ids):
        raise DatabaseError("database gone")

    monkeypatch.setattr("archive.management.commands.import_reports.warm_cities", broken)
    err = import_all()
    assert "Could not compute the cities' pages" in err and "Done: " in err
    assert Report.objects.filter(city__name="兰州市").exists()


def test_a_bug_in_the_warming_is_not_swallowed(monkeypatch):
    def buggy(city_ids):
        raise TypeError("a bug")

    monkeypatch.setattr("archive.management.commands.import_reports.warm_cities", buggy)
    with pytest.raises(TypeError):
        import_all()


def test_no_warm_leaves_the_values_to_the_first_reader(client, computed):
    err = import_all("--no-warm")
    assert "Computed the pages of" not in err
    pages(client)
    lanzhou = City.objects.get(name="兰州市")
    assert computed[("_newest_figures", lanzhou.pk)] == 1
    assert computed[("_city_key_figures", lanzhou.pk)] == 1


SERVER_READS = """
import sys
from archive import cache_versions
from archive.models import City
import compare.selectors as cs
cache_versions._epoch = sys.argv[1]
computed = []
original = cs._newest_figures
cs._newest_figures = lambda city, n: computed.append(city.pk) or original(city, n)
for name in sys.argv[2:]:
    cs.newest_cells(City.objects.get(name=name), cs.PER_CELL)
print(len(computed))
"""


def test_the_values_an_import_computes_are_under_the_running_servers_epoch(tmp_path):
    """Separate processes on one data dir: a server starting (its epoch written),
    ``import_reports`` in its own process, then the server's reads of the cities'
    compare columns find them; under any other epoch they are computed."""
    data_dir = fresh_data_dir(tmp_path / "data")
    started = "from archive.cache_versions import start_epoch; print(start_epoch())"
    code, out, err = run(data_dir, "shell", "-c", started)
    assert code == 0, err
    (server,) = re.findall(r"^[0-9a-f]{32}$", out, re.MULTILINE)
    paths = [str(p) for p in sorted(SEEDS_DIR.glob("*.txt"))]
    code, _out, err = run(data_dir, "import_reports", *paths)
    assert code == 0 and "Computed the pages of" in err, err
    script = tmp_path / "server_reads.py"
    script.write_text(SERVER_READS)
    cities = ["兰州市", "泸州市"]
    for epoch, computed in [(server, "0"), ("another", "2")]:
        code, out, err = run(data_dir, "shell", "-c", _argv(script, epoch, *cities))
        assert code == 0, err
        assert out.strip().splitlines()[-1] == computed, (epoch, out)


def _argv(script: Path, *args: str) -> str:
    """``manage.py shell -c`` code running ``script`` with ``sys.argv[1:] == args``."""
    return f"import sys; sys.argv = ['x', *{list(args)!r}]; exec(open({str(script)!r}).read())"
