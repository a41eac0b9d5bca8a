"""What every adapter runs inside: settings, the database, the core, the inbox workers, the
outbox sender and the timed jobs.

An adapter's `serve(runtime)` connects to its platform and calls `runtime.start(courier,
handler)` once it can deliver messages: `courier` delivers the outbox, `handler` handles
events the adapter accepted into the inbox (and those a stopped process left there).
APScheduler is only the alarm clock: the schedule rows decide what fires (bot.scheduling).

The runtime owns this process's metrics (adapters/metrics.py): it hands them to the core,
the outbox sender and the schedule runner, and counts the database's errors.

Several adapters may share one runtime (`alumni-bot run --adapter slack,discord`): each
calls `start` with its own courier and handler, and the process then has one core, one
database, one outbox sender delivering through every courier, one set of inbox workers handing
each event to its platform's handler, and one scheduler firing each platform's timers.

`stop_work()` is the graceful stop: events being handled finish (what waits stays in the
inbox for the next start), the batch of timers being fired commits, and the outbox delivers
what is due, all within `stop_seconds` (`[bot] stop_seconds`) counted from the moment
stopping began (`seconds_left()`, which an adapter's own draining shares). An adapter calls it once it
takes no more requests and while its connection can still deliver; with several adapters,
each one's call waits for the one stop (so no connection closes under it); `close()` then
closes the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from adapters.metrics import Prometheus
from bot import housekeeping
from bot.config import Settings
from bot.core import Core
from bot.inbox import Accepted, Handler, Workers
from bot.outbox import Courier, Sender
from bot.places import ChannelFinder
from bot.scheduling import ScheduleRunner
from storage.database import Database

if TYPE_CHECKING:
    from adapters.web import SharedWeb

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    database: Database
    core: Core
    # How many adapters serve from this runtime (adapters/web.py serves their pages together).
    adapters: int = 1
    metrics: Prometheus = field(default_factory=Prometheus)
    scheduler: AsyncIOScheduler = field(default_factory=lambda: AsyncIOScheduler(timezone="UTC"))
    # Set once the first look at the schedules is done (occurrences missed while down are sent).
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    runner: ScheduleRunner | None = None
    sender: Sender | None = None
    workers: Workers | None = None
    # How long stopping may spend delivering the outbox; 0 stops at once (Ctrl-C in a terminal).
    stop_seconds: float | None = None
    web_share: SharedWeb | None = None
    _handlers: dict[str, Handler] = field(default_factory=dict)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    # The scheduler's jobs under way, awaited at stop rather than cancelled mid-transaction.
    _jobs: set[asyncio.Future[None]] = field(default_factory=set)
    _stopping: asyncio.Future[None] | None = None
    _stop_deadline: float | None = None

    def __post_init__(self) -> None:
        self.core.watch(self.metrics)
        self.metrics.watch_database(self.database)

    async def start(self, courier: Courier, handler: Handler | None = None) -> None:
        """Deliver the outbox through `courier`, handle inbox events with `handler`, start the clock
        (an adapter after the first adds its platform to what runs)."""
        platform = courier.platform
        if isinstance(courier, ChannelFinder):  # a platform's channels can be named from the others
            self.core.channel_finders[platform] = courier
        if self.sender is None:
            self.sender = Sender(self.database, [courier], self.core.clock, metrics=self.metrics)
            self.core.outbox_written = self.sender.wake
            self._tasks.append(asyncio.create_task(self.sender.run()))
        else:
            self.sender.serve(courier)
        if handler is not None:
            await self._handle_for(platform, handler)
        if self.runner is None:
            clock = self.core.clock
            async with self.database.unit_of_work() as uow:
                await housekeeping.ensure(uow, clock.now())
            self.runner = ScheduleRunner(
                self.database, self.core.router, self.settings, clock, self.sender.wake, self.metrics
            )
        self.scheduler.add_job(
            self._poll,
            "interval",
            seconds=self.settings.scheduler.poll_seconds,
            args=[self.runner, platform],
            id=f"schedules:poll:{platform}",
            next_run_time=self.core.clock.now(),
            coalesce=True,
            max_instances=1,
        )
        if not self.scheduler.running:
            self.scheduler.start()

    async def _handle_for(self, platform: str, handler: Handler) -> None:
        self._handlers[platform] = handler
        if self.workers is None:
            self.workers = Workers(self.database, self._handle, (platform,), self.core.clock)
            await self.workers.start()
        else:
            self.workers.platforms = (*self.workers.platforms, platform)
            await self.workers.adopt(self.core.clock.now())

    async def _handle(self, accepted: Accepted) -> None:
        """Each inbox event to the handler of the platform it came from."""
        await self._handlers[accepted.platform](accepted)

    @contextlib.contextmanager
    def _job(self) -> Iterator[None]:
        """A scheduler job the stop waits for. One the stop had to cut short ends quietly (APScheduler
        would log the cancellation as the job's failure, with a traceback): what it did not finish
        is still due, and done at the next start."""
        job = asyncio.current_task()
        if job is not None:
            self._jobs.add(job)
            job.add_done_callback(self._jobs.discard)
        with contextlib.suppress(asyncio.CancelledError):
            yield

    async def _fire(self, runner: ScheduleRunner, platform: str) -> None:
        with self._job():
            await runner.fire_due(platform)

    async def _poll(self, runner: ScheduleRunner, platform: str) -> None:
        """Fire what is due, and set an alarm for each due time before the next poll."""
        with self._job():
            await self._fire_and_look_ahead(runner, platform)

    async def _fire_and_look_ahead(self, runner: ScheduleRunner, platform: str) -> None:
        await runner.fire_due(platform)
        self.ready.set()
        window = timedelta(seconds=2 * self.settings.scheduler.poll_seconds + 1)
        for due in await runner.upcoming(platform, window):
            self.scheduler.add_job(
                self._fire,
                "date",
                run_date=due,
                args=[runner, platform],
                id=f"schedules:at:{platform}:{due.isoformat()}",
                replace_existing=True,
                misfire_grace_time=None,
            )

    async def close(self) -> None:
        await self.stop_work()
        await self.database.close()

    def seconds_left(self) -> float:
        """What remains of the stopping budget; the clock starts at the first call."""
        now = asyncio.get_running_loop().time()
        if self._stop_deadline is None:
            budget = self.settings.bot.stop_seconds if self.stop_seconds is None else self.stop_seconds
            self._stop_deadline = now + float(budget)
        return max(self._stop_deadline - now, 0.0)

    async def stop_work(self) -> None:
        """Stop gracefully (see the module's description): once, started by whoever calls
        first; every caller returns when it is done."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        if self.workers is not None:
            await self.workers.stop(self.seconds_left())
        if self.scheduler.running:
            self.scheduler.pause()
        if self.runner is not None:
            await self.runner.stop()
        if self._jobs:
            await asyncio.wait(self._jobs, timeout=self.seconds_left())
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self.sender is not None:
            self.sender.finish()
            await asyncio.wait(self._tasks, timeout=self.seconds_left())
        for task in self._tasks:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.sender is not None and await self._undelivered():
            log.warning("stopped with messages still to deliver; they go out at the next start")

    async def _undelivered(self) -> bool:
        async with self.database.unit_of_work() as uow:
            return await uow.outbox.oldest_due(self.core.clock.now()) is not None
