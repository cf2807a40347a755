"""Value types shared by the ingest stages.

The stages are pure functions (no Django, no settings) so they can be tested on
real excerpts; these small frozen dataclasses are what they pass around.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Generic, Literal, TypeVar

T = TypeVar("T")

Precision = Literal["day", "month", "year"]


class IngestError(Exception):
    """Input refused with a reason a member of staff can act on (shown verbatim)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PartialDate:
    """A publication date known to the day, the month or only the year."""

    value: date  # month/day set to 1 when unknown
    precision: Precision

    def isoformat(self) -> str:
        if self.precision == "day":
            return self.value.isoformat()
        if self.precision == "month":
            return self.value.strftime("%Y-%m")
        return f"{self.value.year:04d}"


@dataclass(frozen=True)
class Detected(Generic[T]):
    """A detected value and the human-readable evidence behind it.

    The evidence is shown to analysts on the report page (e.g.
    "city from title: 瀘州市"), so it names the place it came from.
    """

    value: T | None
    evidence: str = ""
    extra: dict = field(default_factory=dict)
