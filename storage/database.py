"""The database: one engine per process, one unit of work per event.

Built from a URL at start and passed down; nothing here is module-level state.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection as SyncConnection
from sqlalchemy import event, inspect
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from storage.search import IndexedSession
from storage.unit_of_work import UnitOfWork

MIGRATIONS = Path(__file__).with_name("migrations")


class DatabaseUnavailable(Exception):
    """The database URL is wrong or the server cannot be reached."""


class Database:
    def __init__(self, url: str, **engine_options: Any) -> None:
        self.url = url
        self.engine: AsyncEngine = create_async_engine(url, **_options_for(url), **engine_options)
        self._sessions = async_sessionmaker(
            self.engine, expire_on_commit=False, sync_session_class=IndexedSession
        )
        # SQLite has one writer at a time, and its busy handler sleeps up to 100 ms between
        # tries, so concurrent units of work queue here instead: in order, without the sleeps.
        self._turn: asyncio.Lock | None = None
        self._turn_holder: asyncio.Task[Any] | None = None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            self._turn = asyncio.Lock()

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        """Commit when the block ends normally, roll back when it raises."""
        async with self._my_turn(), self._sessions() as session, session.begin():
            yield UnitOfWork(session)

    @asynccontextmanager
    async def _my_turn(self) -> AsyncIterator[None]:
        """Wait for the SQLite writer's turn; a unit of work opened inside another (an adapter
        reading while it sends) already has it."""
        task = asyncio.current_task()
        if self._turn is None or self._turn_holder is task:
            yield
            return
        async with self._turn:
            self._turn_holder = task
            try:
                yield
            finally:
                self._turn_holder = None

    async def check(self) -> None:
        """Raise DatabaseUnavailable with a one-line reason when the database cannot be used."""
        try:
            async with self.engine.connect() as connection:
                await connection.exec_driver_sql("SELECT 1")
        except Exception as error:  # any driver error means the same thing to the user
            raise DatabaseUnavailable(f"{self.safe_url}: {type(error).__name__}: {error}") from None

    @property
    def safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    async def upgrade(self) -> None:
        """Apply every Alembic migration not yet applied."""
        async with self.engine.begin() as connection:
            await connection.run_sync(_upgrade)

    async def is_empty(self) -> bool:
        async with self.engine.connect() as connection:
            tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
        return "alembic_version" not in tables

    async def close(self) -> None:
        await self.engine.dispose()


def _options_for(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        # Writers wait for each other instead of failing with "database is locked".
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _upgrade(connection: SyncConnection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
