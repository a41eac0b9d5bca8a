"""What every adapter runs inside: settings, the database, the core, and the timed jobs.

An adapter's `serve(runtime)` connects to its platform, translates events into
`runtime.core.dispatch(event, chat)`, and once it can send messages on its own
calls `runtime.start_jobs(chat)` with a chat for scheduled work (no event behind it).
APScheduler is only the alarm clock: the schedule rows decide what fires (bot.scheduling).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.config import Settings
from bot.core import Core
from bot.outbound import Chat
from bot.scheduling import ScheduleRunner
from storage.database import Database


@dataclass
class Runtime:
    settings: Settings
    database: Database
    core: Core
    scheduler: AsyncIOScheduler = field(default_factory=lambda: AsyncIOScheduler(timezone="UTC"))
    # Set once the first look at the schedules is done (occurrences missed while down are sent).
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    runner: ScheduleRunner | None = None

    async def start_jobs(self, chat: Chat) -> None:
        """Start the clock; every job sends through `chat`."""
        runner = self.runner = ScheduleRunner(self.database, self.core.router, self.settings, self.core.clock)
        self.scheduler.add_job(
            self._poll,
            "interval",
            seconds=self.settings.scheduler.poll_seconds,
            args=[runner, chat],
            id="schedules:poll",
            next_run_time=self.core.clock.now(),
            coalesce=True,
            max_instances=1,
        )
        self.scheduler.start()

    async def _poll(self, runner: ScheduleRunner, chat: Chat) -> None:
        """Fire what is due, and set an alarm for each due time before the next poll."""
        await runner.fire_due(chat)
        self.ready.set()
        window = timedelta(seconds=2 * self.settings.scheduler.poll_seconds + 1)
        for due in await runner.upcoming(chat.platform, window):
            self.scheduler.add_job(
                runner.fire_due,
                "date",
                run_date=due,
                args=[chat],
                id=f"schedules:at:{due.isoformat()}",
                replace_existing=True,
                misfire_grace_time=None,
            )

    async def close(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self.runner is not None:
            # An occurrence being sent gets finished, so it is not sent again as a possible repeat.
            await self.runner.stop()
        await self.database.close()
