"""Test databases: a SQLite file always, and a throwaway PostgreSQL database when reachable.

Each PostgreSQL run creates its own database (so parallel runs never collide) and
drops it at the end. Migrations run once per run; each test then starts from empty tables.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import asyncpg
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData, Table, func, make_url, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.database import Database, alembic_config
from storage.models import Base
from storage.search import is_engine_object

PG_URL = os.environ.get("ALUMNI_BOT_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _pg_reachable() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        connection = await asyncpg.connect(_asyncpg_dsn(PG_URL), timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        return f"{type(error).__name__}: {error}"
    await connection.close()
    return None


def postgres_unreachable_reason() -> str | None:
    return asyncio.run(_pg_reachable())


def each_database(name: str, sqlite_only: bool = False) -> Iterator[tuple[str, str]]:
    """(label, URL) of a fresh SQLite file, then of a fresh PostgreSQL database when one is
    reachable (said when not): how the benches measure both."""
    with tempfile.TemporaryDirectory() as folder:
        yield "sqlite", f"sqlite+aiosqlite:///{folder}/{name}.db"
    if sqlite_only:
        return
    reason = postgres_unreachable_reason()
    if reason:
        print(f"postgresql: skipped ({reason})")
        return
    with fresh_postgres_database() as url:
        yield "postgresql", url


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    name = f"alumni_test_{uuid.uuid4().hex[:12]}"

    async def run(sql: str) -> None:
        connection = await asyncpg.connect(_asyncpg_dsn(PG_URL))
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(run(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def migrate(url: str) -> None:
    async def run() -> None:
        database = Database(url)
        await database.upgrade()
        await database.close()

    asyncio.run(run())


async def empty_tables(database: Database) -> None:
    async with database.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(table.delete())


async def count(database: Database, model: type) -> int:
    async with database.unit_of_work() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to tell whether an event saved anything."""
    async with database.engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in await connection.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }


async def as_migrated(connection: AsyncConnection, name: str) -> Table:
    """Table `name` with the columns the database has now: the models may carry later ones."""
    return await connection.run_sync(lambda sync: Table(name, MetaData(), autoload_with=sync))


def upgrade_to(revision: str) -> Callable[[Connection], None]:
    """For `connection.run_sync`: migrate up to `revision` only, to test a later migration's data."""

    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    return run


def _not_engine_object(name: str | None, _type: str, _parents: object) -> bool:
    """The full-text tables and indexes the search migration adds beside the models."""
    return not is_engine_object(name)


async def differences_from_the_models(database: Database) -> list[object]:
    """What autogenerate would change to make the migrated schema match the models."""
    async with database.engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"include_name": _not_engine_object}), Base.metadata
            )
        )
