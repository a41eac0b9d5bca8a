"""The clock of every timed thing: database rows decide, APScheduler only wakes us up.

For features
------------
* Add occurrences inside your own unit of work, so they commit (or roll back) with it::

      await uow.schedules.add("reminder", reminder.id, due_at, now, owner_id=person.id,
                              platform=ctx.platform, rule="FREQ=MONTHLY;BYDAY=+1TU",
                              anchor_at=now, zone="Europe/London")

  `rule` is an RFC 5545 RRULE read from `anchor_at` in the owner's IANA `zone`
  (bot.recurrence), "" for a one-off. `uow.schedules.cancel(kind, ids)` removes them,
  `uow.schedules.live(kind, ids)` lists what is still to come. `platform` limits which
  bot process may fire it ("" = any).
* Say what fires for a kind: ``@router.timer("reminder") async def fire(ctx: TimerContext)``.
  The handler reads `ctx.occurrence` (due time, "on time" / "late" / "missed", attempt,
  whether it may be a repeat) and queues messages with `ctx.send(message, to)`. A missed
  occurrence (older than `[scheduler] grace_hours`) must be reported to its owner, not sent
  as if new. A handler may run again for the same occurrence (after a failed send or a
  crash; `attempt > 1` or `repeat_possible`): its own changes are committed before the
  send, so it must still produce its messages when it finds them already made.

How it runs
-----------
Every process polls every `[scheduler] poll_seconds` for due rows and for the due times
of the next few seconds, and asks APScheduler to wake it at each of those times, so rows
added by other processes are seen within a poll and due rows fire within milliseconds.
Firing an occurrence takes three short transactions, none held open while sending:

1. claim: pending -> firing with a fresh token (a conditional UPDATE; one process wins);
2. prepare: the handler builds its messages (and may change its own rows);
3. send the messages, then finish: the row becomes done / missed, or pending at the
   rule's next occurrence after now (computed in the owner's zone).

Guarantee
---------
Each occurrence is claimed by exactly one process, and a claimed occurrence is finished
only after its messages were sent. A process killed between claim and finish leaves the
row in "firing"; after `CLAIM_LEASE` another process (or the restarted one) takes it over
and sends it again, flagged `repeat_possible`, so the member sees "you may have had this
already". So: nothing is lost; a repeat is possible only when a process dies in the
moment between its send and its finish, and it is then marked. A handler that fails, or
a send the platform refuses, is retried with back-off up to `MAX_ATTEMPTS` times.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from bot import recurrence
from bot.clock import Clock
from bot.config import Settings
from bot.messages import Message
from bot.outbound import Chat, Destination, Outbound, Post
from bot.router import Router
from storage.database import Database
from storage.models import Schedule
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

# Well past the poll interval: only an occurrence that waited for a (re)start is late.
LATE_AFTER = timedelta(seconds=30)
CLAIM_LEASE = timedelta(minutes=5)
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
    attempt: int  # 1 the first time; more after a failed handler or send
    repeat_possible: bool  # taken over from a process that stopped while firing it


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

    def send(self, message: Message, to: Destination) -> None:
        self.queued.append(Post(message, to))


class ScheduleRunner:
    def __init__(self, database: Database, router: Router, settings: Settings, clock: Clock) -> None:
        self.database = database
        self.router = router
        self.settings = settings
        self.clock = clock
        self._lock = asyncio.Lock()
        self._stopping = False

    @property
    def grace(self) -> timedelta:
        return timedelta(hours=self.settings.scheduler.grace_hours)

    async def upcoming(self, platform: str, within: timedelta) -> list[datetime]:
        """Due times of pending rows from now to `within` ahead, for APScheduler to wake at."""
        async with self.database.unit_of_work() as uow:
            return await uow.schedules.upcoming(platform, self.clock.now() + within, WAKE_LIMIT)

    async def fire_due(self, chat: Chat) -> int:
        """Fire every occurrence due now (and take over abandoned ones); return how many."""
        fired = 0
        async with self._lock:
            while not self._stopping and (batch := await self._claim(chat.platform)):
                rows, token, repeat = batch
                await self._fire(rows, token, repeat, chat)
                fired += len(rows)
        return fired

    async def stop(self) -> None:
        """Claim nothing more, and return once the batch being fired is finished."""
        self._stopping = True
        async with self._lock:
            pass

    async def _claim(self, platform: str) -> tuple[list[Schedule], str, bool] | None:
        now, token = self.clock.now(), uuid.uuid4().hex
        async with self.database.unit_of_work() as uow:
            stale = await uow.schedules.claim_stale(platform, now - CLAIM_LEASE, now, token, BATCH)
            if stale:
                return stale, token, True
            due = await uow.schedules.claim_due(platform, now, token, BATCH)
        return (due, token, False) if due else None

    async def _fire(self, rows: list[Schedule], token: str, repeat: bool, chat: Chat) -> None:
        now = self.clock.now()
        occurrences = [self._occurrence(row, now, repeat) for row in rows]
        prepared = await self._prepare(occurrences, chat.platform)
        for occurrence in occurrences:
            items = prepared.get(occurrence.schedule_id)
            if items is None:
                continue
            try:
                for item in items:
                    await chat.send(item)
            except Exception:
                log.exception("could not send %s; it will be retried", occurrence)
                del prepared[occurrence.schedule_id]
        await self._finish(rows, occurrences, prepared, token)

    def _occurrence(self, row: Schedule, now: datetime, repeat: bool) -> Occurrence:
        lateness = now - row.due_at
        status: Status = "missed" if lateness > self.grace else "late" if lateness > LATE_AFTER else "on time"
        return Occurrence(
            row.id, row.kind, row.subject_id, row.owner_id, row.due_at, status, row.attempts, repeat
        )

    async def _prepare(self, occurrences: list[Occurrence], platform: str) -> dict[int, Sequence[Outbound]]:
        """Run the handlers, all in one transaction; if one fails, each in its own."""
        try:
            async with self.database.unit_of_work() as uow:
                return {o.schedule_id: await self._handle(uow, o, platform) for o in occurrences}
        except Exception:
            log.warning("a timer failed in a batch of %d; running them one by one", len(occurrences))
        prepared: dict[int, Sequence[Outbound]] = {}
        for occurrence in occurrences:
            try:
                async with self.database.unit_of_work() as uow:
                    prepared[occurrence.schedule_id] = await self._handle(uow, occurrence, platform)
            except Exception:
                log.exception("timer for %s failed; it will be retried", occurrence)
        return prepared

    async def _handle(self, uow: UnitOfWork, occurrence: Occurrence, platform: str) -> Sequence[Outbound]:
        handler = self.router.timers.get(occurrence.kind)
        if handler is None:
            raise LookupError(f"no timer registered for schedule kind {occurrence.kind!r}")
        ctx = TimerContext(occurrence, uow, platform, self.settings, self.clock)
        await handler(ctx)
        return ctx.queued

    async def _finish(
        self,
        rows: list[Schedule],
        occurrences: list[Occurrence],
        prepared: dict[int, Sequence[Outbound]],
        token: str,
    ) -> None:
        now = self.clock.now()
        async with self.database.unit_of_work() as uow:
            closed: dict[str, list[int]] = {"done": [], "missed": [], "failed": []}
            for row, occurrence in zip(rows, occurrences, strict=True):
                if row.id not in prepared and row.attempts < MAX_ATTEMPTS:
                    retry_at = now + timedelta(minutes=row.attempts)
                    await uow.schedules.reschedule(row.id, token, retry_at, attempts=row.attempts)
                    continue
                following = (
                    row.rule
                    and row.anchor_at
                    and recurrence.next_after(row.rule, row.anchor_at, row.zone, max(now, row.due_at))
                )
                if following:
                    await uow.schedules.reschedule(row.id, token, following, attempts=0)
                elif row.id not in prepared:
                    log.error("giving up on %s after %d attempts", occurrence, row.attempts)
                    closed["failed"].append(row.id)
                else:
                    closed["missed" if occurrence.status == "missed" else "done"].append(row.id)
            for state, ids in closed.items():
                if ids:
                    await uow.schedules.finish(ids, token, state)
