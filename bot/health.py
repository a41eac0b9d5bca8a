"""Is this bot able to work? The platform is connected, the database takes a write in time,
events do not wait in the inbox, and the outbox moves. Served as /readyz (adapters/web.py)
with the failing part and its reason in JSON; `backlog` is what /metrics reports of the queues.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.config import HealthSettings
from storage.database import Database
from storage.unit_of_work import UnitOfWork


@dataclass
class Health:
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(check["ok"] for check in self.checks.values())

    def as_json(self) -> dict[str, Any]:
        return {"status": "ok" if self.ok else "failing", **self.checks}


@dataclass(frozen=True)
class Backlog:
    """The inbox's and outbox's queues at one moment."""

    inbox_waiting: int
    inbox_oldest: datetime | None  # received longest ago and not handled yet
    outbox_unfinished: int
    outbox_oldest_due: datetime | None  # due longest ago and not delivered yet
    outbox_last_finished: datetime | None

    def inbox_age(self, now: datetime) -> float:
        return _age(self.inbox_oldest, now)

    def outbox_age(self, now: datetime) -> float:
        return _age(self.outbox_oldest_due, now)


class Probe:
    """Writes the health row, one write at a time. A write that waits (the database is locked)
    is left to finish on its own rather than cancelled, since cancelling waits for the driver
    too (SQLite: up to its 30 s busy timeout); checks meanwhile wait for that same write, so a
    long lock never piles up connections."""

    def __init__(self) -> None:
        self._writing: asyncio.Task[Backlog] | None = None

    async def write_and_read(self, database: Database, now: datetime, within: float) -> Backlog:
        """The backlog read after writing; TimeoutError when no write finished `within` seconds."""
        writing = self._writing
        if writing is None or writing.done():
            writing = self._writing = asyncio.create_task(_write_and_read(database, now))
            writing.add_done_callback(_retrieve)
        done, _ = await asyncio.wait({writing}, timeout=within)
        if not done:
            raise TimeoutError
        return writing.result()


def _retrieve(task: asyncio.Task[Backlog]) -> None:
    """A write nobody waits for any more may fail: its check has reported already."""
    if not task.cancelled():
        task.exception()


async def check_health(
    database: Database,
    settings: HealthSettings,
    clock: Clock,
    platform: tuple[str, bool] | None = None,
    probe: Probe | None = None,
) -> Health:
    """`platform`: the platform's name and whether its connection is up, when there is one;
    `probe`: the process's one health writer (a new one by default)."""
    health = Health()
    if platform is not None:
        name, connected = platform
        health.checks["platform"] = {"ok": connected, "name": name}
        if not connected:
            health.checks["platform"]["reason"] = "not connected"
    started = time.perf_counter()
    try:
        backlog = await (probe or Probe()).write_and_read(
            database, clock.now(), settings.database_timeout_seconds
        )
    except TimeoutError:
        health.checks["database"] = {
            "ok": False,
            "reason": f"no write within {settings.database_timeout_seconds} s (locked or overloaded)",
        }
        return health
    except Exception as error:  # any driver error means the database cannot be used
        health.checks["database"] = {"ok": False, "reason": f"{type(error).__name__}: {error}"[:200]}
        return health
    health.checks["database"] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    now = clock.now()
    waiting = backlog.inbox_age(now)
    health.checks["inbox"] = {
        "ok": waiting <= settings.inbox_max_age_seconds,
        "oldest_waiting_seconds": waiting,
    }
    last = backlog.outbox_last_finished
    overdue = backlog.outbox_age(now)
    quiet = _age(last, now) if last else overdue
    health.checks["outbox"] = {
        "ok": overdue <= settings.outbox_max_age_seconds or quiet <= settings.outbox_max_age_seconds,
        "oldest_due_seconds": overdue,
        "last_delivery_seconds_ago": _age(last, now) if last else None,
    }
    return health


async def backlog(database: Database, now: datetime) -> Backlog:
    """Read the queues (no write: /metrics is scraped often)."""
    async with database.unit_of_work() as uow:
        return await _read_backlog(uow, now)


async def _write_and_read(database: Database, now: datetime) -> Backlog:
    async with database.unit_of_work() as uow:
        await uow.health.write("healthz", now)
        return await _read_backlog(uow, now)


async def _read_backlog(uow: UnitOfWork, now: datetime) -> Backlog:
    return Backlog(
        inbox_waiting=await uow.inbox.depth(),
        inbox_oldest=await uow.inbox.oldest_waiting(),
        outbox_unfinished=await uow.outbox.depth(),
        outbox_oldest_due=await uow.outbox.oldest_due(now),
        outbox_last_finished=await uow.outbox.last_finished(),
    )


def _age(moment: datetime | None, now: datetime) -> float:
    return round(max((now - moment).total_seconds(), 0.0), 1) if moment else 0.0
