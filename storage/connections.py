"""Who has been put in touch with whom (introductions, matches)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Connection


class ConnectionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, first: int, second: int, kind: str, now: datetime) -> Connection:
        a, b = sorted((first, second))
        connection = Connection(person_a=a, person_b=b, kind=kind, created_at=now)
        self.session.add(connection)
        await self.session.flush()
        return connection

    async def partners_of(self, person_id: int) -> set[int]:
        statement = select(Connection.person_a, Connection.person_b).where(
            or_(Connection.person_a == person_id, Connection.person_b == person_id)
        )
        return {a if b == person_id else b for a, b in await self.session.execute(statement)}

    async def of_person(self, person_id: int) -> list[Connection]:
        statement = (
            select(Connection)
            .where(or_(Connection.person_a == person_id, Connection.person_b == person_id))
            .order_by(Connection.created_at)
        )
        return list(await self.session.scalars(statement))
