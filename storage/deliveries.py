"""Platform deliveries already handled: a retried delivery is recognised and skipped."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedDelivery


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, key: str, now: datetime) -> bool:
        """Record the delivery; False when it was recorded before.

        The primary key makes a concurrent duplicate fail at commit, which rolls
        its whole unit of work back, so its effects are never written twice.
        """
        if await self.seen(key):
            return False
        self.session.add(ProcessedDelivery(key=key, received_at=now))
        await self.session.flush()
        return True

    async def seen(self, key: str) -> bool:
        statement = select(ProcessedDelivery.key).where(ProcessedDelivery.key == key)
        return await self.session.scalar(statement) is not None
