"""Migrations that rebuild a table on SQLite (copy, drop, rename) keep the rows of the tables
that point at it: with foreign keys on, dropping the parent would delete them by cascade."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import DateTime, TextClause, bindparam, text

from storage.database import Database
from tests.support.databases import upgrade_to

CREATED = datetime(2026, 1, 5, 9, tzinfo=UTC)
PEOPLE = (
    "INSERT INTO people (id, display_name, organisation, role, country, region, region_is_override,"
    " timezone, locale, bio, created_at) VALUES (:id, 'Ana', '', '', '', '', false, '', '', '', :at)"
)
# Rows of parent tables that later migrations rebuild (polls in 0005, match_groups in 0011),
# each with rows in child tables.
ROWS = {
    "0004": [
        "INSERT INTO polls (id, kind, question, multi, anonymous, hidden, platform, workspace,"
        " channel_id, message_id, state, created_at)"
        " VALUES (1, 'choice', 'Q?', false, false, false, 'test', 'W1', 'C1', 'M1', 'open', :at)",
        "INSERT INTO poll_options (id, poll_id, position, label) VALUES (1, 1, 0, 'a')",
        "INSERT INTO poll_votes (poll_id, voter_key, option_id, answer, person_id)"
        " VALUES (1, 'p1', 1, 'yes', 1)",
    ],
    "0010": [
        "INSERT INTO cohorts (id, name, created_at) VALUES (1, 'alumni', :at)",
        "INSERT INTO match_rounds (id, key, cohort_id, starts_at, ends_at) VALUES (1, 'r1', 1, :at, :at)",
        "INSERT INTO match_groups (id, round_id, score) VALUES (1, 1, 1)",
        "INSERT INTO match_group_members (group_id, person_id, position) VALUES (1, 1, 0), (1, 2, 1)",
    ],
}
CHILDREN = {
    "0004": ("poll_options", 1, "poll_votes", 1),
    "0010": ("match_groups", 1, "match_group_members", 2),
}


def moment(statement: str) -> TextClause:
    """`statement`, its :at (if any) a moment, as PostgreSQL wants it."""
    query = text(statement)
    return query.bindparams(bindparam("at", type_=DateTime(timezone=True))) if ":at" in statement else query


@pytest.mark.parametrize("revision", sorted(ROWS))
async def test_upgrading_keeps_the_rows_of_child_tables(empty_url: str, revision: str) -> None:
    database = Database(empty_url)
    async with database.engine.begin() as connection:
        await connection.run_sync(upgrade_to(revision))
        for person in (1, 2):
            await connection.execute(moment(PEOPLE), {"id": person, "at": CREATED})
        for statement in ROWS[revision]:
            await connection.execute(moment(statement), {"at": CREATED} if ":at" in statement else {})
    await database.upgrade()
    parent, parents, child, children = CHILDREN[revision]
    async with database.engine.connect() as connection:
        found = [await connection.scalar(text(f"SELECT count(*) FROM {table}")) for table in (parent, child)]
        foreign_keys = await connection.scalar(text("PRAGMA foreign_keys")) if "sqlite" in empty_url else 1
    await database.close()
    assert found == [parents, children]
    assert foreign_keys == 1  # on again for the bot's own work
