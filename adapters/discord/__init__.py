"""Discord adapter: application commands, components and modals on discord.py.

`serve(runtime)` logs in with DISCORD_TOKEN, syncs the commands when they changed, and
handles interactions and member joins until cancelled.
"""

from __future__ import annotations

import aiohttp
import discord
from discord.http import Route

from adapters import web
from adapters.discord.client import AlumniClient
from adapters.discord.endpoints import point_at
from adapters.discord.render import PLATFORM
from adapters.runtime import Runtime
from bot.config import ConfigError, Settings

__all__ = ["AlumniClient", "serve"]

MISSING_TOKEN = (
    "DISCORD_TOKEN is not set: copy the bot token from the Discord developer portal "
    "(your application > Bot > Reset Token) into the environment, e.g. export DISCORD_TOKEN=..."
)


def build_client(runtime: Runtime) -> AlumniClient:
    point_at(runtime.settings.discord)
    # The bot never joins voice channels: discord.py need not warn that voice libraries are missing.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False
    return AlumniClient(runtime)


async def serve(runtime: Runtime) -> None:
    token = runtime.settings.secrets.discord_token
    if not token:
        raise ConfigError(MISSING_TOKEN)
    async with build_client(runtime) as client:
        await log_in(client, str(token), runtime.settings)
        try:
            async with web.serving(runtime, web.Platform(PLATFORM, lambda: connected(client))):
                await client.connect()
        except discord.PrivilegedIntentsRequired:
            raise ConfigError(
                "Discord refused the Server Members Intent: turn it on in the developer portal "
                "(your application > Bot > Privileged Gateway Intents)"
            ) from None
        finally:
            # The outbox delivers through this client: stop while it is connected.
            await runtime.stop_work()


async def connected(client: AlumniClient) -> bool:
    """Ready, and the gateway's websocket open (while it is down, discord.py reconnects)."""
    return client.is_ready() and not client.is_closed() and client.ws is not None and client.ws.open


async def log_in(client: AlumniClient, token: str, settings: Settings) -> None:
    """Log in, or stop with one line: a refused token, or Discord out of reach."""
    try:
        await client.login(token)
    except discord.LoginFailure:
        raise ConfigError(
            f"{settings.source('secrets', 'discord_token')}: Discord refused the token "
            "(copy a new one from the developer portal: your application > Bot > Reset Token)"
        ) from None
    except (aiohttp.ClientError, OSError) as error:
        raise ConfigError(
            f"{settings.source('discord', 'api_base_url')}: cannot reach Discord at {Route.BASE} "
            f"({type(error).__name__})"
        ) from None
