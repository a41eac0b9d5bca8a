"""Is this bot able to work? The database takes a write in time, events do not wait in the
inbox, and the outbox moves. Served as /healthz (adapters) with the reason in JSON."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.config import HealthSettings
from storage.database import Database


@dataclass
class Health:
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(check["ok"] for check in self.checks.values())

    def as_json(self) -> dict[str, Any]:
        return {"status": "ok" if self.ok else "failing", **self.checks}


async def check_health(database: Database, settings: HealthSettings, clock: Clock) -> Health:
    health = Health()
    started = time.perf_counter()
    try:
        inbox, outbox = await asyncio.wait_for(
            _write_and_read(database, clock.now()), settings.database_timeout_seconds
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
    waiting = _age(inbox, now)
    health.checks["inbox"] = {
        "ok": waiting <= settings.inbox_max_age_seconds,
        "oldest_waiting_seconds": waiting,
    }
    due, last = outbox
    overdue = _age(due, now)
    quiet = _age(last, now) if last else overdue
    health.checks["outbox"] = {
        "ok": overdue <= settings.outbox_max_age_seconds or quiet <= settings.outbox_max_age_seconds,
        "oldest_due_seconds": overdue,
        "last_delivery_seconds_ago": _age(last, now) if last else None,
    }
    return health


async def _write_and_read(
    database: Database, now: datetime
) -> tuple[datetime | None, tuple[datetime | None, datetime | None]]:
    async with database.unit_of_work() as uow:
        await uow.health.write("healthz", now)
        return await uow.inbox.oldest_waiting(), (
            await uow.outbox.oldest_due(now),
            await uow.outbox.last_finished(),
        )


def _age(moment: datetime | None, now: datetime) -> float:
    return round(max((now - moment).total_seconds(), 0.0), 1) if moment else 0.0
