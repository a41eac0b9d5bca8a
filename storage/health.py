"""The row every health check writes: proof that the database takes a write (bot.health)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import HealthCheck


class HealthRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def write(self, name: str, now: datetime) -> None:
        found = await self.session.get(HealthCheck, name)
        if found is None:
            self.session.add(HealthCheck(name=name, checked_at=now))
        else:
            found.checked_at = now
        await self.session.flush()
