"""The bot's own chores, on the scheduling mechanism: handled inbox events and delivered
outbox items are pruned daily once older than `[bot] retention_days`."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.router import Feature
from bot.scheduling import TimerContext
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

KIND = "housekeeping.prune"
DAILY = "FREQ=DAILY"

feature = Feature("housekeeping")


async def ensure(uow: UnitOfWork, now: datetime) -> None:
    """Have the chore scheduled (the first run an hour after the first start)."""
    await uow.schedules.ensure(KIND, now + timedelta(hours=1), now, rule=DAILY)


@feature.timer(KIND)
async def prune(ctx: TimerContext) -> None:
    cutoff = ctx.now() - timedelta(days=ctx.settings.bot.retention_days)
    events = await ctx.uow.inbox.prune(cutoff)
    items = await ctx.uow.outbox.prune(cutoff)
    # Link codes and wrong attempts matter for a quarter of an hour; an hour's margin is plenty.
    await ctx.uow.link_codes.prune(ctx.now() - timedelta(hours=1))
    log.info("pruned %d handled events and %d delivered messages older than %s", events, items, cutoff)
