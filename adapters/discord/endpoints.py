"""Where discord.py connects: Discord itself, an HTTP proxy in front of it, or a local fake.

discord.py reads its REST base and its gateway from class attributes, and offers no
per-client setting for them, so this is the one place that sets them.
"""

from __future__ import annotations

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.config import DiscordSettings

DISCORD_GATEWAY = "wss://gateway.discord.gg/"


def point_at(settings: DiscordSettings) -> None:
    Route.BASE = settings.api_base_url.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url or DISCORD_GATEWAY)
