"""A fake Discord on 127.0.0.1 and the real discord.py client started against it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from adapters.discord import build_client
from adapters.runtime import Runtime
from bot.app import build_router
from bot.config import Settings, load_settings
from bot.core import Core
from storage.database import Database
from tests.discord.driver import ANA, BO, CY, DiscordDriver
from tests.discord.fake_discord import BOT_TOKEN, FACILITATOR_ROLE, GUILD_ID, FakeDiscord
from tests.support.network import free_port


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    discord = FakeDiscord()
    discord.add_member(ANA, "Ana Lima")
    discord.add_member(BO, "Bo Chen")
    discord.add_member(CY, "Cy Diallo", roles=(FACILITATOR_ROLE,))
    await discord.start()
    yield discord
    await discord.stop()
    assert not discord.late_responses, "interactions answered after Discord's 3 seconds"


@pytest.fixture
def discord_settings(fake: FakeDiscord) -> Settings:
    environ = {**fake.bot_environment(), "ALUMNI_BOT_WEB_PORT": str(free_port())}
    return load_settings(
        None,
        environ,
        {("discord", "guild_ids"): [GUILD_ID], ("facilitators", "discord_roles"): ["Facilitators"]},
    )


@pytest.fixture
async def runtime(discord_settings: Settings, database: Database) -> AsyncIterator[Runtime]:
    runtime = Runtime(discord_settings, database, Core(discord_settings, database, build_router()))
    yield runtime
    await runtime.stop_work()


@pytest.fixture
async def discord(fake: FakeDiscord, runtime: Runtime) -> AsyncIterator[DiscordDriver]:
    client = build_client(runtime)
    task = asyncio.create_task(client.start(BOT_TOKEN))
    await asyncio.wait_for(client.wait_until_ready(), 10)
    yield DiscordDriver(fake, client)
    await runtime.stop_work()
    await client.close()
    await task
