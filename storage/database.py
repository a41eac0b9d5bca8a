"""The database: one engine per process, one unit of work per event, and its migrations.

Built from a URL at start and passed down; nothing here is module-level state.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection as SyncConnection
from sqlalchemy import event, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker, create_async_engine

from storage.search import IndexedSession
from storage.unit_of_work import UnitOfWork

MIGRATIONS = Path(__file__).with_name("migrations")
# Any fixed number: processes migrating one PostgreSQL database take turns on this lock.
MIGRATION_LOCK = 7_311_015
# A URL in its usual form names no driver; these are the async ones the bot uses.
ASYNC_DRIVERS = {
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
}


class DatabaseUnavailable(Exception):
    """The database URL is wrong or the server cannot be reached."""


class Database:
    def __init__(self, url: str, **engine_options: Any) -> None:
        self.url = engine_url(url)
        # hide_parameters: errors and logs never show the values members typed.
        self.engine: AsyncEngine = create_async_engine(
            self.url, hide_parameters=True, **_options_for(self.url), **engine_options
        )
        self._sessions = async_sessionmaker(
            self.engine, expire_on_commit=False, sync_session_class=IndexedSession
        )
        # SQLite has one writer at a time, and its busy handler sleeps up to 100 ms between
        # tries, so concurrent units of work queue here instead: in order, without the sleeps.
        self._turns: WriterTurns | None = None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            self._turns = WriterTurns()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def unit_of_work(self, *, urgent: bool = False) -> AsyncIterator[UnitOfWork]:
        """Commit when the block ends normally, roll back when it raises. `urgent` work (storing
        what a platform waits to have acknowledged) goes before other waiting work on SQLite."""
        turn = self._turns.turn(urgent) if self._turns else _no_wait()
        async with turn, self._sessions() as session, session.begin():
            yield UnitOfWork(session)

    async def check(self) -> None:
        """Raise DatabaseUnavailable with a one-line reason when the database cannot be used."""
        try:
            async with self.engine.connect() as connection:
                await connection.exec_driver_sql("SELECT 1")
        except Exception as error:  # any driver error means the same thing to the user
            # The driver's own words, first line only: SQLAlchemy appends a help link on the next.
            reason = str(getattr(error, "orig", None) or error).splitlines()[0]
            raise DatabaseUnavailable(f"{self.safe_url}: {type(error).__name__}: {reason}") from None

    @property
    def safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    async def upgrade(self, target: str = "head") -> None:
        """Apply every Alembic migration not yet applied, up to `target`."""
        await self._migrate(command.upgrade, target)

    async def downgrade(self, target: str) -> None:
        """Undo migrations down to `target` (a revision, or "base" for none)."""
        await self._migrate(command.downgrade, target)

    async def _migrate(self, step: Callable[[Config, str], None], target: str) -> None:
        async with self.engine.connect() as connection, foreign_keys_off(connection), connection.begin():
            if connection.dialect.name == "postgresql":
                # Processes starting together take turns; the later ones find nothing left to do.
                await connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            await connection.run_sync(_run_alembic, step, target)

    async def schema_status(self) -> SchemaStatus:
        async with self.engine.connect() as connection:
            current = await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
        known = [revision for revision, _ in revisions()]
        return SchemaStatus(current=current, head=known[-1], known=current is None or current in known)

    async def close(self) -> None:
        await self.engine.dispose()


class WriterTurns:
    """Units of work take turns at SQLite's one writer: in order, urgent ones first. A unit of
    work opened inside another in the same task (an adapter reading while it sends) already
    has the turn."""

    def __init__(self) -> None:
        self._holder: asyncio.Task[Any] | None = None
        self._held = False
        self._waiting: dict[bool, deque[asyncio.Future[None]]] = {True: deque(), False: deque()}

    @asynccontextmanager
    async def turn(self, urgent: bool) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if self._holder is not None and self._holder is task:
            yield
            return
        await self._acquire(urgent)
        self._holder = task
        try:
            yield
        finally:
            self._holder = None
            self._pass_on()

    async def _acquire(self, urgent: bool) -> None:
        if not self._held:
            self._held = True
            return
        granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting[urgent].append(granted)
        try:
            await granted
        except asyncio.CancelledError:
            if granted.done() and not granted.cancelled():
                self._pass_on()  # handed the turn while being cancelled: hand it on
            else:
                self._waiting[urgent].remove(granted)
            raise

    def _pass_on(self) -> None:
        for urgent in (True, False):
            waiting = self._waiting[urgent]
            while waiting:
                granted = waiting.popleft()
                if not granted.done():
                    granted.set_result(None)
                    return
        self._held = False


@asynccontextmanager
async def _no_wait() -> AsyncIterator[None]:
    yield


@dataclass(frozen=True)
class SchemaStatus:
    """Where the database's schema stands against this version's migrations."""

    current: str | None  # None: no schema yet
    head: str
    known: bool  # `current` is one of this version's revisions

    @property
    def at_head(self) -> bool:
        return self.current == self.head

    @property
    def ahead(self) -> bool:
        """Written by a newer version: a revision this one has never heard of."""
        return not self.known


def engine_url(url: str) -> str:
    """The SQLAlchemy URL for `url`: postgres:// and postgresql:// mean asyncpg, sqlite://
    aiosqlite, and libpq's sslmode becomes asyncpg's ssl. A URL naming its driver is kept."""
    scheme, separator, rest = url.partition("://")
    if not separator or scheme not in ASYNC_DRIVERS:
        return url
    parsed = make_url(f"{ASYNC_DRIVERS[scheme]}://{rest}")
    if "sslmode" in parsed.query:
        parsed = parsed.difference_update_query(["sslmode"]).update_query_dict(
            {"ssl": parsed.query["sslmode"]}
        )
    return parsed.render_as_string(hide_password=False)


def revisions() -> list[tuple[str, str]]:
    """This version's migrations, oldest first: (revision, what it does)."""
    script = ScriptDirectory.from_config(alembic_config())
    return [(rev.revision, rev.doc) for rev in reversed(list(script.walk_revisions()))]


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


@asynccontextmanager
async def foreign_keys_off(connection: AsyncConnection) -> AsyncIterator[None]:
    """On SQLite, foreign keys off while migrations run, then checked and on again. Alembic
    rebuilds a table there (copy, drop, rename) and dropping it would delete, by cascade, the
    rows of every table that points at it. The pragma only takes effect outside a transaction."""
    if connection.dialect.name != "sqlite":
        yield
        return
    await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    await connection.commit()
    try:
        yield
        broken = (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()
        if broken:
            raise RuntimeError(f"migration left rows pointing at nothing: {broken[:5]}")
    finally:
        await connection.rollback()
        await connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        await connection.commit()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _run_alembic(connection: SyncConnection, step: Callable[[Config, str], None], target: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    step(config, target)
