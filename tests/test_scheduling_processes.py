"""The schedule mechanism across real `alumni-bot` processes: kill -9 and restart, and two at once."""

from __future__ import annotations

import asyncio
import collections
import re
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.features.reminders import DELIVER as REMINDER
from storage.database import Database
from storage.models import Schedule
from tests.support import databases
from tests.support.processes import BotProcess, settled, upgrade

DELIVERED = r"Reminder:\*? (note-\d+)"


LATE_AFTER_SECONDS = 2


async def all_fired(url: str) -> None:
    """No reminder is left to fire, and nothing is left to deliver."""
    database = Database(url)
    try:
        for _ in range(300):
            async with database.unit_of_work() as uow:
                pending = await uow.session.scalar(
                    select(func.count())
                    .select_from(Schedule)
                    .where(Schedule.kind == REMINDER, Schedule.state == "pending")
                )
            if not pending:
                break
            await asyncio.sleep(0.2)
        else:
            raise AssertionError(f"{pending} reminders still to fire")
    finally:
        await database.close()
    await settled(url)


def test_reminders_due_while_killed_arrive_once_marked_late(
    process_database_url: str, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f"[scheduler]\nlate_after_seconds = {LATE_AFTER_SECONDS}\n")
    first = BotProcess(process_database_url, tmp_path, config)
    first.wait_for(r"Welcome to the network")
    first.type(*(f"/alumni remind me in 4 seconds note-{n}" for n in range(3)))
    first.wait_for(r"I'll remind you", count=3, timeout=20)
    first.kill()
    assert re.findall(DELIVERED, first.output) == []

    time.sleep(4 + LATE_AFTER_SECONDS + 1)
    second = BotProcess(process_database_url, tmp_path, config)
    second.wait_for(DELIVERED, count=3, timeout=30)
    asyncio.run(all_fired(process_database_url))  # a duplicate would have been sent by now
    output = second.stop()
    assert sorted(re.findall(DELIVERED, output)) == ["note-0", "note-1", "note-2"]
    deliveries = [block for block in output.split("[DM to Alex]") if "Reminder:" in block]
    assert len(deliveries) == 3 and all("Late: this was due" in d for d in deliveries), output


def test_two_processes_deliver_200_reminders_each_exactly_once(tmp_path: Path) -> None:
    reason = databases.postgres_unreachable_reason()
    if reason:
        pytest.skip(f"PostgreSQL unreachable: {reason}")
    with databases.fresh_postgres_database() as url:
        upgrade(url, tmp_path)
        first = BotProcess(url, tmp_path)
        first.wait_for(r"Welcome to the network")
        second = BotProcess(url, tmp_path)
        second.wait_for(r"You are now Alex")
        for member in range(4):  # 50 each: a member may have at most 100 active reminders
            first.type(f"/as Member {member}")
            first.type(*(f"/alumni remind me in 20 seconds note-{member * 50 + n}" for n in range(50)))
        started = time.monotonic()
        first.wait_for(r"I.ll remind you", count=200, timeout=60)
        print(f"200 reminders set in {time.monotonic() - started:.1f} s")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if len(re.findall(DELIVERED, first.output + second.output)) >= 200:
                break
            time.sleep(0.2)
        asyncio.run(all_fired(url))  # a duplicate would have been sent by now
        by_first = re.findall(DELIVERED, first.stop())
        by_second = re.findall(DELIVERED, second.stop())
    counts = collections.Counter(by_first + by_second)
    assert sorted(counts) == sorted(f"note-{n}" for n in range(200))
    assert set(counts.values()) == {1}, [note for note, n in counts.items() if n > 1]
    print(f"delivered by the first process: {len(by_first)}, by the second: {len(by_second)}")
