"""What a set of figures covers: a period (a year or a month, in UTC) and, optionally, a cohort."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import InstrumentedAttribute

from storage.models import Cohort, CohortMember

# A mapped column, as the queries name them.
Column = InstrumentedAttribute[Any]

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    label: str
    start: datetime
    end: datetime  # exclusive

    @classmethod
    def parse(cls, text: str) -> Period | None:
        """ "2026" or "2026-03"; None when the text is neither."""
        text = text.strip()
        if year := _YEAR.match(text):
            first = int(year[1])
            return cls(text, datetime(first, 1, 1, tzinfo=UTC), datetime(first + 1, 1, 1, tzinfo=UTC))
        if (month := _MONTH.match(text)) and 1 <= int(month[2]) <= 12:
            y, m = int(month[1]), int(month[2])
            after = datetime(y + m // 12, m % 12 + 1, 1, tzinfo=UTC)
            return cls(text, datetime(y, m, 1, tzinfo=UTC), after)
        return None

    def months(self) -> list[str]:
        found, at = [], self.start
        while at < self.end:
            found.append(month_of(at))
            at = datetime(at.year + at.month // 12, at.month % 12 + 1, 1, tzinfo=UTC)
        return found

    def holds(self, column: Column | ColumnElement[datetime]) -> ColumnElement[bool]:
        return (column >= self.start) & (column < self.end)

    def per_month(
        self, moment: Column | ColumnElement[datetime], counted: Column | ColumnElement[int] | None = None
    ) -> list[ColumnElement[int]]:
        """One column per month counting the rows whose `moment` falls in it, or the distinct
        `counted` values of those rows: the whole period's histogram in one portable query."""
        found: list[ColumnElement[int]] = []
        for start, end in self._month_bounds():
            within = (moment >= start) & (moment < end)
            if counted is None:
                found.append(func.count(case((within, 1))))
            else:
                found.append(func.count(func.distinct(case((within, counted)))))
        return found

    def _month_bounds(self) -> list[tuple[datetime, datetime]]:
        starts = [datetime(int(m[:4]), int(m[5:]), 1, tzinfo=UTC) for m in self.months()]
        return list(zip(starts, [*starts[1:], self.end], strict=True))


@dataclass(frozen=True)
class Scope:
    period: Period
    now: datetime
    cohort: str | None = None

    def members(self, column: Column) -> ColumnElement[bool]:
        """`column` names a person of the cohort (anyone when no cohort is chosen)."""
        if self.cohort is None:
            return column.is_not(None)
        return column.in_(cohort_people(self.cohort))


def cohort_people(name: str) -> Select[int]:
    return (
        select(CohortMember.person_id)
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(Cohort.name == name)
    )


def month_of(at: datetime) -> str:
    return f"{at.year:04d}-{at.month:02d}"
