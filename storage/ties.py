"""New ties: the first time two members met, kept as check-ins say "yes" (storage.models.Tie)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, Insert, Select, and_, delete, func, insert, or_, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.dialect import on_postgresql
from storage.models import MatchGroup, MatchGroupMember, MatchRound, Tie

COLUMNS = ("person_a", "person_b", "round_id", "first_met_at")
OTHER = aliased(MatchGroupMember)  # the second member of a pair


async def record_meeting(session: AsyncSession, group_id: int) -> None:
    """The group met: each pair in it that had not met before is a new tie (an earlier round
    answered late takes the tie's place as the first meeting)."""
    upsert = postgresql.insert if on_postgresql(session) else sqlite.insert
    statement = upsert(Tie).from_select(COLUMNS, _pairs(MatchGroupMember.group_id == group_id))
    excluded = statement.excluded
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[Tie.person_a, Tie.person_b],
            set_={"round_id": excluded.round_id, "first_met_at": excluded.first_met_at},
            where=excluded.first_met_at < Tie.first_met_at,
        )
    )


async def rebuild(session: AsyncSession) -> None:
    """Every tie again from the check-ins, for histories written without `record_meeting`."""
    await session.execute(delete(Tie))
    await session.execute(first_meetings(true()))


async def partners(session: AsyncSession, person_id: int) -> set[int]:
    """Everyone who was in a group with the member."""
    statement = (
        select(OTHER.person_id)
        .join(MatchGroupMember, MatchGroupMember.group_id == OTHER.group_id)
        .where(MatchGroupMember.person_id == person_id, OTHER.person_id != person_id)
    )
    return set(await session.scalars(statement))


async def refresh(session: AsyncSession, people: Collection[int]) -> None:
    """Find the first meetings of these members' pairs again from the check-ins there are now."""
    if not people:
        return
    await session.execute(delete(Tie).where(or_(Tie.person_a.in_(people), Tie.person_b.in_(people))))
    of_people = or_(MatchGroupMember.person_id.in_(people), OTHER.person_id.in_(people))
    await session.execute(first_meetings(of_people))


def first_meetings(where: ColumnElement[bool]) -> Insert:
    """Insert the first meeting of every pair of groups that met, among the pairs `where` picks
    (`OTHER` names a pair's second member)."""
    met_groups = select(MatchGroupMember.group_id).where(MatchGroupMember.answer == "yes")
    met = MatchGroupMember.group_id.in_(met_groups)
    pairs = _pairs(and_(met, where)).add_columns(MatchGroup.id.label("group_id")).subquery()
    nth = func.row_number().over(
        partition_by=(pairs.c.person_a, pairs.c.person_b), order_by=(pairs.c.first_met_at, pairs.c.group_id)
    )
    numbered = select(*(pairs.c[name] for name in COLUMNS), nth.label("nth")).subquery()
    first = select(*(numbered.c[name] for name in COLUMNS)).where(numbered.c.nth == 1)
    return insert(Tie).from_select(COLUMNS, first)


def _pairs(where: ColumnElement[bool]) -> Select[int, int, int, datetime]:
    """(person_a, person_b, round, round start) of every pair in the groups `where` picks."""
    return (
        select(
            MatchGroupMember.person_id.label("person_a"),
            OTHER.person_id.label("person_b"),
            MatchGroup.round_id,
            MatchRound.starts_at.label("first_met_at"),
        )
        .join(
            OTHER,
            and_(OTHER.group_id == MatchGroupMember.group_id, OTHER.person_id > MatchGroupMember.person_id),
        )
        .join(MatchGroup, MatchGroup.id == MatchGroupMember.group_id)
        .join(MatchRound, MatchRound.id == MatchGroup.round_id)
        .where(where)
    )
