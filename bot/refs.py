"""References to things that live on a chat platform: members, channels, posted messages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MemberRef:
    """One platform identity: `user_id` within `workspace` (Slack team, Discord guild)."""

    platform: str
    workspace: str
    user_id: str


@dataclass(frozen=True)
class ChannelRef:
    platform: str
    workspace: str
    channel_id: str


@dataclass(frozen=True)
class MessageRef:
    """A message the bot posted, so it can be updated or removed later."""

    platform: str
    workspace: str
    channel_id: str
    message_id: str
