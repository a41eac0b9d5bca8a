"""On SQLite, units of work take turns in-process instead of sleeping in SQLite's busy handler."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from storage.database import Database

NOW = datetime(2026, 11, 24, tzinfo=UTC)


async def test_concurrent_units_of_work_take_turns_and_a_nested_one_does_not_wait(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'turns.db'}")
    await database.upgrade()
    inside: list[int] = []
    overlaps: list[int] = []

    async def work(n: int) -> None:
        async with database.unit_of_work() as uow:
            overlaps.append(len(inside))
            inside.append(n)
            await uow.people.add(
                platform="test", workspace="W", user_id=f"u{n}", display_name=f"P{n}", now=NOW
            )
            async with database.unit_of_work() as nested:  # e.g. an adapter reading while it sends
                assert await nested.posted.get("nothing") is None
            await asyncio.sleep(0.01)
            inside.remove(n)

    await asyncio.wait_for(asyncio.gather(*(work(n) for n in range(10))), timeout=10)
    assert overlaps == [0] * 10
    async with database.unit_of_work() as uow:
        assert [names for _, names in await uow.people.names_on("test", "W")].count(("P3", "P3")) == 1
    await database.close()
