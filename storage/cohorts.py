"""Cohorts ("2021-22 cohort", "alumni") and who belongs to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Cohort, CohortMember


class CohortRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def named(self, name: str) -> Cohort | None:
        return (await self.session.scalars(select(Cohort).where(Cohort.name == name))).first()

    async def all(self) -> list[Cohort]:
        return list(await self.session.scalars(select(Cohort).order_by(Cohort.name)))

    async def ensure(self, name: str, now: datetime) -> Cohort:
        cohort = await self.named(name)
        if cohort is None:
            cohort = Cohort(name=name, created_at=now)
            self.session.add(cohort)
            await self.session.flush()
        return cohort

    async def add_member(self, cohort: Cohort, person_id: int, now: datetime) -> bool:
        """Add the person; False when they were already in the cohort."""
        if await self.session.get(CohortMember, (cohort.id, person_id)):
            return False
        self.session.add(CohortMember(cohort_id=cohort.id, person_id=person_id, joined_at=now))
        await self.session.flush()
        return True

    async def of_person(self, person_id: int) -> list[str]:
        statement = (
            select(Cohort.name)
            .join(CohortMember)
            .where(CohortMember.person_id == person_id)
            .order_by(Cohort.name)
        )
        return list(await self.session.scalars(statement))

    async def member_ids(self, cohort_id: int) -> list[int]:
        statement = select(CohortMember.person_id).where(CohortMember.cohort_id == cohort_id)
        return list(await self.session.scalars(statement))
