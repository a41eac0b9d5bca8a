"""Logging in, the gateway handshake, intents and command sync against the fake Discord."""

from __future__ import annotations

import asyncio

from adapters.discord import serve
from adapters.discord.commands import definitions, fingerprint
from adapters.runtime import Runtime
from bot.app import build_router
from tests.discord.driver import DiscordDriver
from tests.discord.fake_discord import APP_ID, GUILD_ID, FakeDiscord

GUILD_COMMANDS = rf"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"


async def test_serve_logs_in_identifies_and_syncs_the_commands(fake: FakeDiscord, runtime: Runtime) -> None:
    task = asyncio.create_task(serve(runtime))
    await asyncio.wait_for(fake.identified.wait(), 10)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert fake.sent("GET", "/users/@me") and fake.sent("GET", "/oauth2/applications/@me")
    assert fake.identify["token"] == "fake-bot-token"
    # Guilds, guild members, direct messages: nothing else, and no privileged intent but members.
    assert fake.identify["intents"] == (1 << 0) | (1 << 1) | (1 << 12)
    assert len(fake.sent("PUT", GUILD_COMMANDS)) == 1


async def test_commands_are_uploaded_only_when_they_changed(discord: DiscordDriver) -> None:
    fake = discord.fake
    assert len(fake.sent("PUT", GUILD_COMMANDS)) == 1
    assert fingerprint(fake.commands[str(GUILD_ID)]) == fingerprint(definitions(build_router()))
    await discord.client.setup_hook()  # as after a restart with the same definitions
    assert len(fake.sent("PUT", GUILD_COMMANDS)) == 1
    fake.commands[str(GUILD_ID)][0]["description"] = "an older description"
    await discord.client.setup_hook()
    assert len(fake.sent("PUT", GUILD_COMMANDS)) == 2
