"""The comparison table and the applicant view as JSON (API.md ``/api/compare``).

Figures are ``archive.serializers.figure_json``, as in every other answer; the
export rows of the same table are compare/serializers.py.
"""

from __future__ import annotations

from archive.models import City
from archive.serializers import figure_json
from compare.applicant import ApplicantCity, Profile
from compare.selectors import Comparison, city_term_rates
from compare.terms import parse_terms


def compare_json(cities: list[City], comparison: Comparison, raw_terms: str = "") -> dict:
    """API.md's compare shape, plus report counts per city and optional term rates."""
    data: dict = {
        "cities": [c.name for c in cities],
        "dimensions": [
            {
                "key": row.key,
                "label": row.label,
                "cells": {c.name: [figure_json(f) for f in row.cells[c.pk]] for c in cities},
            }
            for row in comparison.rows
        ],
        "reports": {
            col.city.name: {
                "count": col.report_count,
                "first": col.first.isoformat() if col.first else None,
                "last": col.last.isoformat() if col.last else None,
            }
            for col in comparison.columns
        },
    }
    terms = parse_terms(raw_terms)
    if terms:
        data["terms"] = city_term_rates(cities, terms)
    return data


def applicant_json(profile: Profile, entries: list[ApplicantCity]) -> dict:
    """/api/compare/applicant: per city, the amounts and conditions that apply."""
    return {
        "profile": {
            "education": profile.education,
            "tier": profile.tier,
            "age": profile.age,
            "graduate": profile.graduate,
        },
        "cities": [
            {
                "city": e.city.name,
                "amounts": [figure_json(f) for f in e.amounts],
                "conditions": [{**figure_json(c.figure), "met": c.met} for c in e.conditions],
                "not_stated": [key for key, _label in e.silent],
            }
            for e in entries
        ],
    }
