"""Channels on the platforms this process serves, named the way facilitators type them:
"discord:#general", "slack:#roundtables" (a poll's `--also`, `[bot] mirror_channels`)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.refs import ChannelRef

PLATFORMS = ("slack", "discord")


@runtime_checkable
class ChannelFinder(Protocol):
    """What an adapter offers the core to find a channel of its platform by name."""

    platform: str

    async def find_channel(self, name: str) -> ChannelRef | None:
        """The channel called `name` ("#general", "general" or the platform's id); None when
        there is none the bot can post in."""
        ...


def split_place(text: str) -> tuple[str, str] | None:
    """("discord", "general") from "discord:#general"; None when it is not of that shape."""
    platform, colon, channel = text.strip().partition(":")
    channel = channel.strip().removeprefix("#").strip()
    if not colon or not platform.strip() or not channel or " " in channel:
        return None
    return platform.strip().lower(), channel
