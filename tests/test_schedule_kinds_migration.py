"""Migration 0009 renames every schedule kind to `<feature>.<what fires>`, and back on downgrade;
each new name is one a feature's timer is declared under."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import import_module

import pytest
from alembic import command
from sqlalchemy import Connection, insert, select

from bot.app import build_router
from bot.router import Feature
from storage.database import Database, alembic_config
from storage.models import Schedule
from tests.support.databases import upgrade_to

DUE = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
RENAMED = import_module("storage.migrations.versions.0009_schedule_kind_names").RENAMED


def downgrade_to_0008(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, "0008")


async def kinds(database: Database) -> list[str]:
    async with database.engine.connect() as connection:
        return list(await connection.scalars(select(Schedule.kind).order_by(Schedule.subject_id)))


async def test_old_kinds_are_renamed_to_the_names_features_fire_and_back(empty_url: str) -> None:
    old = ["intro:expire", "match_round", "match_checkin", "match_close", "poll_close"]
    old += ["poll_refresh", "roundtable_reminder", "reminder", "housekeeping"]
    database = Database(empty_url)
    async with database.engine.begin() as connection:
        await connection.run_sync(upgrade_to("0008"))
        for subject_id, kind in enumerate(old):
            await connection.execute(
                insert(Schedule).values(
                    kind=kind, subject_id=subject_id, platform="", due_at=DUE, rule="", zone="UTC",
                    state="pending", attempts=0, created_at=DUE,
                )
            )  # fmt: skip
    await database.upgrade()
    renamed = await kinds(database)
    async with database.engine.begin() as connection:
        await connection.run_sync(downgrade_to_0008)
    restored = await kinds(database)
    await database.close()
    assert renamed == [
        "peer_intros.expire", "matching.round", "matching.checkin", "matching.close", "polls.close",
        "polls.refresh", "roundtables.remind", "reminders.deliver", "housekeeping.prune",
    ]  # fmt: skip
    assert restored == old


def test_every_renamed_kind_has_its_handler_and_every_handler_a_kind_in_one_style() -> None:
    timers = build_router().timers
    assert set(RENAMED.values()) <= set(timers)  # kinds added since (e.g. insights.who_came) had no old name
    assert all(kind.count(".") == 1 and kind.islower() for kind in timers)


@pytest.mark.parametrize("kind", ["poll_close", "roundtables.close", "polls.", "polls.close.now"])
def test_a_timer_named_in_another_style_is_refused_at_start(kind: str) -> None:
    with pytest.raises(ValueError, match=r"is not named polls\.<what>"):
        Feature("polls").timer(kind)
