"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage.database import Database, alembic_config
from storage.models import Base
from storage.search import is_engine_object


def _not_engine_object(name: str | None, _type: str, _parents: object) -> bool:
    """The full-text tables and indexes the migration adds beside the models."""
    return not is_engine_object(name)


async def test_migrations_from_empty_match_the_models(database: Database) -> None:
    async with database.engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"include_name": _not_engine_object}), Base.metadata
            )
        )
        current = await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )
    assert differences == []
    assert current == ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_upgrade_is_idempotent(database: Database) -> None:
    await database.upgrade()
    assert not await database.is_empty()
