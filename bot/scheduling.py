"""The clock of every timed thing: database rows decide, APScheduler only wakes us up.

For features
------------
* Add occurrences inside your own unit of work, so they commit (or roll back) with it::

      await uow.schedules.add("reminders.deliver", reminder.id, due_at, now, owner_id=person.id,
                              platform=ctx.platform, rule="FREQ=MONTHLY;BYDAY=+1TU",
                              anchor_at=now, zone="Europe/London")

  `rule` is an RFC 5545 RRULE read from `anchor_at` in the owner's IANA `zone`
  (bot.recurrence), "" for a one-off. `uow.schedules.cancel(kind, ids)` removes them,
  `uow.schedules.live(kind, ids)` lists what is still to come. `platform` limits which
  bot process may fire it ("" = any).
* Say what fires for a kind: ``@feature.timer("reminders.deliver") async def fire(ctx: TimerContext)``.
  The handler reads `ctx.occurrence` (due time, "on time" / "late" / "missed", attempt)
  and queues messages with `ctx.send(message, to)`; they are written to the outbox with
  the handler's own changes. A missed occurrence (older than `[scheduler] grace_hours`)
  must be reported to its owner, not sent as if new.

How it runs
-----------
Every process polls every `[scheduler] poll_seconds` for due rows and for the due times
of the next few seconds, and asks APScheduler to wake it at each of those times, so rows
added by other processes are seen within a poll and due rows fire within milliseconds.

An occurrence fires in one transaction: its row is locked (SKIP LOCKED on PostgreSQL, so
another process takes other rows; SQLite has one writer), the handler runs, what it queued
is written to the outbox (bot.outbox), and the row moves on: done / missed, or pending at
the rule's next occurrence after now (computed in the owner's zone).

Guarantee
---------
Each occurrence fires exactly once: its effects, its messages and its move to the next
time are one commit. A process that stops before the commit leaves the row due, and it
fires again (marked late if it waited); a handler that fails is retried with back-off up
to `MAX_ATTEMPTS` times. Delivery of the messages is the outbox's: once, or marked as a
possible repeat when a send may have arrived before a crash.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from bot import outbox, recurrence
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import current_language
from bot.messages import Message
from bot.metrics import UNWATCHED, Metrics
from bot.outbound import Batch, Destination, Outbound, Post
from bot.router import Router
from storage.database import Database
from storage.models import Schedule
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

BATCH = 50
MAX_ATTEMPTS = 5
WAKE_LIMIT = 500

Status = Literal["on time", "late", "missed"]


@dataclass(frozen=True)
class Occurrence:
    schedule_id: int
    kind: str
    subject_id: int
    owner_id: int | None
    due_at: datetime
    status: Status
    attempt: int  # 1 the first time; more after the handler failed


@dataclass
class TimerContext:
    """What a timer handler receives: the occurrence, a unit of work, a queue of messages."""

    occurrence: Occurrence
    uow: UnitOfWork
    platform: str
    settings: Settings
    clock: Clock
    queued: list[Outbound] = field(default_factory=list)

    def now(self) -> datetime:
        return self.clock.now()

    def send(self, message: Message, to: Destination, *, name: str = "", batch: Batch | None = None) -> None:
        """As Context.send: `name` remembers the posted message, `batch` counts it in a batch's progress."""
        self.queued.append(Post(message, to, name, batch, current_language()))


