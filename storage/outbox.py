"""Outbox rows: written with the change that implies them; claimed lane by lane by a sender.

A lane (one conversation, or one named message) is delivered in id order by one sender at a
time: a claim takes every due item of the lanes it picks, and PostgreSQL claims are
serialised by an advisory lock, so two processes never split a lane between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import on_postgresql
from storage.models import OutboxItem

CLAIM_LOCK = 0x616C756D  # any constant shared by every process of this bot
BATCH_LOCKS = 0x62617463  # the key space of per-batch locks (with a hash of the batch's name)
UNFINISHED = ("pending", "sending")
FINISHED = ("sent", "failed", "cancelled")


@dataclass(frozen=True)
class NewItem:
    key: str
    platform: str
    lane: str
    item: str
    batch: str | None = None


@dataclass(frozen=True)
class BatchCounts:
    """Where a batch's delivery stands, and since when it was written."""

    total: int
    sent: int
    failed: dict[str, int]  # reason -> how many
    unfinished: int
    since: datetime

    @property
    def done(self) -> int:
        return self.total - self.unfinished


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, items: Sequence[NewItem], now: datetime) -> None:
        self.session.add_all(
            OutboxItem(
                key=i.key,
                platform=i.platform,
                lane=i.lane,
                item=i.item,
                batch=i.batch,
                state="pending",
                attempts=0,
                due_at=now,
                error="",
                created_at=now,
            )
            for i in items
        )

    async def claim(
        self, platforms: Sequence[str], now: datetime, stale_before: datetime, token: str, lanes: int
    ) -> list[OutboxItem]:
        """Claim every due item of up to `lanes` lanes whose first unfinished item is due (or was
        left sending by a process that stopped renewing its claim)."""
        if on_postgresql(self.session):
            await self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CLAIM_LOCK})
        head = (
            select(OutboxItem.lane, func.min(OutboxItem.id).label("id"))
            .where(OutboxItem.state.in_(UNFINISHED), OutboxItem.platform.in_(list(platforms)))
            .group_by(OutboxItem.lane)
            .subquery()
        )
        ready = (
            select(head.c.lane)
            .join(OutboxItem, OutboxItem.id == head.c.id)
            .where(
                or_(
                    and_(OutboxItem.state == "pending", OutboxItem.due_at <= now),
                    and_(OutboxItem.state == "sending", OutboxItem.claimed_at < stale_before),
                )
            )
            .order_by(head.c.id)
            .limit(lanes)
        )
        chosen = list(await self.session.scalars(ready))
        if not chosen:
            return []
        await self.session.execute(
            update(OutboxItem)
            .where(
                OutboxItem.lane.in_(chosen),
                OutboxItem.due_at <= now,
                or_(
                    OutboxItem.state == "pending",
                    and_(OutboxItem.state == "sending", OutboxItem.claimed_at < stale_before),
                ),
            )
            .values(state="sending", claim_token=token, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        statement = (
            select(OutboxItem)
            .where(OutboxItem.claim_token == token, OutboxItem.state == "sending")
            .order_by(OutboxItem.id)
            .execution_options(populate_existing=True)
        )
        return list(await self.session.scalars(statement))

    async def renew(self, tokens: Sequence[str], now: datetime) -> None:
        await self.session.execute(
            update(OutboxItem)
            .where(OutboxItem.claim_token.in_(list(tokens)), OutboxItem.state == "sending")
            .values(claimed_at=now)
            .execution_options(synchronize_session=False)
        )

    async def started(self, item_id: int, token: str, now: datetime) -> None:
        """The platform is about to be called: from now on the item may have arrived."""
        await self.session.execute(
            update(OutboxItem)
            .where(OutboxItem.id == item_id, OutboxItem.claim_token == token, OutboxItem.started_at.is_(None))
            .values(started_at=now)
            .execution_options(synchronize_session=False)
        )

    async def finish(self, item_id: int, token: str, now: datetime, state: str, error: str = "") -> None:
        await self.session.execute(
            update(OutboxItem)
            .where(OutboxItem.id == item_id, OutboxItem.claim_token == token)
            .values(state=state, finished_at=now, claim_token=None, error=error[:200])
            .execution_options(synchronize_session=False)
        )

    async def retry(
        self, item_id: int, token: str, due_at: datetime, error: str, *, may_have_arrived: bool
    ) -> None:
        values: dict[str, object] = {
            "state": "pending",
            "due_at": due_at,
            "claim_token": None,
            "attempts": OutboxItem.attempts + 1,
            "error": error[:200],
        }
        if not may_have_arrived:
            values["started_at"] = None
        await self.session.execute(
            update(OutboxItem)
            .where(OutboxItem.id == item_id, OutboxItem.claim_token == token)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    async def release(self, token: str) -> None:
        """Give back what this claim did not get to (a lane stopped behind a failed item)."""
        await self.session.execute(
            update(OutboxItem)
            .where(OutboxItem.claim_token == token, OutboxItem.state == "sending")
            .values(state="pending", claim_token=None)
            .execution_options(synchronize_session=False)
        )

    async def cancel_lane(self, lane: str) -> None:
        """Drop what has not been sent in this lane (a forgotten member's card)."""
        await self.session.execute(
            update(OutboxItem)
            .where(OutboxItem.lane == lane, OutboxItem.state == "pending")
            .values(state="cancelled")
            .execution_options(synchronize_session=False)
        )

    async def lock_batch(self, batch: str) -> None:
        """Hold the batch until this transaction ends: on PostgreSQL, whoever records a delivery of
        the same batch waits, then sees this one (SQLite has one writer at a time already)."""
        if on_postgresql(self.session):
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(:space, hashtext(:batch))"),
                {"space": BATCH_LOCKS, "batch": batch},
            )

    async def batch_unfinished(self, batch: str) -> bool:
        """Whether any item of the batch is still to deliver (one index probe, however big the batch)."""
        statement = select(OutboxItem.id).where(OutboxItem.batch == batch, OutboxItem.state.in_(UNFINISHED))
        return await self.session.scalar(statement.limit(1)) is not None

    async def batch_counts(self, batch: str) -> BatchCounts:
        statement = (
            select(OutboxItem.state, OutboxItem.error, func.count(), func.min(OutboxItem.created_at))
            .where(OutboxItem.batch == batch)
            .group_by(OutboxItem.state, OutboxItem.error)
        )
        rows = list(await self.session.execute(statement))
        failed: dict[str, int] = {}
        for state, error, number, _ in rows:
            if state == "failed":
                failed[error] = failed.get(error, 0) + number
        return BatchCounts(
            total=sum(number for *_, number, _ in rows),
            sent=sum(number for state, _, number, _ in rows if state == "sent"),
            failed=failed,
            unfinished=sum(number for state, _, number, _ in rows if state in UNFINISHED),
            since=min(first for *_, first in rows),
        )

    async def oldest_due(self, now: datetime) -> datetime | None:
        return await self.session.scalar(
            select(func.min(OutboxItem.due_at)).where(
                OutboxItem.state.in_(UNFINISHED), OutboxItem.due_at <= now
            )
        )

    async def last_finished(self) -> datetime | None:
        return await self.session.scalar(select(func.max(OutboxItem.finished_at)))

    async def depth(self) -> int:
        return int(
            await self.session.scalar(
                select(func.count()).select_from(OutboxItem).where(OutboxItem.state.in_(UNFINISHED))
            )
            or 0
        )

    async def prune(self, finished_before: datetime) -> int:
        result = await self.session.execute(
            delete(OutboxItem).where(OutboxItem.state.in_(FINISHED), OutboxItem.finished_at < finished_before)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
