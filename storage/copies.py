"""Channel copies: the further channels a poll, or the roundtable its time-slot poll made, is
posted in (each copy's message is posted as "copy:<id>", storage.posted)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChannelCopy


class CopyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, copies: Iterable[ChannelCopy], now: datetime) -> list[ChannelCopy]:
        added = list(copies)
        for copy in added:
            copy.created_at = now
        self.session.add_all(added)
        await self.session.flush()
        return added

    async def of_poll(self, poll_id: int) -> list[ChannelCopy]:
        statement = select(ChannelCopy).where(ChannelCopy.poll_id == poll_id)
        return list(await self.session.scalars(statement.order_by(ChannelCopy.id)))

    async def of_roundtable(self, roundtable_id: int) -> list[ChannelCopy]:
        statement = select(ChannelCopy).where(ChannelCopy.roundtable_id == roundtable_id)
        return list(await self.session.scalars(statement.order_by(ChannelCopy.id)))
