"""Schedule rows: features add and cancel them; the runner claims, fires and advances them.

Claims are conditional updates (`state = 'pending'` -> `'firing'` with a fresh token):
of two processes that try, each row goes to one. On PostgreSQL the candidate rows are
locked with SKIP LOCKED so concurrent processes take different rows instead of waiting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Schedule

LIVE = ("pending", "firing")


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
        """Occurrences still to come (or being sent), earliest first."""
        statement = (
            select(Schedule)
            .where(
                Schedule.kind == kind,
                Schedule.subject_id.in_(list(subject_ids)),
                Schedule.state.in_(LIVE),
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

    async def claim_due(self, platform: str, now: datetime, token: str, limit: int) -> list[Schedule]:
        """Claim up to `limit` pending rows due by `now`; only rows this call won come back."""
        candidates = (
            select(Schedule.id)
            .where(Schedule.state == "pending", Schedule.due_at <= now, _fires_on(platform))
            .order_by(Schedule.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        await self.session.execute(
            update(Schedule)
            .where(Schedule.id.in_(candidates.scalar_subquery()), Schedule.state == "pending")
            .values(state="firing", claim_token=token, claimed_at=now, attempts=Schedule.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return await self._claimed(token)

    async def claim_stale(
        self, platform: str, claimed_before: datetime, now: datetime, token: str, limit: int
    ) -> list[Schedule]:
        """Take over rows whose claimer stopped before finishing (a crash between claim and finish)."""
        candidates = (
            select(Schedule.id)
            .where(Schedule.state == "firing", Schedule.claimed_at < claimed_before, _fires_on(platform))
            .order_by(Schedule.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        await self.session.execute(
            update(Schedule)
            .where(
                Schedule.id.in_(candidates.scalar_subquery()),
                Schedule.state == "firing",
                Schedule.claimed_at < claimed_before,
            )
            .values(claim_token=token, claimed_at=now, attempts=Schedule.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return await self._claimed(token)

    async def finish(self, ids: Sequence[int], token: str, state: str) -> None:
        """Close one-off occurrences that this claim fired ("done" or "missed")."""
        await self.session.execute(
            update(Schedule)
            .where(Schedule.id.in_(list(ids)), Schedule.claim_token == token, Schedule.state == "firing")
            .values(state=state, claim_token=None)
            .execution_options(synchronize_session=False)
        )

    async def reschedule(self, schedule_id: int, token: str, due_at: datetime, *, attempts: int) -> None:
        """Put a fired row back to pending at its next time (a repeat, or a retry after a failure)."""
        await self.session.execute(
            update(Schedule)
            .where(Schedule.id == schedule_id, Schedule.claim_token == token, Schedule.state == "firing")
            .values(state="pending", due_at=due_at, claim_token=None, claimed_at=None, attempts=attempts)
            .execution_options(synchronize_session=False)
        )

    async def _claimed(self, token: str) -> list[Schedule]:
        statement = (
            select(Schedule)
            .where(Schedule.claim_token == token, Schedule.state == "firing")
            .order_by(Schedule.due_at, Schedule.id)
            .execution_options(populate_existing=True)
        )
        return list(await self.session.scalars(statement))


def _fires_on(platform: str) -> object:
    return or_(Schedule.platform == platform, Schedule.platform == "")
