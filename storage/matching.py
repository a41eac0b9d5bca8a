"""Matching: who opted in (per cohort), their preferences and private avoid lists, plans, rounds,
groups and check-in answers. Who has met comes from `connections` (kind "match" for rounds)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Connection,
    MatchAvoid,
    MatchGroup,
    MatchGroupMember,
    MatchMembership,
    MatchPlan,
    MatchRound,
    MatchSettings,
)
from storage.ties import record_meeting


class MatchingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def settings(self, person_id: int) -> MatchSettings | None:
        return await self.session.get(MatchSettings, person_id)

    async def ensure_settings(self, person_id: int, now: datetime) -> MatchSettings:
        found = await self.settings(person_id)
        if found is None:
            found = MatchSettings(person_id=person_id, frequency="weekly", unanswered=0, joined_at=now)
            self.session.add(found)
            await self.session.flush()
        return found

    async def drop_settings(self, person_id: int) -> None:
        await self.session.execute(delete(MatchSettings).where(MatchSettings.person_id == person_id))

    async def cohort_ids(self, person_id: int) -> list[int]:
        statement = select(MatchMembership.cohort_id).where(MatchMembership.person_id == person_id)
        return list(await self.session.scalars(statement.order_by(MatchMembership.cohort_id)))

    async def add_membership(self, person_id: int, cohort_id: int) -> bool:
        """Opt in; False when already opted in to this cohort."""
        if await self.session.get(MatchMembership, (person_id, cohort_id)):
            return False
        self.session.add(MatchMembership(person_id=person_id, cohort_id=cohort_id))
        await self.session.flush()
        return True

    async def remove_memberships(self, person_id: int) -> None:
        await self.session.execute(delete(MatchMembership).where(MatchMembership.person_id == person_id))

    async def available(self, cohort_ids: Sequence[int], now: datetime) -> dict[int, set[int]]:
        """Opted-in, unpaused members of these cohorts, with the cohorts (of these) they opted in to."""
        statement = (
            select(MatchMembership.person_id, MatchMembership.cohort_id)
            .join(MatchSettings, MatchSettings.person_id == MatchMembership.person_id)
            .where(
                MatchMembership.cohort_id.in_(list(cohort_ids)),
                or_(MatchSettings.paused_until.is_(None), MatchSettings.paused_until <= now),
            )
        )
        found: dict[int, set[int]] = {}
        for person_id, cohort_id in await self.session.execute(statement):
            found.setdefault(person_id, set()).add(cohort_id)
        return found

    async def settings_of(self, person_ids: Iterable[int]) -> dict[int, MatchSettings]:
        statement = select(MatchSettings).where(MatchSettings.person_id.in_(list(person_ids)))
        return {s.person_id: s for s in await self.session.scalars(statement)}

    async def last_matched(self, person_ids: Iterable[int]) -> dict[int, datetime]:
        """When each member's latest round started. A round a facilitator ended early, or a group
        whose other members left the network, does not count: they are free for the next one."""
        still_together = (
            select(MatchGroupMember.group_id).group_by(MatchGroupMember.group_id).having(func.count() >= 2)
        )
        statement = (
            select(MatchGroupMember.person_id, func.max(MatchRound.starts_at))
            .join(MatchGroup, MatchGroup.id == MatchGroupMember.group_id)
            .join(MatchRound, MatchRound.id == MatchGroup.round_id)
            .where(
                MatchGroupMember.person_id.in_(list(person_ids)),
                MatchGroupMember.group_id.in_(still_together),
                MatchRound.ended_early.is_(False),
            )
            .group_by(MatchGroupMember.person_id)
        )
        return {person_id: at for person_id, at in await self.session.execute(statement)}

    async def met_among(self, person_ids: Sequence[int]) -> list[tuple[int, int, datetime]]:
        """Every connection (introduction or match) between two of these members."""
        ids = list(person_ids)
        statement = select(Connection.person_a, Connection.person_b, Connection.created_at).where(
            Connection.person_a.in_(ids), Connection.person_b.in_(ids)
        )
        return [(a, b, at) for a, b, at in await self.session.execute(statement)]

    async def avoid(self, person_id: int, avoided_id: int) -> bool:
        if await self.session.get(MatchAvoid, (person_id, avoided_id)):
            return False
        self.session.add(MatchAvoid(person_id=person_id, avoided_id=avoided_id))
        await self.session.flush()
        return True

    async def unavoid(self, person_id: int, avoided_id: int) -> bool:
        result = await self.session.execute(
            delete(MatchAvoid).where(MatchAvoid.person_id == person_id, MatchAvoid.avoided_id == avoided_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def avoided_by(self, person_id: int) -> list[int]:
        statement = select(MatchAvoid.avoided_id).where(MatchAvoid.person_id == person_id)
        return list(await self.session.scalars(statement))

    async def avoid_pairs(self, person_ids: Sequence[int]) -> list[tuple[int, int]]:
        ids = list(person_ids)
        statement = select(MatchAvoid.person_id, MatchAvoid.avoided_id).where(
            MatchAvoid.person_id.in_(ids), MatchAvoid.avoided_id.in_(ids)
        )
        return [(a, b) for a, b in await self.session.execute(statement)]

    async def forget_avoids(self, person_id: int) -> None:
        """Both the member's own list and every entry of others that names them."""
        await self.session.execute(
            delete(MatchAvoid).where(
                or_(MatchAvoid.person_id == person_id, MatchAvoid.avoided_id == person_id)
            )
        )

    async def plan(self, cohort_id: int, partner_cohort_id: int | None) -> MatchPlan | None:
        statement = select(MatchPlan).where(_of_pool(MatchPlan, cohort_id, partner_cohort_id))
        return (await self.session.scalars(statement)).first()

    async def get_plan(self, plan_id: int) -> MatchPlan | None:
        return await self.session.get(MatchPlan, plan_id)

    async def add(self, row: MatchPlan | MatchRound) -> None:
        self.session.add(row)
        await self.session.flush()

    async def delete_plan(self, plan: MatchPlan) -> None:
        await self.session.delete(plan)
        await self.session.flush()

    async def plans_for(self, cohort_ids: Sequence[int]) -> list[MatchPlan]:
        """Scheduled rounds drawing on any of these cohorts."""
        ids = list(cohort_ids)
        statement = select(MatchPlan).where(
            or_(MatchPlan.cohort_id.in_(ids), MatchPlan.partner_cohort_id.in_(ids))
        )
        return list(await self.session.scalars(statement.order_by(MatchPlan.id)))

    async def running(
        self, cohort_id: int, partner_cohort_id: int | None, now: datetime
    ) -> MatchRound | None:
        """These cohorts' latest round, while it runs (not yet at its end, nor ended early)."""
        statement = (
            select(MatchRound)
            .where(
                _of_pool(MatchRound, cohort_id, partner_cohort_id),
                MatchRound.ends_at > now,
                MatchRound.ended_early.is_(False),
            )
            .order_by(MatchRound.starts_at.desc(), MatchRound.id.desc())
            .limit(1)
        )
        return await self.session.scalar(statement)

    async def round_by_key(self, key: str) -> MatchRound | None:
        return (await self.session.scalars(select(MatchRound).where(MatchRound.key == key))).first()

    async def get_round(self, round_id: int) -> MatchRound | None:
        return await self.session.get(MatchRound, round_id)

    async def previous_extra(self, cohort_id: int, partner_cohort_id: int | None) -> int | None:
        """Who was the third member of a trio in these cohorts' latest round."""
        statement = (
            select(MatchRound.extra_id)
            .where(_of_pool(MatchRound, cohort_id, partner_cohort_id))
            .order_by(MatchRound.starts_at.desc(), MatchRound.id.desc())
            .limit(1)
        )
        return await self.session.scalar(statement)

    async def add_group(
        self,
        round_id: int,
        person_ids: Sequence[int],
        score: int,
        meets_at: datetime | None = None,
        meeting_code: str = "",
    ) -> MatchGroup:
        group = MatchGroup(
            round_id=round_id,
            score=score,
            meets_at=meets_at,
            meeting_code=meeting_code,
            members=[MatchGroupMember(person_id=p, position=n) for n, p in enumerate(person_ids)],
        )
        self.session.add(group)
        await self.session.flush()
        return group

    async def rounds(self, limit: int) -> list[MatchRound]:
        newest = (MatchRound.starts_at.desc(), MatchRound.id.desc())
        statement = select(MatchRound).order_by(*newest).limit(limit)
        return list(await self.session.scalars(statement))

    async def groups_of(self, person_id: int) -> list[tuple[MatchRound, MatchGroup]]:
        """The member's groups, latest first."""
        statement = (
            select(MatchRound, MatchGroup)
            .join(MatchGroup, MatchGroup.round_id == MatchRound.id)
            .join(MatchGroupMember, MatchGroupMember.group_id == MatchGroup.id)
            .where(MatchGroupMember.person_id == person_id)
            .order_by(MatchRound.starts_at.desc(), MatchRound.id.desc())
        )
        return [(r, g) for r, g in await self.session.execute(statement)]

    async def get_group(self, group_id: int) -> MatchGroup | None:
        return await self.session.get(MatchGroup, group_id)

    async def record_answer(self, group_id: int, person_id: int, answer: str, now: datetime) -> bool:
        """Record the member's check-in answer unless they gave one already; True when recorded."""
        result = await self.session.execute(
            update(MatchGroupMember)
            .where(
                MatchGroupMember.group_id == group_id,
                MatchGroupMember.person_id == person_id,
                MatchGroupMember.answer.is_(None),
            )
            .values(answer=answer, answered_at=now)
            .execution_options(synchronize_session=False)
        )
        recorded = bool(result.rowcount)  # type: ignore[attr-defined]
        if recorded and answer == "yes":
            await record_meeting(self.session, group_id)
        return recorded


def _of_pool(model: type[MatchPlan] | type[MatchRound], cohort_id: int, partner_cohort_id: int | None) -> Any:
    """Rows of one pool: a cohort alone, or a cohort paired across with a partner cohort."""
    partner = (
        model.partner_cohort_id.is_(None)
        if partner_cohort_id is None
        else model.partner_cohort_id == partner_cohort_id
    )
    return and_(model.cohort_id == cohort_id, partner)
