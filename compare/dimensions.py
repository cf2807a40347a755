"""Labels of the policy dimensions (keys from ../shared/API.md, order from
archive.ingest.figures.DIMENSIONS), and of figure units for display."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LABELS = {
    "housing": _("人才住房"),
    "purchase_subsidy": _("购房补贴与安家费"),
    "rent_subsidy": _("租房补贴"),
    "living_subsidy": _("生活补贴"),
    "talent_budget": _("人才工作经费"),
    "talents_introduced": _("引进人才"),
    "graduates_retained": _("高校毕业生留用"),
    "academicians": _("院士与院士工作站"),
    "postdoc_stations": _("博士后工作站"),
    "skills_training": _("技能培训"),
    "startup_funding": _("创业扶持资金"),
    "settlement": _("落户"),
    "family_services": _("家属服务"),
}

#: Kinds (archive/ingest/figures/kinds.py) as a row names them.
KIND_LABELS = {
    "per_person": _("每人/每项金额或上限"),
    "total": _("总额"),
    "count": _("数量"),
    "area": _("面积"),
    "condition": _("条件"),
    "rate": _("比例"),
}

UNIT_LABELS = {
    "yuan": _("元"),
    "person": _("人"),
    "person_time": _("人次"),
    "unit": _("套"),
    "m2": _("平方米"),
    "item": _("个"),
    "age": _("周岁"),
    "month": _("个月"),
}


def format_value(value: float, unit: str) -> str:
    """A figure as an analyst reads it: 25万元, 1.5786亿元 in Chinese; 250,000 yuan,
    157.86 million yuan in English (万/亿 mean nothing to an English reader)."""
    unit_label = str(UNIT_LABELS.get(unit, unit))
    if not (get_language() or "zh").startswith("zh"):
        if value >= 1e6 and unit == "yuan":
            return f"{value / 1e6:,.6g} million {unit_label}"
        return f"{value:,.6g} {unit_label}"
    if unit == "yuan" and value >= 1e8:
        return f"{value / 1e8:g}亿{unit_label}"
    if value >= 1e4 and unit in ("yuan", "person", "person_time", "m2"):
        return f"{value / 1e4:g}万{unit_label}"
    return f"{value:g}{unit_label}"
