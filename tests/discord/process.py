"""A real `alumni-bot run --adapter discord` process against the fake Discord of the test's own
event loop, started, killed (-9) and restarted like an operator would."""

from __future__ import annotations

import asyncio
import signal
from dataclasses import dataclass
from pathlib import Path

from tests.discord.fake_discord import GUILD_ID, FakeDiscord
from tests.support.processes import spawn


@dataclass
class DiscordProcess:
    database_url: str
    folder: Path
    fake: FakeDiscord
    process: asyncio.subprocess.Process | None = None
    starts: int = 0

    @property
    def log(self) -> str:
        return "".join((self.folder / f"discord-{n}.log").read_text() for n in range(1, self.starts + 1))

    async def start(self) -> None:
        """Start and wait until it has identified on the gateway and synced its commands."""
        self.starts += 1
        config = self.folder / "discord.toml"
        config.write_text(
            f'[discord]\nguild_ids = [{GUILD_ID}]\n[facilitators]\ndiscord_roles = ["Facilitators"]\n'
        )
        environment = self.fake.bot_environment()
        self.fake.identified.clear()
        log = self.folder / f"discord-{self.starts}.log"
        self.process = await spawn("discord", config, self.database_url, environment, log)
        waiting = asyncio.ensure_future(self.fake.identified.wait())
        exited = asyncio.ensure_future(self.process.wait())
        await asyncio.wait({waiting, exited}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        exited.cancel()
        assert self.fake.identified.is_set(), self.log[-3000:]
        await self.fake.wait_for(lambda: str(GUILD_ID) in self.fake.commands, within=10)  # synced

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), 60)
