"""Matching: rounds, groups and how many met (from check-ins), who is paused, and new ties.

A group met when any of its members answered the check-in "yes". A new tie is two members of a
group that met who had never been in a group that met before (in any cohort); it crosses
organisations or regions when both sides name theirs and they differ."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.insights.scope import Scope, cohort_people, month_of
from storage.models import Cohort, MatchGroup, MatchGroupMember, MatchRound, MatchSettings, Person


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


@dataclass
class _Group:
    round_id: int
    starts_at: datetime
    people: list[int]
    met: bool = False
    answered: bool = False


async def matching(session: AsyncSession, scope: Scope) -> Matching:
    groups = await _groups_until(session, scope)
    counted = await _rounds_in_scope(session, scope)
    where = await _where(session, {p for g in groups.values() for p in g.people})
    months = scope.period.months()
    ties = {name: Counter[str]() for name in ("new", "organisation", "region")}
    matrix: Counter[tuple[str, str]] = Counter()
    known: set[tuple[int, int]] = set()
    for group in sorted(groups.values(), key=lambda g: g.starts_at):
        if not group.met:
            continue
        for pair in combinations(sorted(group.people), 2):
            if pair in known:
                continue
            known.add(pair)
            if group.round_id not in counted:
                continue
            month = month_of(group.starts_at)
            (org_a, region_a), (org_b, region_b) = where[pair[0]], where[pair[1]]
            ties["new"][month] += 1
            ties["organisation"][month] += bool(org_a and org_b and org_a != org_b)
            if region_a and region_b:
                ties["region"][month] += region_a != region_b
                first, second = sorted((region_a, region_b))
                matrix[first, second] += 1
    return Matching(
        rounds=_round_figures(groups.values(), counted),
        paused=await _paused(session, scope),
        new_ties={m: ties["new"][m] for m in months},
        cross_organisation={m: ties["organisation"][m] for m in months},
        cross_region={m: ties["region"][m] for m in months},
        region_matrix=dict(sorted(matrix.items())),
    )


async def _groups_until(session: AsyncSession, scope: Scope) -> dict[int, _Group]:
    """Every group of a round begun before the period's end, with its members and answers."""
    rounds = dict(
        (
            await session.execute(
                select(MatchRound.id, MatchRound.starts_at).where(MatchRound.starts_at < scope.period.end)
            )
        ).all()
    )
    # The rounds' times are read once above: tens of thousands of rows are cheaper without them.
    statement = (
        select(MatchGroup.id, MatchGroup.round_id, MatchGroupMember.person_id, MatchGroupMember.answer)
        .outerjoin(MatchGroupMember, MatchGroupMember.group_id == MatchGroup.id)
        .where(MatchGroup.round_id.in_(list(rounds)))
    )
    groups: dict[int, _Group] = {}
    for group_id, round_id, person_id, answer in await session.execute(statement):
        group = groups.get(group_id)
        if group is None:
            group = groups[group_id] = _Group(round_id, rounds[round_id], [])
        if person_id is not None:
            group.people.append(person_id)
        group.met = group.met or answer == "yes"
        group.answered = group.answered or answer is not None
    return groups


async def _rounds_in_scope(session: AsyncSession, scope: Scope) -> set[int]:
    statement = select(MatchRound.id).where(scope.period.holds(MatchRound.starts_at))
    if scope.cohort is not None:
        cohort = select(Cohort.id).where(Cohort.name == scope.cohort).scalar_subquery()
        statement = statement.where(
            or_(MatchRound.cohort_id == cohort, MatchRound.partner_cohort_id == cohort)
        )
    return set(await session.scalars(statement))


def _round_figures(groups: Iterable[_Group], counted: set[int]) -> list[RoundFigures]:
    by_round: dict[int, list[_Group]] = {}
    for group in groups:
        if group.round_id in counted:
            by_round.setdefault(group.round_id, []).append(group)
    return sorted(
        (
            RoundFigures(
                starts_at=found[0].starts_at,
                groups=len(found),
                met=sum(g.met for g in found),
                answered=sum(g.answered for g in found),
            )
            for found in by_round.values()
        ),
        key=lambda r: r.starts_at,
    )


async def _where(session: AsyncSession, people: set[int]) -> dict[int, tuple[str, str]]:
    """Each person's organisation and region; a forgotten person names neither."""
    found: dict[int, tuple[str, str]] = {p: ("", "") for p in people}
    rows = await session.execute(select(Person.id, Person.organisation, Person.region))
    for person_id, organisation, region in rows:
        if person_id in found:
            found[person_id] = (organisation, region)
    return found


async def _paused(session: AsyncSession, scope: Scope) -> int:
    # Pauses keep no history: this is who is paused now.
    statement = select(MatchSettings.person_id).where(MatchSettings.paused_until > scope.now)
    if scope.cohort is not None:
        statement = statement.where(MatchSettings.person_id.in_(cohort_people(scope.cohort)))
    return len(list(await session.scalars(statement)))
