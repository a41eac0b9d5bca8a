"""Roundtable topic suggestions, roundtables, RSVPs and who came."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import on_postgresql
from storage.models import ChannelCopy, Roundtable, RoundtableAttendance, RoundtableSuggestion, Rsvp


class RoundtableRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def suggest(self, suggestion: RoundtableSuggestion) -> RoundtableSuggestion:
        self.session.add(suggestion)
        await self.session.flush()
        return suggestion

    async def open_suggestions(self, platform: str, workspace: str) -> list[RoundtableSuggestion]:
        statement = select(RoundtableSuggestion).where(
            RoundtableSuggestion.poll_id.is_(None),
            RoundtableSuggestion.platform == platform,
            RoundtableSuggestion.workspace == workspace,
        )
        return list(await self.session.scalars(statement.order_by(RoundtableSuggestion.id)))

    async def suggestions_by(self, person_id: int) -> list[RoundtableSuggestion]:
        statement = select(RoundtableSuggestion).where(RoundtableSuggestion.suggested_by == person_id)
        return list(await self.session.scalars(statement.order_by(RoundtableSuggestion.id)))

    async def add(self, roundtable: Roundtable) -> Roundtable:
        self.session.add(roundtable)
        await self.session.flush()
        return roundtable

    async def get(self, roundtable_id: int) -> Roundtable | None:
        return await self.session.get(Roundtable, roundtable_id)

    async def lock(self, roundtable_id: int) -> Roundtable | None:
        """The roundtable, read afresh and locked until the transaction ends."""
        statement = (
            select(Roundtable)
            .where(Roundtable.id == roundtable_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(statement)).first()

    async def of_poll(self, poll_id: int) -> Roundtable | None:
        return (await self.session.scalars(select(Roundtable).where(Roundtable.poll_id == poll_id))).first()

    async def upcoming(self, platform: str, workspace: str, now: datetime, limit: int) -> list[Roundtable]:
        """The next roundtables announced in this workspace, by themselves or by a copy."""
        copied = select(ChannelCopy.roundtable_id).where(
            ChannelCopy.platform == platform, ChannelCopy.workspace == workspace
        )
        statement = (
            select(Roundtable)
            .where(
                or_(
                    and_(Roundtable.platform == platform, Roundtable.workspace == workspace),
                    Roundtable.id.in_(copied),
                ),
                Roundtable.starts_at > now,
            )
            .order_by(Roundtable.starts_at)
            .limit(limit)
        )
        return list(await self.session.scalars(statement))

    async def came(self, roundtable_id: int, person_id: int, now: datetime) -> bool:
        """Record that the person came; False when they had said so already."""
        if await self.session.get(RoundtableAttendance, (roundtable_id, person_id)):
            return False
        self.session.add(
            RoundtableAttendance(roundtable_id=roundtable_id, person_id=person_id, answered_at=now)
        )
        await self.session.flush()
        return True

    async def attended_by(self, person_id: int) -> list[RoundtableAttendance]:
        statement = select(RoundtableAttendance).where(RoundtableAttendance.person_id == person_id)
        return list(await self.session.scalars(statement.order_by(RoundtableAttendance.answered_at)))

    async def answer(self, roundtable_id: int, person_id: int, answer: str, now: datetime) -> None:
        """Set a member's RSVP; a repeated or concurrent press leaves one row."""
        insert = pg_insert if on_postgresql(self.session) else sqlite_insert
        statement = insert(Rsvp).values(
            roundtable_id=roundtable_id, person_id=person_id, answer=answer, answered_at=now
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[Rsvp.roundtable_id, Rsvp.person_id],
                set_={"answer": answer, "answered_at": now},
            )
        )

    async def rsvps(self, roundtable_ids: list[int], person_id: int) -> dict[int, str]:
        statement = select(Rsvp.roundtable_id, Rsvp.answer).where(
            Rsvp.roundtable_id.in_(roundtable_ids), Rsvp.person_id == person_id
        )
        return {r: a for r, a in await self.session.execute(statement)}

    async def counts(self, roundtable_id: int) -> dict[str, int]:
        statement = (
            select(Rsvp.answer, func.count()).where(Rsvp.roundtable_id == roundtable_id).group_by(Rsvp.answer)
        )
        return {a: c for a, c in await self.session.execute(statement)}

    async def attending(self, roundtable_id: int) -> list[int]:
        """People Going or Maybe."""
        statement = select(Rsvp.person_id).where(
            Rsvp.roundtable_id == roundtable_id, Rsvp.answer.in_(("going", "maybe"))
        )
        return list(await self.session.scalars(statement.order_by(Rsvp.person_id)))

    async def answers_of(self, person_id: int) -> list[tuple[Roundtable, str]]:
        statement = (
            select(Roundtable, Rsvp.answer)
            .join(Rsvp, Rsvp.roundtable_id == Roundtable.id)
            .where(Rsvp.person_id == person_id)
            .order_by(Roundtable.starts_at)
        )
        return [(r, a) for r, a in await self.session.execute(statement)]
