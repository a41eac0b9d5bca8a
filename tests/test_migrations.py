"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage.database import Database, alembic_config
from tests.support.databases import differences_from_the_models


async def test_migrations_from_empty_match_the_models(database: Database) -> None:
    differences = await differences_from_the_models(database)
    async with database.engine.connect() as connection:
        current = await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )
    assert differences == []
    assert current == ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_upgrade_is_idempotent(database: Database) -> None:
    await database.upgrade()
    assert (await database.schema_status()).at_head
