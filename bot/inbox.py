"""The inbox: what a platform delivers is in the database before it is acknowledged.

An adapter calls `Inbox.accept(key, payload)` and acknowledges only after it returns.
Accepts arriving together are written in one transaction (group commit: while one batch
commits, the next gathers), so an acknowledgement costs a share of a commit, not a whole one.
A known key (a retry, a redelivery) comes back as None and is acknowledged without work.

The event is then handled from its row: `Workers` take accepted rows in order (one member's
events in the order they came, several members at once) and give each to the adapter's
handler, which decodes it and calls `Core.dispatch(event, chat, inbox_id=…)`. The core marks
the row done in the same transaction as the event's effects, so an event is handled once,
even with several processes. Rows left pending by a stopped process are picked up at start
and, from other processes, once they are older than `ADOPT_AFTER`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.metrics import UNWATCHED, Metrics
from storage.database import Database
from storage.inbox import Received

log = logging.getLogger(__name__)

ADOPT_AFTER = timedelta(seconds=30)
SWEEP_SECONDS = 10.0
SWEEP_BATCH = 200


@dataclass(frozen=True)
class Accepted:
    """An inbox row to handle: its id and what the adapter stored."""

    row_id: int
    platform: str
    payload: str


Handler = Callable[[Accepted], Awaitable[None]]


class Inbox:
    """Stores deliveries before they are acknowledged, in group commits."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock
        self.metrics: Metrics = UNWATCHED
        self._gathering: list[tuple[Received, asyncio.Future[int | None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def accept(self, key: str, platform: str, payload: str) -> Accepted | None:
        """Store a delivery; None when `key` was stored before (a redelivery)."""
        future: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        self._gathering.append((Received(key, platform, payload), future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        row_id = await future
        return Accepted(row_id, platform, payload) if row_id is not None else None

    async def _write(self) -> None:
        while self._gathering:
            batch, self._gathering = self._gathering, []
            unique = {received.key: received for received, _ in batch}
            try:
                async with self.database.unit_of_work(urgent=True) as uow:
                    stored = await uow.inbox.add_many(list(unique.values()), self.clock.now())
            except Exception as error:
                for _, future in batch:
                    future.set_exception(error)
                continue
            for received, future in batch:
                # Within one batch, only the first of two identical keys is new.
                row_id = stored.pop(received.key, None)
                self.metrics.delivery_stored(received.platform, repeat=row_id is None)
                future.set_result(row_id)


class Workers:
    """Hands accepted rows to `handler`, a few at a time, each member's in order."""

    def __init__(
        self,
        database: Database,
        handler: Handler,
        platforms: tuple[str, ...],
        clock: Clock,
        count: int = 8,
    ) -> None:
        self.database = database
        self.handler = handler
        self.platforms = platforms
        self.clock = clock
        self._queues: list[asyncio.Queue[Accepted]] = [asyncio.Queue() for _ in range(count)]
        self._queued: set[int] = set()
        self._tasks: list[asyncio.Task[None]] = []

    def submit(self, accepted: Accepted, member: str) -> None:
        """Handle `accepted` soon; `member` keeps one member's events in order."""
        if accepted.row_id in self._queued:
            return
        self._queued.add(accepted.row_id)
        self._queues[zlib.crc32(member.encode()) % len(self._queues)].put_nowait(accepted)

    async def start(self) -> None:
        """Take up what was left pending (a crash), then handle what comes."""
        self._tasks = [asyncio.create_task(self._work(queue)) for queue in self._queues]
        await self.adopt(self.clock.now())
        self._tasks.append(asyncio.create_task(self._sweep()))

    async def adopt(self, received_before: datetime) -> int:
        """Queue pending rows received before the given time; return how many were new here."""
        async with self.database.unit_of_work() as uow:
            rows = await uow.inbox.waiting(self.platforms, received_before, SWEEP_BATCH)
        fresh = [row for row in rows if row.id not in self._queued and row.payload is not None]
        for row in fresh:
            self.submit(Accepted(row.id, row.platform, row.payload or ""), str(row.id))
        if fresh:
            log.info("handling %d events received before and not yet handled", len(fresh))
        return len(fresh)

    async def idle(self) -> None:
        """Return once everything submitted has been handled."""
        await asyncio.gather(*(queue.join() for queue in self._queues))

    async def stop(self, seconds: float) -> None:
        """Finish what is being handled (up to `seconds`); what waits stays in the inbox."""
        for queue in self._queues:
            while not queue.empty():
                self._queued.discard(queue.get_nowait().row_id)
                queue.task_done()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.idle(), seconds)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _work(self, queue: asyncio.Queue[Accepted]) -> None:
        while True:
            accepted = await queue.get()
            try:
                await self.handler(accepted)
            except Exception:  # the core answers members itself; this is a bug in an adapter
                log.exception("inbox event %s could not be handled", accepted.row_id)
            finally:
                self._queued.discard(accepted.row_id)
                queue.task_done()

    async def _sweep(self) -> None:
        """Adopt rows another (stopped) process accepted and never handled."""
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            try:
                await self.adopt(self.clock.now() - ADOPT_AFTER)
            except Exception:
                log.exception("could not look for events left by another process")
