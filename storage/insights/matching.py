"""Matching: rounds, groups and how many met (from check-ins), who is paused, and new ties.

A group met when any of its members answered the check-in "yes". A new tie is two members of a
group that met who had never been in a group that met before (in any cohort); it crosses
organisations or regions when both sides name theirs and they differ. Everything is counted by
the database: a two-year history has hundreds of thousands of group members, and the first
meetings are kept as they happen (storage.ties)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.insights.scope import Column, Scope, cohort_people
from storage.models import Cohort, MatchGroup, MatchGroupMember, MatchRound, MatchSettings, Person, Tie

T = TypeVar("T")


@dataclass(frozen=True)
class RoundFigures:
    starts_at: datetime
    groups: int
    met: int
    answered: int  # groups with at least one check-in answer

    @property
    def meeting_rate(self) -> float | None:
        return self.met / self.groups if self.groups else None


@dataclass(frozen=True)
class Matching:
    rounds: list[RoundFigures]
    paused: int  # members paused now
    new_ties: dict[str, int]  # month -> ties
    cross_organisation: dict[str, int]
    cross_region: dict[str, int]
    # (region, region) in alphabetical order -> new ties between them.
    region_matrix: dict[tuple[str, str], int]

    @property
    def groups(self) -> int:
        return sum(r.groups for r in self.rounds)

    @property
    def met(self) -> int:
        return sum(r.met for r in self.rounds)

    @property
    def meeting_rate(self) -> float | None:
        return self.met / self.groups if self.groups else None


async def matching(session: AsyncSession, scope: Scope) -> Matching:
    months = scope.period.months()
    counts = {name: Counter[str]() for name in ("new", "organisation", "region")}
    matrix: Counter[tuple[str, str]] = Counter()
    # The ties come back counted by month and kind: a few hundred rows, however many ties.
    for month, low, high, across_organisations, n in await session.execute(_tie_kinds(scope)):
        counts["new"][months[month]] += n
        counts["organisation"][months[month]] += n if across_organisations else 0
        if low and high:
            counts["region"][months[month]] += n if low != high else 0
            matrix[low, high] += n
    return Matching(
        rounds=await _rounds(session, scope),
        paused=await _paused(session, scope),
        new_ties={m: counts["new"][m] for m in months},
        cross_organisation={m: counts["organisation"][m] for m in months},
        cross_region={m: counts["region"][m] for m in months},
        region_matrix=dict(sorted(matrix.items())),
    )


def _tie_kinds(scope: Scope) -> Select[int, str, str, bool, int]:
    """(month number, region, region in alphabetical order, across organisations, new ties)."""
    ties = _new_ties(scope).subquery()
    one, other = aliased(Person), aliased(Person)
    org_a, org_b = func.coalesce(one.organisation, ""), func.coalesce(other.organisation, "")
    region_a, region_b = func.coalesce(one.region, ""), func.coalesce(other.region, "")
    kinds = (
        select(
            scope.period.month_number(ties.c.first_at).label("month"),
            case((region_a <= region_b, region_a), else_=region_b).label("low"),
            case((region_a <= region_b, region_b), else_=region_a).label("high"),
            case((and_(org_a != "", org_b != "", org_a != org_b), 1), else_=0).label("across"),
        )
        .select_from(ties)
        .outerjoin(one, one.id == ties.c.a)
        .outerjoin(other, other.id == ties.c.b)
        .subquery()
    )
    group = (kinds.c.month, kinds.c.low, kinds.c.high, kinds.c.across)
    return select(*group, func.count()).group_by(*group)


def _when(condition: ColumnElement[bool], value: ColumnElement[T] | Column) -> ColumnElement[T]:
    """`value` where `condition` holds, NULL elsewhere (which counts leave out)."""
    return case((condition, value))


def _new_ties(scope: Scope) -> Select[int, int, datetime]:
    """(a, b, first_at) for each pair whose first meeting is a round of this scope."""
    return select(Tie.person_a.label("a"), Tie.person_b.label("b"), Tie.first_met_at.label("first_at")).where(
        Tie.round_id.in_(_rounds_in_scope(scope))
    )


def _rounds_in_scope(scope: Scope) -> Select[int]:
    statement = select(MatchRound.id).where(scope.period.holds(MatchRound.starts_at))
    if scope.cohort is not None:
        cohort = select(Cohort.id).where(Cohort.name == scope.cohort).scalar_subquery()
        of_cohort = or_(MatchRound.cohort_id == cohort, MatchRound.partner_cohort_id == cohort)
        statement = statement.where(of_cohort)
    return statement


async def _rounds(session: AsyncSession, scope: Scope) -> list[RoundFigures]:
    answer = MatchGroupMember.answer
    group = MatchGroup.id
    statement = (
        select(
            MatchRound.starts_at,
            func.count(func.distinct(group)),
            func.count(func.distinct(_when(answer == "yes", group))),
            func.count(func.distinct(_when(answer.is_not(None), group))),
        )
        .join(MatchGroup, MatchGroup.round_id == MatchRound.id)
        .outerjoin(MatchGroupMember, MatchGroupMember.group_id == MatchGroup.id)
        .where(MatchRound.id.in_(_rounds_in_scope(scope)))
        .group_by(MatchRound.id, MatchRound.starts_at)
        .order_by(MatchRound.starts_at, MatchRound.id)
    )
    return [RoundFigures(*row) for row in await session.execute(statement)]


async def _paused(session: AsyncSession, scope: Scope) -> int:
    # Pauses keep no history: this is who is paused now.
    statement = select(func.count()).where(MatchSettings.paused_until > scope.now)
    if scope.cohort is not None:
        statement = statement.where(MatchSettings.person_id.in_(cohort_people(scope.cohort)))
    return int(await session.scalar(statement) or 0)
