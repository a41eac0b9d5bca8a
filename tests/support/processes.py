"""Real `alumni-bot` processes for tests that kill, restart or run two of them: the console
here, and `spawn` for the Slack and Discord ones (tests/support/slack_process.py,
tests/discord/process.py)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import func, select

from storage.database import Database
from storage.models import InboxEvent, OutboxItem

CLI = Path(sys.executable).with_name("alumni-bot")


# Every process a test spawned, so none outlives its test (tests/conftest.py reaps them).
SPAWNED: list[asyncio.subprocess.Process] = []


def reap() -> None:
    """Kill what a test left running (it failed before stopping its processes)."""
    for process in SPAWNED:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGKILL)
    SPAWNED.clear()


async def spawn(
    adapter: str, config: Path, database_url: str, environment: Mapping[str, str], log: Path
) -> asyncio.subprocess.Process:
    """`alumni-bot run --adapter <adapter>`, its output in `log`, with `environment` added to
    this process's (without DATABASE_URL: the database is given). Its web server listens on
    a free port unless `environment` names one (ALUMNI_BOT_WEB_PORT)."""
    inherited = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"ALUMNI_BOT_WEB_PORT": "0"}
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            *[str(CLI), "run", "--adapter", adapter, "--config", str(config), "--database", database_url],
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=config.parent,
            env=inherited | {"ALUMNI_BOT_LOG_LEVEL": "INFO"} | dict(environment),
        )
    SPAWNED.append(process)
    return process


def upgrade(database_url: str, cwd: Path) -> None:
    subprocess.run([str(CLI), "db", "upgrade", "--database", database_url], cwd=cwd, check=True, timeout=60)


class BotProcess:
    """`alumni-bot run --adapter console`, fed line by line, its output collected as it comes."""

    def __init__(self, database_url: str, cwd: Path, config: Path | None = None) -> None:
        options = ["--config", str(config)] if config else []
        self.process = subprocess.Popen(
            [str(CLI), "run", "--adapter", "console", "--database", database_url, *options],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=cwd,
            env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def type(self, *lines: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("".join(f"{line}\n" for line in lines))
        self.process.stdin.flush()

    def wait_for(self, pattern: str, count: int = 1, timeout: float = 60) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.findall(pattern, self.output)
            if len(found) >= count:
                return found
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        tail = self.output[-3000:]
        raise AssertionError(f"{count} x {pattern!r} not seen within {timeout} s; output:\n{tail}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self._reader.join(timeout=5)

    def stop(self) -> str:
        """End the input, as a terminal user would; return everything it printed."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self._reader.join(timeout=5)
        return self.output


async def settled(database_url: str, within: float = 60) -> None:
    """Wait until every stored event is handled and every message delivered."""
    database = Database(database_url)
    deadline = time.monotonic() + within
    try:
        while time.monotonic() < deadline:
            async with database.unit_of_work() as uow:
                waiting = await uow.session.scalar(
                    select(func.count()).select_from(InboxEvent).where(InboxEvent.state == "pending")
                )
                sending = await uow.session.scalar(
                    select(func.count())
                    .select_from(OutboxItem)
                    .where(OutboxItem.state.in_(("pending", "sending")))
                )
            if not waiting and not sending:
                return
            await asyncio.sleep(0.2)
    finally:
        await database.close()
    raise AssertionError(f"still {waiting} events waiting and {sending} messages to deliver")
