"""Members: joined, with a profile and active per month; where they are and whom they work for.

"Active" means the member did something the database keeps a time for: saved their profile,
asked for or answered an introduction, answered a match check-in, suggested, answered or came
to a roundtable, set or answered a reminder. Poll votes keep no time (for the ballots' sake) and
do not count."""

from __future__ import annotations

import csv
import functools
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

from sqlalchemy import ColumnElement, Select, func, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from storage.insights.scope import Column, Scope, per_month
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
    in_scope = scope.members(Person.id) & (Person.created_at < scope.period.end)
    countries = await _counts(session, Person.country, in_scope)
    south = developing_economies()
    return Members(
        joined=await per_month(session, scope.period, Person.created_at, in_scope),
        profiles=await per_month(session, scope.period, Person.profile_saved_at, in_scope),
        active=await _active(session, scope),
        total=sum(countries.values()),
        by_region=await _counts(session, Person.region, in_scope),
        by_organisation=await _counts(session, Person.organisation, in_scope),
        with_country=sum(n for country, n in countries.items() if country != NOT_GIVEN),
        global_south=sum(n for country, n in countries.items() if country in south),
    )


async def _counts(session: AsyncSession, column: Column, where: ColumnElement[bool]) -> dict[str, int]:
    """Members by `column`'s value, most first ("(not given)" for an empty one)."""
    rows = await session.execute(select(column, func.count()).where(where).group_by(column))
    counted = Counter[str]()
    for value, n in rows:
        counted[value or NOT_GIVEN] += n
    return dict(counted.most_common())


async def _active(session: AsyncSession, scope: Scope) -> dict[str, int]:
    activities = union_all(*_activities(scope)).subquery()
    return await per_month(session, scope.period, activities.c.at, true(), activities.c.person_id)


def _activities(scope: Scope) -> list[Select[int, datetime]]:
    """(person, moment) for each kind of activity within the period."""

    def done(who: Column, when: Column) -> Select[int, datetime]:
        return select(who.label("person_id"), when.label("at")).where(
            scope.members(who), scope.period.holds(when)
        )

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