class ScheduleRunner:
    def __init__(
        self,
        database: Database,
        router: Router,
        settings: Settings,
        clock: Clock,
        outbox_written: Callable[[], None] = lambda: None,
        metrics: Metrics = UNWATCHED,
    ) -> None:
        self.database = database
        self.router = router
        self.settings = settings
        self.clock = clock
        self.outbox_written = outbox_written
        self.metrics = metrics
        self._lock = asyncio.Lock()
        self._stopping = False

    @property
    def grace(self) -> timedelta:
        return timedelta(hours=self.settings.scheduler.grace_hours)

    @property
    def late_after(self) -> timedelta:
        """Well past the poll interval: only an occurrence that waited for a (re)start is late."""
        return timedelta(seconds=self.settings.scheduler.late_after_seconds)

    async def upcoming(self, platform: str, within: timedelta) -> list[datetime]:
        """Due times of pending rows from now to `within` ahead, for APScheduler to wake at."""
        async with self.database.unit_of_work() as uow:
            return await uow.schedules.upcoming(platform, self.clock.now() + within, WAKE_LIMIT)

    async def fire_due(self, platform: str) -> int:
        """Fire every occurrence due now for `platform`; return how many."""
        fired = 0
        async with self._lock:
            while not self._stopping and (count := await self._fire_batch(platform)):
                fired += count
        if fired:
            self.outbox_written()
        return fired

    async def stop(self) -> None:
        """Fire nothing more, and return once the batch being fired is committed."""
        self._stopping = True
        async with self._lock:
            pass

    async def _fire_batch(self, platform: str) -> int:
        """Fire a batch in one transaction; if a handler fails, each occurrence in its own."""
        now = self.clock.now()
        try:
            async with self.database.unit_of_work() as uow:
                rows = await uow.schedules.lock_due(platform, now, BATCH)
                fired = [await self._fire(uow, row, now, platform) for row in rows]
            self._report(fired)
            return len(rows)
        except Exception:
            log.warning("a timer failed in a batch; firing them one by one")
        async with self.database.unit_of_work() as uow:
            due = [row.id for row in await uow.schedules.lock_due(platform, now, BATCH)]
        for schedule_id in due:
            await self._fire_alone(schedule_id, now, platform)
        return len(due)

    async def _fire_alone(self, schedule_id: int, now: datetime, platform: str) -> None:
        try:
            async with self.database.unit_of_work() as uow:
                row = await uow.schedules.lock_one_due(schedule_id, now)
                fired = [await self._fire(uow, row, now, platform)] if row is not None else []
            self._report(fired)
        except Exception:
            log.exception("timer for schedule %s failed; it will be retried", schedule_id)
            async with self.database.unit_of_work() as uow:
                row = await uow.schedules.lock_one_due(schedule_id, now)
                if row is not None:
                    self._failed(row, now)

    async def _fire(
        self, uow: UnitOfWork, row: Schedule, now: datetime, platform: str
    ) -> tuple[str, timedelta]:
        """Fire one occurrence in `uow`; its kind and how late it fired."""
        handler = self.router.timers.get(row.kind)
        if handler is None:
            raise LookupError(f"no timer registered for schedule kind {row.kind!r}")
        lateness = now - row.due_at
        status: Status = (
            "missed" if lateness > self.grace else "late" if lateness > self.late_after else "on time"
        )
        occurrence = Occurrence(
            row.id, row.kind, row.subject_id, row.owner_id, row.due_at, status, row.attempts + 1
        )
        ctx = TimerContext(occurrence, uow, row.platform or platform, self.settings, self.clock)
        await handler(ctx)
        outbox.enqueue(
            uow, ctx.queued, key=f"timer:{row.id}:{row.due_at.isoformat()}", platform=ctx.platform, now=now
        )
        self._move_on(row, now, "missed" if status == "missed" else "done")
        return row.kind, lateness

    def _report(self, fired: list[tuple[str, timedelta]]) -> None:
        """Once committed: how late each occurrence fired."""
        for kind, lateness in fired:
            self.metrics.timer_fired(kind, lateness.total_seconds())

    def _move_on(self, row: Schedule, now: datetime, state: str) -> None:
        """To the rule's next occurrence after now, or closed in `state`."""
        following = (
            recurrence.next_after(row.rule, row.anchor_at, row.zone, max(now, row.due_at))
            if row.rule and row.anchor_at
            else None
        )
        row.attempts = 0
        if following:
            row.due_at = following
        else:
            row.state = state

    def _failed(self, row: Schedule, now: datetime) -> None:
        row.attempts += 1
        if row.attempts < MAX_ATTEMPTS:
            row.due_at = now + timedelta(minutes=row.attempts)
            return
        log.error("giving up on schedule %s (%s) after %d attempts", row.id, row.kind, row.attempts)
        self._move_on(row, now, "failed")
