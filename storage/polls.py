"""Polls, their options and votes.

A vote takes a shared lock on the poll row (`lock_to_vote`), and a lock on this voter's
ballot; a refresh or a close takes the poll row alone (`lock`). On PostgreSQL votes on one
poll then go side by side, one voter's votes one after another, and a refresh or a close
waits for the votes under way (and they for it): a vote is either counted in what a
refresh shows or marks the poll dirty again. SQLite has one writer anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, func, insert, literal, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import on_postgresql
from storage.models import Person, Poll, PollOption, PollVote

# option id -> answer ("yes", "maybe", "no") -> how many
Tally = dict[int, dict[str, int]]


class PollRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, poll: Poll) -> Poll:
        self.session.add(poll)
        await self.session.flush()
        return poll

    async def get(self, poll_id: int) -> Poll | None:
        return await self.session.get(Poll, poll_id)

    async def latest(self, platform: str, workspace: str, *, open_only: bool) -> Poll | None:
        """The workspace's newest poll (open, with `open_only`), for examples that work."""
        statement = select(Poll).where(Poll.platform == platform, Poll.workspace == workspace)
        if open_only:
            statement = statement.where(Poll.state == "open")
        return (await self.session.scalars(statement.order_by(Poll.id.desc()).limit(1))).first()

    async def lock(self, poll_id: int) -> Poll | None:
        """The poll, read afresh and locked until the transaction ends."""
        statement = (
            select(Poll).where(Poll.id == poll_id).with_for_update().execution_options(populate_existing=True)
        )
        return (await self.session.scalars(statement)).first()

    async def lock_to_vote(self, poll_id: int, person_id: int) -> Poll | None:
        """The poll, read afresh and locked against a refresh or a close (not against other
        votes), and this person's ballot locked against their other votes, until the end."""
        statement = (
            select(Poll)
            .where(Poll.id == poll_id)
            .with_for_update(read=True, key_share=True)
            .execution_options(populate_existing=True)
        )
        poll = (await self.session.scalars(statement)).first()
        if poll is not None and on_postgresql(self.session):
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(:poll, :person)"), {"poll": poll_id, "person": person_id}
            )
        return poll

    async def answers(self, poll_id: int, voter_key: str) -> dict[int, str]:
        statement = select(PollVote.option_id, PollVote.answer).where(
            PollVote.poll_id == poll_id, PollVote.voter_key == voter_key
        )
        return {option_id: answer for option_id, answer in await self.session.execute(statement)}

    async def replace_answers(
        self, poll_id: int, voter_key: str, person_id: int | None, answers: Mapping[int, str], platform: str
    ) -> None:
        await self.session.execute(
            delete(PollVote).where(PollVote.poll_id == poll_id, PollVote.voter_key == voter_key)
        )
        self.session.add_all(
            PollVote(
                poll_id=poll_id,
                voter_key=voter_key,
                option_id=o,
                answer=a,
                person_id=person_id,
                platform=platform,
            )
            for o, a in answers.items()
        )
        await self.session.flush()

    async def shuffle_ballots(self, poll_id: int) -> None:
        """Store an anonymous poll's ballots again, in key (keyed hash) order, so their order
        says nothing of who voted when. SQLite keeps poll_votes WITHOUT ROWID, in key order
        already; PostgreSQL keeps insertion order and each row's transaction (xmin), so its
        rows are written again in one statement. Run with the poll locked alone (a refresh,
        a close): votes of the last moments are in voting order until then."""
        if not on_postgresql(self.session):
            return
        old = (
            delete(PollVote)
            .where(PollVote.poll_id == poll_id)
            .returning(PollVote.voter_key, PollVote.option_id, PollVote.answer)
            .cte("old")
        )
        rows = select(literal(poll_id), old.c.voter_key, old.c.option_id, old.c.answer).order_by(
            old.c.voter_key, old.c.option_id
        )
        await self.session.execute(
            insert(PollVote).from_select(["poll_id", "voter_key", "option_id", "answer"], rows)
        )

    async def tally(self, poll_id: int) -> tuple[Tally, int]:
        """Counts per option and answer, and how many voters took part."""
        counts = select(PollVote.option_id, PollVote.answer, func.count()).where(PollVote.poll_id == poll_id)
        tally: Tally = {}
        for option_id, answer, count in await self.session.execute(
            counts.group_by(PollVote.option_id, PollVote.answer)
        ):
            tally.setdefault(option_id, {})[answer] = count
        voters = select(func.count(func.distinct(PollVote.voter_key))).where(PollVote.poll_id == poll_id)
        return tally, int(await self.session.scalar(voters) or 0)

    async def voter_zones(self, poll_id: int) -> list[str]:
        """The profile time zone of each voter of an open (not anonymous) poll; "" when unknown."""
        statement = (
            select(Person.timezone)
            .where(Person.id.in_(select(PollVote.person_id).where(PollVote.poll_id == poll_id)))
            .order_by(Person.id)
        )
        return list(await self.session.scalars(statement))

    async def voters(self, poll_id: int) -> list[tuple[int, str, str, str]]:
        """(option id, answer, voter's name, the platform they voted on) on an open poll, by
        option then name."""
        statement = (
            select(PollVote.option_id, PollVote.answer, Person.display_name, PollVote.platform)
            .join(Person, Person.id == PollVote.person_id)
            .where(PollVote.poll_id == poll_id)
            .order_by(PollVote.option_id, Person.display_name)
        )
        return [(o, a, n, p) for o, a, n, p in await self.session.execute(statement)]

    async def mark_dirty(self, poll_id: int, now: datetime) -> bool:
        """Note unshown votes; True when this call is the first since the last refresh."""
        result = await self.session.execute(
            update(Poll)
            .where(Poll.id == poll_id, Poll.dirty_since.is_(None))
            .values(dirty_since=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def open_voted_by(self, person_id: int) -> list[Poll]:
        voted = select(PollVote.poll_id).where(PollVote.person_id == person_id)
        statement = select(Poll).where(Poll.id.in_(voted), Poll.state == "open").order_by(Poll.id)
        return list(await self.session.scalars(statement))

    async def created_by(self, person_id: int) -> list[Poll]:
        return list(await self.session.scalars(select(Poll).where(Poll.creator_id == person_id)))

    async def votes_of(self, person_id: int) -> list[tuple[Poll, PollOption, str]]:
        """A member's votes on open (not anonymous) polls, with the poll and the option."""
        statement = (
            select(Poll, PollOption, PollVote.answer)
            .join(PollVote, PollVote.poll_id == Poll.id)
            .join(PollOption, PollOption.id == PollVote.option_id)
            .where(PollVote.person_id == person_id)
            .order_by(Poll.id, PollOption.position)
        )
        return [(p, o, a) for p, o, a in await self.session.execute(statement)]

    async def forget_votes(self, person_id: int) -> None:
        await self.session.execute(delete(PollVote).where(PollVote.person_id == person_id))
