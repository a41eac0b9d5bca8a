"""Inbox rows: deliveries stored before they are acknowledged, then marked done once handled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import on_postgresql
from storage.models import InboxEvent


@dataclass(frozen=True)
class Received:
    key: str
    platform: str
    payload: str


class InboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_many(self, received: Sequence[Received], now: datetime) -> dict[str, int]:
        """Store what is new; return the row id of each key stored now (a known key is left out)."""
        insert = postgresql.insert if on_postgresql(self.session) else sqlite.insert
        statement = (
            insert(InboxEvent)
            .values(
                [
                    {
                        "key": r.key,
                        "platform": r.platform,
                        "payload": r.payload,
                        "state": "pending",
                        "received_at": now,
                    }
                    for r in received
                ]
            )
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(InboxEvent.key, InboxEvent.id)
        )
        return {key: row_id for key, row_id in await self.session.execute(statement)}

    async def finish(self, row_id: int, now: datetime, state: str = "done") -> bool:
        """Mark a pending row handled and forget its payload; False when it was handled before.

        Run in the unit of work of the event's effects, this is the event's claim: a second
        process trying the same row waits for the first to commit, then finds it done.
        """
        result = await self.session.execute(
            update(InboxEvent)
            .where(InboxEvent.id == row_id, InboxEvent.state == "pending")
            .values(state=state, processed_at=now, payload=None)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def waiting(
        self, platforms: Sequence[str], received_before: datetime, limit: int
    ) -> list[InboxEvent]:
        """Rows received before `received_before` and still not handled, oldest first."""
        statement = (
            select(InboxEvent)
            .where(
                InboxEvent.state == "pending",
                InboxEvent.platform.in_(list(platforms)),
                InboxEvent.received_at < received_before,
            )
            .order_by(InboxEvent.id)
            .limit(limit)
        )
        return list(await self.session.scalars(statement))

    async def depth(self) -> int:
        """How many rows wait to be handled."""
        return int(
            await self.session.scalar(
                select(func.count()).select_from(InboxEvent).where(InboxEvent.state == "pending")
            )
            or 0
        )

    async def oldest_waiting(self) -> datetime | None:
        return await self.session.scalar(
            select(func.min(InboxEvent.received_at)).where(InboxEvent.state == "pending")
        )

    async def prune(self, handled_before: datetime) -> int:
        result = await self.session.execute(
            delete(InboxEvent).where(InboxEvent.state != "pending", InboxEvent.received_at < handled_before)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
