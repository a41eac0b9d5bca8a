"""Discord adapter: application commands, components and modals on discord.py.

`serve(runtime)` logs in with DISCORD_TOKEN, syncs the commands when they changed, and
handles interactions and member joins until cancelled.
"""

from __future__ import annotations

from adapters.discord.client import AlumniClient
from adapters.discord.endpoints import point_at
from adapters.runtime import Runtime
from bot.config import ConfigError

__all__ = ["AlumniClient", "serve"]

MISSING_TOKEN = (
    "DISCORD_TOKEN is not set: copy the bot token from the Discord developer portal "
    "(your application > Bot > Reset Token) into the environment, e.g. export DISCORD_TOKEN=..."
)


def build_client(runtime: Runtime) -> AlumniClient:
    point_at(runtime.settings.discord)
    return AlumniClient(runtime)


async def serve(runtime: Runtime) -> None:
    token = runtime.settings.secrets.discord_token
    if not token:
        raise ConfigError(MISSING_TOKEN)
    async with build_client(runtime) as client:
        try:
            await client.start(str(token))
        finally:
            # The outbox delivers through this client: stop while it is connected.
            await runtime.stop_work()
