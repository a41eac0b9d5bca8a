"""What health and metrics cost: events through the core with and without this process's
Prometheus registry watching, and the time to answer /metrics, /readyz and /healthz.

Events are `/alumni find` commands from 50 members through the real core and router on a
fresh SQLite file (and a fresh PostgreSQL database with --postgres), in alternating batches watched and
unwatched, so both see the same database and machine load. The baseline is the unwatched
core in the same run. Then the runtime's web server on 127.0.0.1 answers each page in turn.

    .venv/bin/python bench/metrics.py [--events 2000] [--scrapes 300] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters import web
from adapters.metrics import Prometheus
from adapters.runtime import Runtime
from bot.app import build_router
from bot.config import Settings
from bot.core import Core
from bot.events import Actor, Command
from bot.metrics import UNWATCHED
from bot.refs import MemberRef
from storage.database import Database
from tests.support.chat import RecordingChat
from tests.support.databases import fresh_postgres_database

BATCH = 100
MEMBERS = 50


def milliseconds(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def events(core: Core, count: int) -> dict[str, list[float]]:
    """Seconds per event, for the watched and the unwatched core, in alternating batches."""
    chat = RecordingChat()
    actors = [Actor(MemberRef("bench", "W", f"U{n}"), f"Member {n}") for n in range(MEMBERS)]
    registry = Prometheus()
    times: dict[str, list[float]] = {"unwatched (baseline)": [], "watched": []}
    for batch in range(count // BATCH):
        watched = batch % 2 == 1
        core.watch(registry if watched else UNWATCHED)
        for n in range(BATCH):
            started = time.perf_counter()
            await core.dispatch(Command(actors[n % MEMBERS], "alumni", "find maps"), chat)
            times["watched" if watched else "unwatched (baseline)"].append(time.perf_counter() - started)
        chat.sent.clear()
    core.watch(registry)
    return times


async def pages(runtime: Runtime, scrapes: int) -> dict[str, tuple[list[float], int]]:
    """Seconds per answer and the body's size, for each page."""
    runner = await web.start(
        web.web_app(runtime, web.Platform("bench", web.always_connected)), "127.0.0.1", 0
    )
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    found: dict[str, tuple[list[float], int]] = {}
    async with aiohttp.ClientSession() as http:
        for path in (web.HEALTH_PATH, web.READY_PATH, web.METRICS_PATH):
            times, size = [], 0
            for _ in range(scrapes):
                started = time.perf_counter()
                async with http.get(base + path) as response:
                    body = await response.read()
                    assert response.status == 200, (path, response.status, body[:200])
                times.append(time.perf_counter() - started)
                size = len(body)
            found[path] = (times, size)
    await runner.cleanup()
    return found


async def measure(url: str, count: int, scrapes: int) -> None:
    database = Database(url)
    await database.upgrade()
    core = Core(Settings(), database, build_router())
    times = await events(core, count)
    runtime = Runtime(core.settings, database, core)
    answered = await pages(runtime, scrapes)
    await database.close()

    print(f"\n{database.dialect}: {count} events ({count // BATCH} batches of {BATCH}, alternating)")
    base = statistics.median(times["unwatched (baseline)"])
    for name, values in times.items():
        print(
            f"  {name:22} p50 {milliseconds(values, 0.5):6.2f} ms  p99 {milliseconds(values, 0.99):6.2f} ms"
        )
    extra = statistics.median(times["watched"]) - base
    print(f"  metrics add {extra * 1e6:+.0f} us an event at the median ({extra / base:+.1%})")
    print(f"  pages, {scrapes} requests each:")
    for path, (values, size) in answered.items():
        print(
            f"  {path:10} p50 {milliseconds(values, 0.5):6.2f} ms  p99 {milliseconds(values, 0.99):6.2f} ms"
            f"  {size:6} bytes"
        )


def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(measure(f"sqlite+aiosqlite:///{folder}/bench.db", args.events, args.scrapes))
    if args.postgres:
        with fresh_postgres_database() as url:
            asyncio.run(measure(url, args.events, args.scrapes))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--scrapes", type=int, default=300)
    parser.add_argument(
        "--postgres", action="store_true", help="also on PostgreSQL at ALUMNI_BOT_TEST_PG_URL"
    )
    main(parser.parse_args())
