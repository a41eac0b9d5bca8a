"""Secrets the installation makes for itself, made once and shared by every process."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import on_postgresql
from storage.models import InstallationSecret


class SecretRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_or_make(self, name: str, now: datetime) -> str:
        """The secret called `name`, made (64 random characters) the first time it is asked for;
        two processes asking at once get the same one."""
        value = await self._get(name)
        if value is None:
            insert = pg_insert if on_postgresql(self.session) else sqlite_insert
            made = secrets.token_urlsafe(48)
            await self.session.execute(
                insert(InstallationSecret)
                .values(name=name, value=made, created_at=now)
                .on_conflict_do_nothing(index_elements=[InstallationSecret.name])
            )
            value = await self._get(name)
        assert value is not None  # made above, by this call or a concurrent one
        return value

    async def _get(self, name: str) -> str | None:
        statement = select(InstallationSecret.value).where(InstallationSecret.name == name)
        return await self.session.scalar(statement)
