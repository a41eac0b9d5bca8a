"""Figures that show whether the network works, computed from the database by read-only
queries for a period and, optionally, a cohort (bot.features.insights shows them).

Everything is counted from the rows as they are now: a member who used forget-me is gone
from every table, so from every figure but a few aggregates that no longer name them (a match
group still counts as a group once one of its members has left)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.insights.engagement import (
    Gatherings,
    Introductions,
    Reminders,
    gatherings,
    introductions,
    reminders,
)
from storage.insights.matching import Matching, RoundFigures, matching
from storage.insights.members import Members, developing_economies, members
from storage.insights.scope import Period, Scope
from storage.models import Cohort

__all__ = [
    "Figures",
    "Gatherings",
    "Introductions",
    "Matching",
    "Members",
    "Period",
    "Reminders",
    "RoundFigures",
    "Scope",
    "cohort_names",
    "developing_economies",
    "figures",
]


@dataclass(frozen=True)
class Figures:
    scope: Scope
    members: Members
    matching: Matching
    introductions: Introductions
    gatherings: Gatherings
    reminders: Reminders


async def figures(session: AsyncSession, scope: Scope) -> Figures:
    return Figures(
        scope=scope,
        members=await members(session, scope),
        matching=await matching(session, scope),
        introductions=await introductions(session, scope),
        gatherings=await gatherings(session, scope),
        reminders=await reminders(session, scope),
    )


async def cohort_names(session: AsyncSession) -> list[str]:
    return list(await session.scalars(select(Cohort.name).order_by(Cohort.name)))
