"""Introductions, polls and roundtables, and reminders.

A chosen cohort narrows each to its members: the introductions they were asked for; the votes,
eligible voters, RSVPs and check-ins of theirs on the community's polls and roundtables (which
still all count); the reminders addressed to one of them or to the cohort (not to a channel).
Anonymous ballots name nobody: they count only when no cohort is chosen."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.polls.fairness import is_unsocial
from storage.insights.scope import Scope
from storage.models import (
    Cohort,
    IntroCandidate,
    Person,
    Poll,
    PollVote,
    Reminder,
    ReminderFiring,
    Roundtable,
    RoundtableAttendance,
    Rsvp,
)


@dataclass(frozen=True)
class Introductions:
    asked: int
    accepted: int
    declined: int
    expired: int
    median_hours_to_answer: float | None


@dataclass(frozen=True)
class Gatherings:
    polls: int
    votes: int  # voters summed over polls
    eligible: int  # members who could have voted, summed over polls
    slot_voters: int  # voters (with a time zone) on the polls that chose a roundtable's slot
    unsocial: int  # of whom the chosen slot fell at an unsocial hour
    roundtables: int
    going: int
    maybe: int
    came: int

    @property
    def participation(self) -> float | None:
        return self.votes / self.eligible if self.eligible else None

    @property
    def unsocial_share(self) -> float | None:
        return self.unsocial / self.slot_voters if self.slot_voters else None


@dataclass(frozen=True)
class Reminders:
    on_time: int
    late: int
    missed: int

    @property
    def sent(self) -> int:
        return self.on_time + self.late


async def introductions(session: AsyncSession, scope: Scope) -> Introductions:
    statement = select(IntroCandidate.state, IntroCandidate.asked_at, IntroCandidate.answered_at).where(
        scope.period.holds(IntroCandidate.asked_at), scope.members(IntroCandidate.person_id)
    )
    rows = (await session.execute(statement)).all()
    states = Counter(row.state for row in rows)
    waits = [
        (row.answered_at - row.asked_at).total_seconds() / 3600
        for row in rows
        if row.state in ("accepted", "declined") and row.answered_at is not None
    ]
    return Introductions(
        asked=len(rows),
        accepted=states["accepted"],
        declined=states["declined"],
        expired=states["expired"],
        median_hours_to_answer=statistics.median(waits) if waits else None,
    )


async def gatherings(session: AsyncSession, scope: Scope) -> Gatherings:
    polls = (
        await session.execute(select(Poll.id, Poll.created_at).where(scope.period.holds(Poll.created_at)))
    ).all()
    voters = dict(
        (
            await session.execute(
                select(PollVote.poll_id, func.count(func.distinct(PollVote.voter_key)))
                .where(PollVote.poll_id.in_([p.id for p in polls]), scope.narrows(PollVote.person_id))
                .group_by(PollVote.poll_id)
            )
        ).all()
    )
    eligible = await session.scalar(
        select(func.count())
        .select_from(Poll)
        .join(Person, Person.created_at <= Poll.created_at)
        .where(Poll.id.in_([p.id for p in polls]), scope.narrows(Person.id))
    )
    roundtables = (
        await session.execute(
            select(Roundtable.id, Roundtable.starts_at, Roundtable.poll_id).where(
                scope.period.holds(Roundtable.starts_at)
            )
        )
    ).all()
    ids = [r.id for r in roundtables]
    rsvps = Counter(
        await session.scalars(
            select(Rsvp.answer).where(Rsvp.roundtable_id.in_(ids), scope.narrows(Rsvp.person_id))
        )
    )
    came = await session.scalar(
        select(func.count())
        .select_from(RoundtableAttendance)
        .where(RoundtableAttendance.roundtable_id.in_(ids), scope.narrows(RoundtableAttendance.person_id))
    )
    chosen = [(r.starts_at, r.poll_id) for r in roundtables]
    slot_voters, unsocial = await _slot_fairness(session, scope, chosen)
    return Gatherings(
        polls=len(polls),
        votes=sum(voters.values()),
        eligible=int(eligible or 0),
        slot_voters=slot_voters,
        unsocial=unsocial,
        roundtables=len(roundtables),
        going=rsvps["going"],
        maybe=rsvps["maybe"],
        came=int(came or 0),
    )


async def _slot_fairness(
    session: AsyncSession, scope: Scope, chosen: list[tuple[datetime, int | None]]
) -> tuple[int, int]:
    """Named voters (with a time zone) of each poll that chose a slot, and how many of them
    the chosen slot put at an unsocial hour (outside 08:00-21:00, as the polls count it).
    Anonymous ballots name nobody and are left out."""
    slot_of = {poll_id: starts_at for starts_at, poll_id in chosen if poll_id is not None}
    voters_per_zone = (
        select(PollVote.poll_id, Person.timezone, func.count(func.distinct(PollVote.person_id)))
        .join(Person, Person.id == PollVote.person_id)
        .where(PollVote.poll_id.in_(list(slot_of)), Person.timezone != "", scope.narrows(Person.id))
        .group_by(PollVote.poll_id, Person.timezone)
    )
    voters = unsocial = 0
    for poll_id, zone, count in await session.execute(voters_per_zone):
        try:
            at_unsocial_hour = is_unsocial(slot_of[poll_id], ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError):
            continue
        voters += count
        unsocial += count if at_unsocial_hour else 0
    return voters, unsocial


async def reminders(session: AsyncSession, scope: Scope) -> Reminders:
    statement = (
        select(ReminderFiring.status, func.count())
        .where(scope.period.holds(ReminderFiring.due_at))
        .group_by(ReminderFiring.status)
    )
    if scope.cohort is not None:
        cohort = select(Cohort.id).where(Cohort.name == scope.cohort).scalar_subquery()
        addressed = or_(scope.members(Reminder.recipient_id), Reminder.cohort_id == cohort)
        statement = statement.join(Reminder, Reminder.id == ReminderFiring.reminder_id).where(addressed)
    counts: dict[str, int] = dict((await session.execute(statement)).all())
    return Reminders(
        on_time=counts.get("on time", 0), late=counts.get("late", 0), missed=counts.get("missed", 0)
    )
