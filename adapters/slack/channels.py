"""Configured channel names ("introductions", "#alumni") as Slack channel ids."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{6,}$")


class ChannelNotFound(Exception):
    pass


class Channels:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._ids: dict[str, str] = {}

    async def id_of(self, name: str) -> str:
        """The id of `name`; ids pass through. Listed once, then again only for an unknown name."""
        name = name.strip().removeprefix("#")
        if CHANNEL_ID.match(name):
            return name
        if name not in self._ids:
            self._ids = await self._list()
        if name not in self._ids:
            raise ChannelNotFound(f"no channel #{name} in this workspace (or the bot cannot see it)")
        return self._ids[name]

    async def _list(self) -> dict[str, str]:
        ids: dict[str, str] = {}
        cursor = None
        while True:
            response = await self.client.conversations_list(
                types="public_channel,private_channel", exclude_archived=True, limit=1000, cursor=cursor
            )
            channels: list[Mapping[str, Any]] = response.get("channels", [])
            ids.update({c["name"]: c["id"] for c in channels})
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return ids
