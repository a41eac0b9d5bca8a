"""Upgrades: from every earlier revision to the head, down to nothing and back, and what start-up
does with a database that is behind or ahead, on SQLite and PostgreSQL.

The revisions come from Alembic's script directory, so new migrations are covered as they come.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, make_url

from storage.database import Database, revisions
from tests.support import databases
from tests.support.databases import differences_from_the_models

CLI = Path(sys.executable).with_name("alumni-bot")
REVISIONS = [revision for revision, _ in revisions()]
HEAD = REVISIONS[-1]


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, named the way people write it (no driver in the URL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'blank.db'}"
        return
    yield from blank_postgres()


@pytest.fixture
def blank_postgres_url() -> Iterator[str]:
    yield from blank_postgres()


def blank_postgres() -> Iterator[str]:
    if reason := databases.postgres_unreachable_reason():
        pytest.skip(f"PostgreSQL unreachable: {reason}")
    with databases.fresh_postgres_database() as url:
        yield make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def tables(database: Database) -> set[str]:
    async with database.engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))


@pytest.mark.parametrize("revision", REVISIONS)
async def test_a_database_at_any_revision_upgrades_to_the_models(blank_url: str, revision: str) -> None:
    database = Database(blank_url)
    try:
        await database.upgrade(revision)
        status = await database.schema_status()
        assert status.current == revision and status.at_head == (revision == HEAD) and not status.ahead
        await database.upgrade()
        assert (await database.schema_status()).at_head
        assert await differences_from_the_models(database) == []
    finally:
        await database.close()


async def test_downgrade_to_base_and_back(blank_url: str) -> None:
    database = Database(blank_url)
    try:
        await database.upgrade()
        await database.downgrade("base")
        assert (await database.schema_status()).current is None
        assert await tables(database) <= {"alembic_version"}
        await database.upgrade()
        assert await differences_from_the_models(database) == []
    finally:
        await database.close()


@pytest.mark.parametrize("revision", REVISIONS[:-1])
async def test_downgrade_to_each_revision_and_back(blank_url: str, revision: str) -> None:
    database = Database(blank_url)
    try:
        await database.upgrade()
        await database.downgrade(revision)
        assert (await database.schema_status()).current == revision
        await database.upgrade()
        assert await differences_from_the_models(database) == []
    finally:
        await database.close()


async def test_a_revision_this_version_does_not_know_is_ahead(blank_url: str) -> None:
    database = Database(blank_url)
    try:
        await database.upgrade()
        async with database.engine.begin() as connection:
            await connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'ffff'")
        status = await database.schema_status()
        assert status.ahead and not status.at_head and status.head == HEAD
    finally:
        await database.close()


async def test_processes_starting_together_on_postgresql_migrate_one_after_the_other(
    blank_postgres_url: str,
) -> None:
    # Several processes share one database only on PostgreSQL; SQLite serves one process.
    first, second = Database(blank_postgres_url), Database(blank_postgres_url)
    try:
        await asyncio.wait_for(asyncio.gather(first.upgrade(), second.upgrade()), 60)
        assert (await first.schema_status()).at_head
        assert await differences_from_the_models(first) == []
    finally:
        await first.close()
        await second.close()


# --- start-up and `alumni-bot db`, through the real command -----------------------------


def cli(*args: str, cwd: Path, stdin: str = "", **environ: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("ALUMNI_BOT_")}
    return subprocess.run(
        [str(CLI), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=90,
        cwd=cwd,
        env=env | {"ALUMNI_BOT_POLL_SECRET": "a-long-random-test-value-of-more-than-32-characters"} | environ,
    )


def test_start_up_on_an_older_database_migrates_it_and_says_so(blank_url: str, tmp_path: Path) -> None:
    previous = REVISIONS[-2]
    assert cli("db", "upgrade", previous, "--database", blank_url, cwd=tmp_path).returncode == 0
    script = '/as Fay --facilitator\n/alumni poll "Which topic next?" "Maps" "Licences"\n'
    result = cli("run", "--adapter", "console", "--database", blank_url, cwd=tmp_path, stdin=script)
    assert result.returncode == 0, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.endswith(f"INFO adapters.cli: database migrated from {previous} to {HEAD}")
    assert "Which topic next?" in result.stdout and "went wrong" not in result.stdout
    assert cli("db", "current", "--database", blank_url, cwd=tmp_path).stdout.startswith(f"{HEAD} (head")


def test_start_up_without_auto_migrate_stops_and_names_the_command(blank_url: str, tmp_path: Path) -> None:
    cli("db", "upgrade", REVISIONS[0], "--database", blank_url, cwd=tmp_path)
    result = cli(
        "run",
        "--adapter",
        "console",
        "--database",
        blank_url,
        cwd=tmp_path,
        ALUMNI_BOT_DATABASE_AUTO_MIGRATE="false",
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert f"at revision {REVISIONS[0]} and this version needs {HEAD}" in line
    assert "`alumni-bot db upgrade`" in line and "ALUMNI_BOT_DATABASE_AUTO_MIGRATE is false" in line


def test_start_up_on_a_database_from_a_newer_version_stops(blank_url: str, tmp_path: Path) -> None:
    cli("db", "upgrade", "--database", blank_url, cwd=tmp_path)

    async def stamp_a_future_revision() -> None:
        database = Database(blank_url)
        async with database.engine.begin() as connection:
            await connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'ffff'")
        await database.close()

    asyncio.run(stamp_a_future_revision())
    result = cli("run", "--adapter", "console", "--database", blank_url, cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "at revision ffff, written by a newer alumni-bot" in line and f"whose newest is {HEAD}" in line


def test_db_current_history_and_downgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tasks.db'}"
    assert cli("db", "current", "--database", url, cwd=tmp_path).stdout.startswith("empty (behind")
    assert (
        cli("db", "upgrade", "--database", url, cwd=tmp_path).stdout
        == f"Database upgraded from empty to {HEAD}.\n"
    )
    history = cli("db", "history", "--database", url, cwd=tmp_path).stdout.splitlines()
    assert [line.split()[0] for line in history] == REVISIONS
    assert history[-1].endswith("(current, head)")
    result = cli("db", "downgrade", REVISIONS[0], "--database", url, cwd=tmp_path)
    assert result.stdout == f"Database downgraded from {HEAD} to {REVISIONS[0]}.\n"
    assert "(current)" in cli("db", "history", "--database", url, cwd=tmp_path).stdout.splitlines()[0]
    refused = cli("db", "downgrade", "nonsense", "--database", url, cwd=tmp_path)
    assert refused.returncode == 2 and "db downgrade: Can't locate revision" in refused.stderr
