"""Policy figures (amounts, head counts, housing units…) found in report text.

Public API::

    extract_figures(text) -> list[Figure]   # clean text, Simplified or Traditional
    Figure                                  # frozen dataclass, see extract.Figure
    parse_number("1.2万") == 12000           # Arabic, Chinese or mixed numbers
    parse_chinese("一百五十万") == 1500000    # strict: None for 十四五, 二〇二三
    DIMENSIONS                              # the dimension keys of API.md, in order

Conventions an analyst can rely on:

- ``value`` is normalized (yuan, persons, person-times, units, m², items) and is an
  ``int`` when whole; ``text``/``sentence`` keep the report's own script.
- ``qualifier``: every qualifier found (最高, 不低于, 每年, 每月, 人均, 累计, 近三年,
  余, 多, 近, 超, 以上, 预计…), in text order, joined with "、" ("每年、最高"); it is
  a category, so it is given in Simplified even for a Traditional report.
- ``dimension`` is None when no cue word fits the figure's unit; such figures are
  still returned for the report page. ``cue`` is the word that decided it.
- Not figures: years, dates, times, percentages, document and phone numbers,
  ordinals, ranks, ages, named packages (“黄金30条”, 《…30万大学生…计划》) and
  numbers without a unit. km² and 亩 are land areas of parks and zones, not floor
  space, so they are not read as m².

Everything here is pure (no Django): text in, dataclasses out.
"""

from .cues import DIMENSION_UNITS
from .extract import Figure, extract_figures
from .numbers import parse_chinese, parse_number

DIMENSIONS: tuple[str, ...] = tuple(DIMENSION_UNITS)

__all__ = ["DIMENSIONS", "Figure", "extract_figures", "parse_chinese", "parse_number"]
