"""Load the national gazetteer so that ``migrate`` on an empty data dir gives a
working archive. The facts live in fixtures/regions.json (source and date in
fixtures/README.md); this migration only copies them into the tables.
"""

import json
from pathlib import Path

from django.db import migrations

REGIONS = Path(__file__).resolve().parents[2] / "fixtures" / "regions.json"


def load_regions(apps, schema_editor):
    Province = apps.get_model("archive", "Province")
    City = apps.get_model("archive", "City")
    records = json.loads(REGIONS.read_text(encoding="utf-8"))
    by_code = {r["adcode"]: r for r in records}

    provinces = {}
    for r in records:
        if r["level"] == "province":
            provinces[r["adcode"]] = Province(
                adcode=r["adcode"],
                name=r["name"],
                short_name=r["short_name"],
                pinyin=r["pinyin"],
                slug=r["slug"],
                trad_names=r["trad_names"],
            )
    Province.objects.bulk_create(provinces.values(), batch_size=500)
    province_ids = dict(Province.objects.values_list("adcode", "id"))

    def province_of(record):
        while record["level"] != "province":
            record = by_code[record["parent"]]
        return record["adcode"]

    cities = [r for r in records if r["level"] != "province"]
    # Prefectures first so counties can point at them.
    cities.sort(key=lambda r: (r["level"] != "prefecture", r["adcode"]))
    city_ids: dict[str, int] = {}
    for level in ("prefecture", "county"):
        batch = []
        for r in (c for c in cities if c["level"] == level):
            parent = r["parent"]
            batch.append(
                City(
                    adcode=r["adcode"],
                    name=r["name"],
                    short_name=r["short_name"],
                    pinyin=r["pinyin"],
                    slug=r["slug"],
                    trad_names=r["trad_names"],
                    level=level,
                    province_id=province_ids[province_of(r)],
                    parent_id=city_ids.get(parent) if parent else None,
                )
            )
        City.objects.bulk_create(batch, batch_size=500)
        city_ids.update(City.objects.values_list("adcode", "id"))


def unload_regions(apps, schema_editor):
    apps.get_model("archive", "City").objects.filter(level="county").delete()
    apps.get_model("archive", "City").objects.all().delete()
    apps.get_model("archive", "Province").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]
    operations = [migrations.RunPython(load_regions, unload_regions)]
