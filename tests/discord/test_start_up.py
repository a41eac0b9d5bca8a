"""Start-up against the fake Discord through the real command: a refused token or an unreachable
Discord is one line and exit status 2, with no warning about voice libraries."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.discord.fake_discord import FakeDiscord

CLI = Path(sys.executable).with_name("alumni-bot")


async def start(tmp_path: Path, **environ: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("DISCORD_")}
    process = await asyncio.create_subprocess_exec(
        str(CLI),
        "run",
        "--adapter",
        "discord",
        "--database",
        f"sqlite:///{tmp_path / 'bot.db'}",
        cwd=tmp_path,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env
        | {
            "ALUMNI_BOT_POLL_SECRET": "a-long-random-test-value-of-more-than-32-characters",
            "ALUMNI_BOT_LOG_LEVEL": "WARNING",
        }
        | environ,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, stderr.decode()


async def test_a_refused_token_is_one_line_naming_the_variable(fake: FakeDiscord, tmp_path: Path) -> None:
    fake.token = "the-right-token"
    code, stderr = await start(
        tmp_path,
        DISCORD_TOKEN="a-wrong-token",
        DISCORD_API_BASE_URL=fake.api_url,
        DISCORD_GATEWAY_URL=fake.gateway_url,
    )
    assert code == 2
    assert stderr.splitlines() == [
        "alumni-bot: DISCORD_TOKEN: Discord refused the token (copy a new one from the developer portal: "
        "your application > Bot > Reset Token)"
    ]


async def test_an_unreachable_discord_is_one_line_naming_the_setting(tmp_path: Path) -> None:
    code, stderr = await start(
        tmp_path, DISCORD_TOKEN="a-token", DISCORD_API_BASE_URL="http://127.0.0.1:1/api/v10"
    )
    assert code == 2
    assert stderr.splitlines() == [
        "alumni-bot: DISCORD_API_BASE_URL: cannot reach Discord at http://127.0.0.1:1/api/v10 "
        "(ClientConnectorError)"
    ]
