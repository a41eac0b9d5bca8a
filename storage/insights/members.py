"""Members: joined, with a profile and active per month; where they are and whom they work for.

"Active" means the member did something the database keeps a time for: saved their profile,
asked for or answered an introduction, answered a match check-in, suggested, answered or came
to a roundtable, set or answered a reminder. Poll votes keep no time (for the ballots' sake) and
do not count."""

from __future__ import annotations

import csv
import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.insights.scope import Column, Scope, month_of
from storage.models import (
    IntroCandidate,
    IntroRequest,
    MatchGroupMember,
    Person,
    Reminder,
    ReminderAnswer,
    RoundtableAttendance,
    RoundtableSuggestion,
    Rsvp,
)

NOT_GIVEN = "(not given)"


@functools.cache
def developing_economies() -> frozenset[str]:
    """ISO codes of UNCTAD's developing economies (storage/data/README.md says where from)."""
    text = resources.files("storage").joinpath("data/developing_economies.csv").read_text("utf-8")
    return frozenset(row["code"] for row in csv.DictReader(text.splitlines()))


@dataclass(frozen=True)
class Members:
    joined: dict[str, int]  # month ("2026-03") -> count
    profiles: dict[str, int]
    active: dict[str, int]
    total: int  # members at the period's end
    by_region: dict[str, int]
    by_organisation: dict[str, int]
    with_country: int
    global_south: int

    @property
    def global_south_share(self) -> float | None:
        return self.global_south / self.with_country if self.with_country else None


async def members(session: AsyncSession, scope: Scope) -> Members:
    months = scope.period.months()
    in_scope = scope.members(Person.id) & (Person.created_at < scope.period.end)
    people = (
        await session.execute(
            select(
                Person.created_at, Person.profile_saved_at, Person.region, Person.organisation, Person.country
            ).where(in_scope)
        )
    ).all()
    south = developing_economies()
    return Members(
        joined=_per_month(months, (row.created_at for row in people)),
        profiles=_per_month(months, (row.profile_saved_at for row in people)),
        active=await _active(session, scope, months),
        total=len(people),
        by_region=dict(Counter(row.region or NOT_GIVEN for row in people).most_common()),
        by_organisation=dict(Counter(row.organisation or NOT_GIVEN for row in people).most_common()),
        with_country=sum(1 for row in people if row.country),
        global_south=sum(1 for row in people if row.country in south),
    )


def _per_month(months: list[str], moments: Iterable[datetime | None]) -> dict[str, int]:
    counts = Counter(month_of(at) for at in moments if at is not None)
    return {month: counts[month] for month in months}


async def _active(session: AsyncSession, scope: Scope, months: list[str]) -> dict[str, int]:
    seen: dict[str, set[int]] = {month: set() for month in months}
    for statement in _activities(scope):
        for person_id, at in await session.execute(statement):
            if (month := month_of(at)) in seen:
                seen[month].add(person_id)
    return {month: len(people) for month, people in seen.items()}


def _activities(scope: Scope) -> list[Select[int, datetime]]:
    """(person, moment) for each kind of activity within the period."""

    def done(who: Column, when: Column) -> Select[int, datetime]:
        return select(who, when).where(scope.members(who), scope.period.holds(when))

    return [
        done(Person.id, Person.profile_saved_at),
        done(IntroRequest.requester_id, IntroRequest.created_at),
        done(IntroCandidate.person_id, IntroCandidate.answered_at),
        done(MatchGroupMember.person_id, MatchGroupMember.answered_at),
        done(Rsvp.person_id, Rsvp.answered_at),
        done(RoundtableAttendance.person_id, RoundtableAttendance.answered_at),
        done(RoundtableSuggestion.suggested_by, RoundtableSuggestion.created_at),
        done(Reminder.creator_id, Reminder.created_at),
        done(ReminderAnswer.person_id, ReminderAnswer.answered_at),
    ]
