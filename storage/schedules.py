"""Schedule rows: features add and cancel them; the runner locks, fires and advances them.

The runner locks due rows for the transaction that fires them: on PostgreSQL with
SKIP LOCKED, so concurrent processes take different rows instead of waiting, and a row a
process fired is no longer due when the lock is released. SQLite has one writer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Schedule


class ScheduleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self,
        kind: str,
        subject_id: int,
        due_at: datetime,
        now: datetime,
        *,
        owner_id: int | None = None,
        platform: str = "",
        rule: str = "",
        anchor_at: datetime | None = None,
        zone: str = "UTC",
    ) -> Schedule:
        schedule = Schedule(
            kind=kind,
            subject_id=subject_id,
            owner_id=owner_id,
            platform=platform,
            due_at=due_at,
            rule=rule,
            anchor_at=anchor_at,
            zone=zone,
            state="pending",
            attempts=0,
            created_at=now,
        )
        self.session.add(schedule)
        await self.session.flush()
        return schedule

    async def cancel(self, kind: str, subject_ids: Iterable[int]) -> None:
        """Remove every occurrence of these subjects; one being sent right now finishes its send."""
        await self.session.execute(
            delete(Schedule).where(Schedule.kind == kind, Schedule.subject_id.in_(list(subject_ids)))
        )

    async def live(self, kind: str, subject_ids: Iterable[int]) -> list[Schedule]:
        """Occurrences still to come, earliest first."""
        statement = (
            select(Schedule)
            .where(
                Schedule.kind == kind,
                Schedule.subject_id.in_(list(subject_ids)),
                Schedule.state == "pending",
            )
            .order_by(Schedule.due_at)
        )
        return list(await self.session.scalars(statement))

    async def upcoming(self, platform: str, until: datetime, limit: int) -> list[datetime]:
        """Distinct due times of pending rows up to `until`, so the clock can wake for each."""
        statement = (
            select(Schedule.due_at)
            .where(Schedule.state == "pending", Schedule.due_at <= until, _fires_on(platform))
            .group_by(Schedule.due_at)
            .order_by(Schedule.due_at)
            .limit(limit)
        )
        return list(await self.session.scalars(statement))

    async def lock_due(self, platform: str, now: datetime, limit: int) -> list[Schedule]:
        """Up to `limit` pending rows due by `now`, locked for this transaction; rows another
        process holds are skipped."""
        statement = (
            select(Schedule)
            .where(Schedule.state == "pending", Schedule.due_at <= now, _fires_on(platform))
            .order_by(Schedule.due_at, Schedule.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        return list(await self.session.scalars(statement))

    async def lock_one_due(self, schedule_id: int, now: datetime) -> Schedule | None:
        statement = (
            select(Schedule)
            .where(Schedule.id == schedule_id, Schedule.state == "pending", Schedule.due_at <= now)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        return await self.session.scalar(statement)

    async def ensure(self, kind: str, due_at: datetime, now: datetime, *, rule: str) -> None:
        """One repeating row of `kind` (the bot's own chores), added if none is pending."""
        if not await self.live(kind, [0]):
            await self.add(kind, 0, due_at, now, rule=rule, anchor_at=due_at)


def _fires_on(platform: str) -> ColumnElement[bool]:
    return or_(Schedule.platform == platform, Schedule.platform == "")
