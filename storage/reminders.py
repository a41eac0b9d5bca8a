"""Reminders: what to say and to whom. Their times are schedule rows of the kind the reminders
feature names (bot.features.reminders.DELIVER), passed in as `kind`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Reminder, ReminderAnswer, ReminderFiring, Schedule


class ReminderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, reminder: Reminder) -> Reminder:
        self.session.add(reminder)
        await self.session.flush()
        return reminder

    async def get(self, reminder_id: int) -> Reminder | None:
        return await self.session.get(Reminder, reminder_id)

    async def lock(self, reminder_id: int) -> Reminder | None:
        """The reminder, locked for this transaction: presses on its messages take turns."""
        statement = select(Reminder).where(Reminder.id == reminder_id).with_for_update()
        return (await self.session.scalars(statement.execution_options(populate_existing=True))).first()

    async def answer_to(self, reminder_id: int, due_at: datetime, recipient: int) -> ReminderAnswer | None:
        """What was answered on one delivered message (lock the reminder first)."""
        return await self.session.get(ReminderAnswer, (reminder_id, due_at, recipient))

    async def record_firing(self, reminder_id: int, due_at: datetime, status: str, now: datetime) -> None:
        """How an occurrence fired (on time, late, missed), for the insights figures."""
        firing = ReminderFiring(reminder_id=reminder_id, due_at=due_at, status=status, fired_at=now)
        await self.session.merge(firing)

    async def add_answer(self, answer: ReminderAnswer) -> None:
        self.session.add(answer)
        await self.session.flush()

    async def active_count(self, creator_id: int, kind: str) -> int:
        """How many of the creator's reminders still have an occurrence to come."""
        statement = select(func.count(func.distinct(Reminder.id))).where(
            Reminder.creator_id == creator_id, _is_live(kind)
        )
        return int(await self.session.scalar(statement) or 0)

    async def visible_to(self, person_id: int, kind: str, *, shared: bool) -> list[Reminder]:
        """Active reminders the person made or receives; with `shared`, every channel and cohort one."""
        mine = or_(Reminder.creator_id == person_id, Reminder.recipient_id == person_id)
        statement = (
            select(Reminder)
            .where(or_(mine, Reminder.target != "person") if shared else mine, _is_live(kind))
            .order_by(Reminder.id)
        )
        return list(await self.session.scalars(statement))

    async def involving(self, person_id: int) -> list[Reminder]:
        statement = select(Reminder).where(
            or_(Reminder.creator_id == person_id, Reminder.recipient_id == person_id)
        )
        return list(await self.session.scalars(statement.order_by(Reminder.id)))

    async def delete(self, reminder_ids: list[int]) -> None:
        await self.session.execute(delete(Reminder).where(Reminder.id.in_(reminder_ids)))


def _is_live(kind: str) -> ColumnElement[bool]:
    """The reminder still has an occurrence of `kind` to come."""
    return Reminder.id.in_(
        select(Schedule.subject_id).where(Schedule.kind == kind, Schedule.state == "pending")
    )
