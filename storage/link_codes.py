"""`/alumni link` codes (kept hashed) and the wrong attempts that limit guessing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Identity, LinkAttempt, LinkCode


class LinkCodeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def replace(self, identity_id: int, code_hash: str, now: datetime, expires_at: datetime) -> None:
        """A new code for the identity; its older unused one stops working."""
        await self.session.execute(
            delete(LinkCode).where(LinkCode.identity_id == identity_id, LinkCode.used_at.is_(None))
        )
        self.session.add(
            LinkCode(code_hash=code_hash, identity_id=identity_id, created_at=now, expires_at=expires_at)
        )
        await self.session.flush()

    async def find(self, code_hash: str) -> tuple[LinkCode, Identity] | None:
        """The code with this hash and the identity that made it."""
        statement = (
            select(LinkCode, Identity)
            .join(Identity, Identity.id == LinkCode.identity_id)
            .where(LinkCode.code_hash == code_hash)
        )
        row = (await self.session.execute(statement)).first()
        return None if row is None else (row[0], row[1])

    async def get(self, code_id: int) -> tuple[LinkCode, Identity] | None:
        statement = (
            select(LinkCode, Identity)
            .join(Identity, Identity.id == LinkCode.identity_id)
            .where(LinkCode.id == code_id)
        )
        row = (await self.session.execute(statement)).first()
        return None if row is None else (row[0], row[1])

    async def spend(self, code_id: int, now: datetime) -> bool:
        """Mark the code used; False when it was used already (one UPDATE, so two members
        entering the same code at once cannot both link)."""
        result = await self.session.execute(
            update(LinkCode)
            .where(LinkCode.id == code_id, LinkCode.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def wrong_attempts(self, identity_id: int, since: datetime) -> list[datetime]:
        """When the identity entered a wrong code since `since`, oldest first."""
        statement = (
            select(LinkAttempt.attempted_at)
            .where(LinkAttempt.identity_id == identity_id, LinkAttempt.attempted_at > since)
            .order_by(LinkAttempt.attempted_at)
        )
        return list(await self.session.scalars(statement))

    async def add_wrong_attempt(self, identity_id: int, now: datetime) -> None:
        self.session.add(LinkAttempt(identity_id=identity_id, attempted_at=now))
        await self.session.flush()

    async def prune(self, cutoff: datetime) -> int:
        """Drop codes that expired and wrong attempts made before `cutoff`; how many."""
        codes = await self.session.execute(delete(LinkCode).where(LinkCode.expires_at < cutoff))
        attempts = await self.session.execute(delete(LinkAttempt).where(LinkAttempt.attempted_at < cutoff))
        return int(codes.rowcount + attempts.rowcount)  # type: ignore[attr-defined]
