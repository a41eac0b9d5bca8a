"""Reminders at scale: start-up time, memory, and lateness with 100,000 pending reminders.

For SQLite and PostgreSQL, a fresh database is filled with 100,000 reminders due over the
next 30 days plus 1,000 due within one minute (evenly spread over it; and, as the worst
case, all at the same instant), then a separate
process starts the real runtime (adapters.runtime.Runtime with its APScheduler clock)
with a chat that records when each reminder was sent. Printed per database:

* ready: from spawning the process to its first look at the schedules being done;
* memory: resident set size when ready, and its peak by the end;
* lateness p50 / p99 / max of the 1,000 (time sent - time due).

Baseline, in the same run: the same process over a database holding only the 1,000.
Goals (issue 5): ready < 5 s, memory < 200 MB, lateness p99 < 1 s.

    .venv/bin/python bench/reminders.py            # both databases
    .venv/bin/python bench/reminders.py --sqlite   # SQLite only
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import insert, make_url

from adapters.runtime import Runtime
from bot.app import build_router
from bot.config import load_settings
from bot.core import Core
from bot.features.reminders import DELIVER
from bot.outbound import Outbound, Post
from bot.outbox import Earlier
from bot.refs import MessageRef
from storage.database import Database
from storage.models import Identity, Person, Reminder, Schedule

PG_URL = os.environ.get("ALUMNI_BOT_BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
PENDING = 100_000
DUE_TOGETHER = 1_000
PEOPLE = 1_000
LEAD = timedelta(seconds=20)  # time for the process to start before the minute begins
CHUNK = 10_000
BASELINE = "baseline: 1,000 only"
FULL = f"{PENDING:,} pending + 1,000"
BURST = f"{PENDING:,} + 1,000 at one instant"


# ---- the measured process ---------------------------------------------------------------


class TimingChat:
    platform = "console"

    def __init__(self, expected: int) -> None:
        self.sent: dict[str, float] = {}
        self.expected = expected
        self.all_sent = asyncio.Event()

    async def deliver(self, item: Outbound, key: str) -> MessageRef | None:
        """As the outbox's courier: every reminder goes out through it."""
        return await self.send(item)

    async def earlier(self, item: Post, key: str, since: datetime) -> Earlier:
        return Earlier()

    async def send(self, item: Outbound) -> MessageRef | None:
        if isinstance(item, Post):
            text = item.message.blocks[0].text[-1]  # type: ignore[union-attr]
            self.sent[str(text)] = time.time()
            if len(self.sent) >= self.expected:
                self.all_sent.set()
        return None


def rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return float("nan")


async def child(url: str, expected: int, until: float) -> None:
    settings = load_settings(None, environ={}, overrides={("database", "url"): url})
    database = Database(url)
    runtime = Runtime(settings, database, Core(settings, database, build_router()))
    chat = TimingChat(expected)
    await runtime.start(chat)
    await runtime.ready.wait()
    print(json.dumps({"ready": time.time(), "rss": rss_mb("VmRSS")}), flush=True)
    if expected:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(chat.all_sent.wait(), timeout=until - time.time())
    print(json.dumps({"sent": chat.sent, "peak": rss_mb("VmHWM")}), flush=True)
    await runtime.close()


# ---- the harness --------------------------------------------------------------------------


async def fill(url: str, pending: int, minute: datetime, spread: float) -> dict[str, float]:
    """Create the schema and the reminders; return when each of the 1,000 is due."""
    database = Database(url)
    await database.upgrade()
    now = datetime.now(UTC)
    async with database.engine.begin() as connection:
        await connection.execute(
            insert(Person),
            [
                {
                    "id": i,
                    "display_name": f"P{i}",
                    "organisation": "",
                    "role": "",
                    "country": "",
                    "region": "",
                    "region_is_override": False,
                    "timezone": "Europe/London",
                    "locale": "",
                    "bio": "",
                    "created_at": now,
                }
                for i in range(1, PEOPLE + 1)
            ],
        )
        await connection.execute(
            insert(Identity),
            [
                {
                    "person_id": i,
                    "platform": "console",
                    "workspace": "bench",
                    "user_id": f"u{i}",
                    "display_name": f"P{i}",
                }
                for i in range(1, PEOPLE + 1)
            ],
        )
        due: dict[str, float] = {}
        total = pending + DUE_TOGETHER
        for start in range(1, total + 1, CHUNK):
            reminders, schedules = [], []
            for rid in range(start, min(start + CHUNK, total + 1)):
                together = rid > pending
                if together:
                    at = minute + timedelta(seconds=spread * (rid - pending - 1) / DUE_TOGETHER)
                    due[f"bench {rid}"] = at.timestamp()
                else:
                    at = now + timedelta(days=1 + 29 * rid / pending)
                owner = rid % PEOPLE + 1
                reminders.append(
                    {
                        "id": rid,
                        "creator_id": owner,
                        "target": "person",
                        "recipient_id": owner,
                        "channel": "",
                        "platform": "console",
                        "workspace": "bench",
                        "text": f"bench {rid}",
                        "repeats": "",
                        "zone": "Europe/London",
                        "created_at": now,
                    }
                )
                schedules.append(
                    {
                        "kind": DELIVER,
                        "subject_id": rid,
                        "owner_id": owner,
                        "platform": "console",
                        "due_at": at,
                        "rule": "",
                        "zone": "Europe/London",
                        "state": "pending",
                        "attempts": 0,
                        "created_at": now,
                    }
                )
            await connection.execute(insert(Reminder), reminders)
            await connection.execute(insert(Schedule), schedules)
        if connection.dialect.name == "postgresql":
            await connection.exec_driver_sql("ANALYZE")
    await database.close()
    return due


