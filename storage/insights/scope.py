"""What a set of figures covers: a period (a year or a month, in UTC) and, optionally, a cohort."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, select, true
from sqlalchemy.ext.asyncio import AsyncSession
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

    def month_number(self, moment: Column | ColumnElement[datetime]) -> ColumnElement[int]:
        """Which of the period's months `moment` falls in (0 for the first; NULL before the
        period, the last month's number after it): a key to GROUP BY, so the database counts
        each month in one pass over the rows."""
        ends = [end for _, end in self._month_bounds()]
        return case((moment < self.start, None), *((moment < end, n) for n, end in enumerate(ends)))

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

    def narrows(self, column: Column) -> ColumnElement[bool]:
        """`column` names a person of the cohort; anything (even no one) when no cohort is chosen."""
        return true() if self.cohort is None else column.in_(cohort_people(self.cohort))


def cohort_people(name: str) -> Select[int]:
    return (
        select(CohortMember.person_id)
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(Cohort.name == name)
    )


async def per_month(
    session: AsyncSession,
    period: Period,
    moment: Column | ColumnElement[datetime],
    where: ColumnElement[bool],
    counted: Column | ColumnElement[int] | None = None,
) -> dict[str, int]:
    """month -> the rows `where` holds whose `moment` falls in it, or their distinct `counted`."""
    rows = select(
        period.month_number(moment).label("month"),
        (counted if counted is not None else literal(1)).label("counted"),
    )
    within = rows.where(where, period.holds(moment)).subquery()
    count = func.count() if counted is None else func.count(func.distinct(within.c.counted))
    counts = await session.execute(select(within.c.month, count).group_by(within.c.month))
    found: dict[int, int] = {n: total for n, total in counts}
    return {month: found.get(n, 0) for n, month in enumerate(period.months())}


def month_of(at: datetime) -> str:
    return f"{at.year:04d}-{at.month:02d}"
