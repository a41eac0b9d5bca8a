"""Reading a cohort and a period, as typed in chat or chosen in the dashboard's filters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import UserError
from bot.i18n import _
from storage.insights import Period, Scope, cohort_names

EXAMPLE = "/alumni insights alumni 2026"


async def scope_of(session: AsyncSession, cohort: str, period: str, now: datetime) -> Scope:
    """Everyone when `cohort` is empty, this year when `period` is."""
    found_period = Period.parse(period or str(now.year))
    if found_period is None:
        raise UserError(
            _(
                "I can't read the period \u201c{period}\u201d: a period is a year like 2026 or a month like "
                "2026-03."
            ).format(period=period),
            EXAMPLE,
        )
    if not cohort.strip():
        return Scope(found_period, now)
    known = await cohort_names(session)
    found = next((name for name in known if name.casefold() == cohort.strip().casefold()), None)
    if found is None:
        raise UserError(
            _(
                "I don't know the cohort \u201c{cohort}\u201d (cohorts: {cohorts}). A period is a year like "
                "2026 or a month like 2026-03."
            ).format(cohort=cohort.strip(), cohorts=", ".join(known) or _("none yet")),
            EXAMPLE,
        )
    return Scope(found_period, now, found)
