"""What every adapter runs inside: settings, the database, the core, and the timed jobs.

An adapter's `serve(runtime)` connects to its platform, translates events into
`runtime.core.dispatch(event, chat)`, and once it can send messages on its own
calls `runtime.start_jobs(chat)` with a chat for scheduled work (no event behind it).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.config import Settings
from bot.core import Core
from bot.features import introductions
from bot.outbound import Chat
from storage.database import Database

SWEEP_MINUTES = 5


@dataclass
class Runtime:
    settings: Settings
    database: Database
    core: Core
    scheduler: AsyncIOScheduler = field(default_factory=lambda: AsyncIOScheduler(timezone="UTC"))

    async def start_jobs(self, chat: Chat) -> None:
        """Start the clock; every job sends through `chat`."""
        expire = functools.partial(
            introductions.expire_overdue,
            platform=chat.platform,
            answer_hours=self.settings.introductions.answer_hours,
        )
        self.scheduler.add_job(
            self.core.run_job,
            "interval",
            minutes=SWEEP_MINUTES,
            args=[expire, chat],
            id="introductions:expire",
            next_run_time=self.core.clock.now(),
            coalesce=True,
            max_instances=1,
        )
        self.scheduler.start()

    async def close(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.database.close()
