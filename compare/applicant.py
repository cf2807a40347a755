""" "What would I get": an applicant's profile against each city's figures.

A figure applies to the applicant when its beneficiary is theirs (their degree,
their tier, 高校毕业生 for a new graduate) or when its sentence names nobody;
figures for employers, other degrees, tiers or groups do not. Only what a person
receives (``per_person`` amounts, a flat's ``area``) and what they must meet
(``condition``) are shown: totals and counts describe the programme, not the applicant's share.
What a city's reports do not say is listed too, per dimension, so silence is
not mistaken for "nothing".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from archive.models import City, Figure

from .dimensions import LABELS
from .selectors import CompareError, city_figures

EDUCATION = ("博士后", "博士", "硕士", "本科", "大专")
TIERS = ("A类人才", "B类人才", "C类人才", "D类人才", "E类人才")
TIERS += ("顶尖人才", "领军人才", "高层次人才", "青年人才", "杰出人才", "后备人才")
#: The dimensions an applicant asks about: money to them, and settling.
APPLICANT_DIMENSIONS = (
    "purchase_subsidy",
    "rent_subsidy",
    "living_subsidy",
    "startup_funding",
    "housing",
    "settlement",
)
MIN_AGE, MAX_AGE = 16, 80


@dataclass(frozen=True)
class Profile:
    education: str = ""
    tier: str = ""
    age: int | None = None
    graduate: bool = False

    def groups(self) -> set[str]:
        """The beneficiary names that mean this applicant."""
        names = {self.education, self.tier} - {""}
        if self.graduate:
            names.add("高校毕业生")
        return names


@dataclass
class Condition:
    figure: Figure
    met: bool | None  # None: the profile does not say (no age given)


@dataclass
class ApplicantCity:
    city: City
    amounts: list[Figure] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    silent: list[tuple[str, str]] = field(default_factory=list)  # (key, label)


def parse_profile(params: Mapping[str, str]) -> Profile:
    """The profile from the query string; bad values raise CompareError (gettext)."""
    education = (params.get("education") or "").strip()
    tier = (params.get("tier") or "").strip()
    if education and education not in EDUCATION:
        raise CompareError(_("未知学历：%(value)s") % {"value": education[:20]})
    if tier and tier not in TIERS:
        raise CompareError(_("未知人才类别：%(value)s") % {"value": tier[:20]})
    raw_age = (params.get("age") or "").strip()
    age = None
    if raw_age:
        if not raw_age.isdigit() or not MIN_AGE <= int(raw_age) <= MAX_AGE:
            raise CompareError(
                _("年龄应为 %(low)d 到 %(high)d 之间的整数") % {"low": MIN_AGE, "high": MAX_AGE}
            )
        age = int(raw_age)
    graduate = (params.get("graduate") or "") in ("1", "true", "on", "yes")
    return Profile(education, tier, age, graduate)


def applies(figure: Figure, profile: Profile) -> bool:
    """Named for this applicant, or for nobody in particular (never for employers)."""
    return figure.beneficiary == "" or figure.beneficiary in profile.groups()


def age_met(figure: Figure, age: int | None) -> bool | None:
    """An age threshold: 以上 is a floor, everything else (不超过, 以下) a ceiling."""
    if age is None or figure.unit != "age":
        return None
    return age >= figure.value if "以上" in figure.qualifier else age <= figure.value


def applicant_view(cities: list[City], profile: Profile) -> list[ApplicantCity]:
    """Per city, the amounts and conditions that apply, and the silent dimensions."""
    out = []
    for city in cities:
        entry = ApplicantCity(city)
        stated: set[str] = set()
        figures = city_figures(city).filter(
            dimension__in=APPLICANT_DIMENSIONS, kind__in=("per_person", "area", "condition")
        )
        for figure in figures:
            if not applies(figure, profile):
                continue
            stated.add(figure.dimension)
            if figure.kind == "condition":
                entry.conditions.append(Condition(figure, age_met(figure, profile.age)))
            else:
                entry.amounts.append(figure)
        entry.silent = [(k, str(LABELS[k])) for k in APPLICANT_DIMENSIONS if k not in stated]
        out.append(entry)
    return out


APPLICANT_COLUMNS = (
    "city",
    "dimension",
    "kind",
    "beneficiary",
    "text",
    "value",
    "unit",
    "qualifier",
    "met",
    "published_on",
    "report_id",
    "sentence",
    "url",
)


def applicant_records(entries: list[ApplicantCity]) -> Iterator[dict]:
    """One flat record per amount or condition, for the CSV export."""
    for e in entries:
        rows = [(f, "") for f in e.amounts] + [(c.figure, c.met) for c in e.conditions]
        for f, met in rows:
            yield {
                "city": e.city.name,
                "dimension": f.dimension,
                "kind": f.kind,
                "beneficiary": f.beneficiary,
                "text": f.text,
                "value": int(f.value) if float(f.value).is_integer() else f.value,
                "unit": f.unit,
                "qualifier": f.qualifier,
                "met": "" if met in ("", None) else int(met),
                "published_on": f.report.published_on_display or "",
                "report_id": f.report_id,
                "sentence": f.sentence,
                "url": f.get_absolute_url(),
            }
        for key, _label in e.silent:
            yield {"city": e.city.name, "dimension": key, "kind": "not_stated"}
