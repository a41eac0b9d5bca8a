"""Which database a session talks to, for the few statements PostgreSQL and SQLite write apart."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


def on_postgresql(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"