def measure(url: str, pending: int, wait_for_lateness: bool, spread: float = 60) -> dict[str, float]:
    minute = datetime.now(UTC).replace(microsecond=0) + LEAD
    due = asyncio.run(fill(url, pending, minute, spread))
    until = minute.timestamp() + spread + 30 if wait_for_lateness else time.time()
    expected = len(due) if wait_for_lateness else 0
    spawned = time.time()
    process = subprocess.run(
        [sys.executable, __file__, "--child", url, str(expected), str(until)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    ready_line, end_line = (json.loads(line) for line in process.stdout.splitlines()[-2:])
    result = {
        "ready_s": ready_line["ready"] - spawned,
        "rss_mb": ready_line["rss"],
        "peak_mb": end_line["peak"],
    }
    if wait_for_lateness:
        sent = end_line["sent"]
        late = sorted(sent[text] - at for text, at in due.items() if text in sent)
        result |= {
            "delivered": len(late),
            "p50_s": statistics.quantiles(late, n=100)[49],
            "p99_s": statistics.quantiles(late, n=100)[98],
            "max_s": late[-1],
        }
    return result


def sqlite_url(folder: Path, name: str) -> str:
    return f"sqlite+aiosqlite:///{folder / name}.db"


class FreshPostgres:
    def __init__(self) -> None:
        self.name = f"alumni_bench_{uuid.uuid4().hex[:10]}"
        self.admin = make_url(PG_URL).set(drivername="postgresql").render_as_string(hide_password=False)

    async def _run(self, sql: str) -> None:
        connection = await asyncpg.connect(self.admin)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    def __enter__(self) -> str:
        asyncio.run(self._run(f'CREATE DATABASE "{self.name}"'))
        return make_url(PG_URL).set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc: object) -> None:
        asyncio.run(self._run(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


def report(backend: str, label: str, r: dict[str, float]) -> None:
    line = f"{backend:<10} {label:<30} ready {r['ready_s']:5.2f} s   "
    line += f"rss {r['rss_mb']:6.1f} MB (peak {r['peak_mb']:6.1f})"
    if "p99_s" in r:
        line += (
            f"   lateness p50 {r['p50_s']:.3f} s  p99 {r['p99_s']:.3f} s  max {r['max_s']:.3f} s"
            f"  ({int(r['delivered'])}/{DUE_TOGETHER} delivered)"
        )
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="SQLite only")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        asyncio.run(child(args.child[0], int(args.child[1]), float(args.child[2])))
        return
    print(
        "Goals: ready < 5 s, rss < 200 MB, lateness p99 < 1 s "
        f"({DUE_TOGETHER} reminders due within one minute, evenly spread)"
    )
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        report("sqlite", BASELINE, measure(sqlite_url(folder, "base"), 0, False))
        report("sqlite", FULL, measure(sqlite_url(folder, "full"), PENDING, True))
        report("sqlite", BURST, measure(sqlite_url(folder, "burst"), PENDING, True, spread=0))
    if args.sqlite:
        return
    with FreshPostgres() as url:
        report("postgresql", BASELINE, measure(url, 0, False))
    with FreshPostgres() as url:
        report("postgresql", FULL, measure(url, PENDING, True))
    with FreshPostgres() as url:
        report("postgresql", BURST, measure(url, PENDING, True, spread=0))


if __name__ == "__main__":
    main()
