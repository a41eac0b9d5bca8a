"""Where a reply goes, and the one interface every adapter offers the core."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.messages import Form, Message
from bot.refs import ChannelRef, MemberRef, MessageRef


@dataclass(frozen=True)
class Public:
    """Visible to everyone in a channel: a known channel, or a configured name ("introductions")."""

    channel: ChannelRef | str


@dataclass(frozen=True)
class Ephemeral:
    """Only `member` sees it, in `channel` (or wherever they last acted when None)."""

    member: MemberRef
    channel: ChannelRef | None = None


@dataclass(frozen=True)
class Direct:
    member: MemberRef


@dataclass(frozen=True)
class Group:
    """One conversation with two or three members (Slack group DM, Discord private thread)."""

    members: tuple[MemberRef, ...]

    def __post_init__(self) -> None:
        if not 2 <= len(self.members) <= 3:
            raise ValueError("a group conversation has 2 or 3 members")


@dataclass(frozen=True)
class Update:
    """Replace an earlier message; None means the message whose button was just pressed."""

    message: MessageRef | None = None


Destination = Public | Ephemeral | Direct | Group | Update


@dataclass(frozen=True)
class Post:
    message: Message
    to: Destination


@dataclass(frozen=True)
class ShowForm:
    """Open a form for the member whose command or button press is being handled."""

    form: Form


@dataclass(frozen=True)
class Delete:
    """Take down a message the bot posted (a forgotten member's introduction card)."""

    message: MessageRef


Outbound = Post | ShowForm | Delete


class Chat(Protocol):
    """What an adapter gives the core for one event (or for a scheduled job)."""

    platform: str

    async def send(self, item: Outbound) -> MessageRef | None:
        """Deliver `item`; return a reference when a message was posted or updated."""
        ...
