"""Who a Slack user is: name, time zone and locale from `users.info`, and their user groups.

Both are cached for `[slack] identity_cache_minutes`, so a busy member costs one lookup
an hour rather than one per click. A failed lookup never stops the event: the member
is then known by the name Slack put in the payload.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import aiohttp
from cachetools import TTLCache
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import translate
from bot.events import Actor
from bot.permissions import roles_of

log = logging.getLogger(__name__)
UNAVAILABLE = (SlackApiError, aiohttp.ClientError, TimeoutError)
MAX_CACHED_USERS = 50_000  # far above an alumni network's size: only a bound on memory
GROUPS = "groups"


class Identities:
    def __init__(self, client: AsyncWebClient, cache_seconds: float, watched_groups: tuple[str, ...]) -> None:
        self.client = client
        # Only facilitator groups matter (they make the neutral facilitator role); without any,
        # no group lookups at all.
        self.watched_groups = frozenset(watched_groups)
        # user id -> users.info's user ({} when Slack could not say, so a failing lookup waits too)
        self._users: TTLCache[str, Mapping[str, Any]] = TTLCache(MAX_CACHED_USERS, cache_seconds)
        # One entry, GROUPS: user id -> the watched groups they belong to.
        self._groups: TTLCache[str, dict[str, frozenset[str]]] = TTLCache(1, cache_seconds)

    async def actor(self, origin: translate.Origin, user: Mapping[str, Any] | None = None) -> Actor:
        """`user` is the full user object when the payload has it (team_join)."""
        if user is not None:
            self._users[origin.user_id] = user
        return translate.actor(
            origin.team_id,
            origin.user_id,
            await self._user(origin.user_id),
            origin.user_name,
            await self._roles(origin.user_id),
        )

    async def _user(self, user_id: str) -> Mapping[str, Any]:
        cached = self._users.get(user_id)
        if cached is not None:
            return cached
        try:
            response = await self.client.users_info(user=user_id, include_locale=True)
            user: Mapping[str, Any] = response.get("user") or {}
        except UNAVAILABLE as error:
            log.warning("users.info failed for %s: %s", user_id, error)
            user = {}
        self._users[user_id] = user
        return user

    async def _roles(self, user_id: str) -> frozenset[str]:
        if not self.watched_groups:
            return frozenset()
        memberships = self._groups.get(GROUPS)
        if memberships is None:
            memberships = self._groups[GROUPS] = await self._memberships()
        return roles_of(memberships.get(user_id, ()), self.watched_groups)

    async def _memberships(self) -> dict[str, frozenset[str]]:
        """user id -> handles of the watched groups they belong to."""
        try:
            response = await self.client.usergroups_list(include_users=True)
        except UNAVAILABLE as error:
            log.warning("usergroups.list failed: %s", error)
            return {}
        members: dict[str, set[str]] = {}
        groups: list[Mapping[str, Any]] = response.get("usergroups", [])
        for group in groups:
            if group.get("handle") in self.watched_groups:
                for user_id in group.get("users", []):
                    members.setdefault(user_id, set()).add(group["handle"])
        return {user_id: frozenset(handles) for user_id, handles in members.items()}
