"""Readiness and metrics through the real web server, core, schedule runner and outbox, on
SQLite and PostgreSQL: /readyz fails while another connection holds the database locked, and
/metrics shows the outbox's queue and how late timers fired."""

from __future__ import annotations

import contextlib
import dataclasses
import math
import sqlite3
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import make_url

from adapters import web
from adapters.runtime import Runtime
from bot.config import HealthSettings, Settings
from bot.core import Core
from bot.outbox import Sender
from bot.scheduling import ScheduleRunner
from storage.database import Database
from tests.support import web as pages
from tests.support.chat import Clock, Conversation, RecordingChat


@contextlib.asynccontextmanager
async def pages_of(runtime: Runtime) -> AsyncIterator[str]:
    """The runtime's web server on a free port; its base URL."""
    runner = await web.start(web.web_app(runtime, web.Platform("test", web.always_connected)), "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def locked(database: Database, url: str) -> AsyncIterator[None]:
    """Another connection holds the database so that no one else can write the health row."""
    if database.dialect == "sqlite":
        other = sqlite3.connect(make_url(url).database or "", isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            other.rollback()
            other.close()
        return
    holder = Database(url)
    try:
        async with holder.engine.begin() as connection:
            await connection.exec_driver_sql("LOCK TABLE health_checks IN ACCESS EXCLUSIVE MODE")
            yield
    finally:
        await holder.close()


@pytest.fixture
def quick(core: Core) -> Iterator[Runtime]:
    settings = dataclasses.replace(Settings(), health=HealthSettings(database_timeout_seconds=1))
    yield Runtime(settings, core.database, core)


async def test_not_ready_while_the_database_is_locked_and_ready_again_after(
    quick: Runtime, database_url: str, clock: Clock
) -> None:
    async with pages_of(quick) as base:
        assert (await pages.get_json(base + web.READY_PATH))[0] == 200
        clock.advance(seconds=1)  # a check writes the time it ran: a new time is a new write
        async with locked(quick.database, database_url):
            status, body = await pages.get_json(base + web.READY_PATH)
            assert status == 503 and body["status"] == "failing"
            assert body["database"] == {"ok": False, "reason": "no write within 1 s (locked or overloaded)"}
            assert body["platform"] == {"ok": True, "name": "test"}
            # The next check waits for the same stuck write rather than queueing another.
            assert (await pages.get_json(base + web.READY_PATH))[0] == 503
            assert (await pages.get_json(base + web.HEALTH_PATH))[0] == 200
            # The metrics still answer. PostgreSQL reads the queues beside the lock; on SQLite every
            # unit of work waits its turn behind the stuck write, so the queues are unknown (NaN).
            depth = pages.value(await pages.metrics(base), "alumni_bot_outbox_queue_depth")
            assert depth == 0 if quick.database.dialect == "postgresql" else math.isnan(depth)
        await pages.wait_for_status(base + web.READY_PATH, 200)


async def test_metrics_show_the_outbox_queue_and_how_late_a_timer_fired(
    core: Core, talk: Conversation, chat: RecordingChat, clock: Clock
) -> None:
    runtime = Runtime(core.settings, core.database, core)
    runner = ScheduleRunner(core.database, core.router, core.settings, clock, metrics=runtime.metrics)
    async with pages_of(runtime) as base:
        talk.member("Ana", timezone="Europe/London")
        await talk.say("Ana", "/alumni remind me in 20 minutes stretch your legs")
        clock.advance(minutes=25)  # the bot was down when it came due
        assert await runner.fire_due(chat.platform) == 1
        waiting = await pages.metrics(base)
        assert pages.value(waiting, "alumni_bot_outbox_queue_depth") == 1
        assert pages.value(waiting, "alumni_bot_timer_lateness_seconds_count", kind="reminders.deliver") == 1
        assert pages.value(waiting, "alumni_bot_timer_lateness_seconds_sum", kind="reminders.deliver") == 300
        assert (
            pages.value(
                waiting, "alumni_bot_timer_lateness_seconds_bucket", kind="reminders.deliver", le="60.0"
            )
            == 0
        )
        assert (
            pages.value(
                waiting, "alumni_bot_timer_lateness_seconds_bucket", kind="reminders.deliver", le="300.0"
            )
            == 1
        )
        clock.advance(minutes=2)
        assert pages.value(await pages.metrics(base), "alumni_bot_outbox_oldest_due_seconds") == 120

        await Sender(core.database, [chat], clock, metrics=runtime.metrics).deliver_due()
        delivered = await pages.metrics(base)
        assert pages.value(delivered, "alumni_bot_outbox_queue_depth") == 0
        assert pages.value(delivered, "alumni_bot_outbox_oldest_due_seconds") == 0
        assert pages.value(delivered, "alumni_bot_outbox_delivered_total", platform=chat.platform) == 1
        assert (
            pages.value(
                delivered,
                "alumni_bot_events_processed_total",
                platform=chat.platform,
                kind="Command",
                outcome="ok",
            )
            == 1
        )
