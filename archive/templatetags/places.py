"""``{{ report.city|place }}``: a province's or city's name in the reader's language."""

from __future__ import annotations

from django import template

from archive.beneficiaries import beneficiary_label
from archive.place_names import place_name
from archive.qualifiers import qualifier_label

register = template.Library()


@register.filter(name="place")
def place(value) -> str:
    return place_name(value)


@register.filter(name="qualifier")
def qualifier(value: str) -> str:
    """A figure's qualifier words in the reader's language (archive/qualifiers.py)."""
    return qualifier_label(value or "")


@register.filter(name="beneficiary")
def beneficiary(value: str) -> str:
    """Who a figure is for, in the reader's language (archive/beneficiaries.py)."""
    return beneficiary_label(value or "")
